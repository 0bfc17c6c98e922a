import { type FormEvent, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { BuiltProposal, GovParam, GovParams } from '../../../main/api/governanceSchemas';
import { api } from '../api/client';
import { NamedArgs } from '../chain/NamedArgs';
import { outcomeOfError, type ReviewOutcome } from '../chain/writes/preparedWriteStore';
import { RevertNotice } from '../chain/writes/RevertNotice';
import { Codicon } from '../components/Codicon';
import { GovOutcome } from './GovOutcome';
import { MarkdownText } from './MarkdownText';
import { formatBps, PARAM_CHOICES } from './govFormat';
import { governanceStore } from './governanceStore';

function currentOf(params: GovParams, param: GovParam): string {
  const p = params.params;
  switch (param) {
    case 'attributionThreshold':
      return formatBps(p.attributionThresholdBps);
    case 'contributorFee':
      return formatBps(p.contributorFeeBps);
    case 'modelOwnerFee':
      return formatBps(p.modelOwnerFeeBps);
    case 'slashRatio':
      return formatBps(p.slashTreasuryBps);
    case 'treasury':
      return p.treasury;
  }
}

type Preview = { kind: 'built'; built: BuiltProposal } | Extract<ReviewOutcome, { kind: 'revert' | 'error' }>;

/**
 * A proposal from a parameter and its new value. The core builds it as the user types
 * (gov.buildProposal): the calldata, decoded back, the proposal's id, and the contract's own
 * error when the timelock could not apply the value.
 */
export function ProposalForm({ params }: { params: GovParams }) {
  const network = useStore(governanceStore, (s) => s.network);
  const write = useStore(governanceStore, (s) => s.write);
  const [param, setParam] = useState<GovParam>('attributionThreshold');
  const [value, setValue] = useState('');
  const [description, setDescription] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ReviewOutcome | null>(null);
  const choice = PARAM_CHOICES.find((c) => c.param === param)!;

  // The preview follows the fields, a moment after the last keystroke.
  useEffect(() => {
    setPreview(null);
    if (value.trim() === '') return;
    let live = true;
    const timer = setTimeout(() => {
      api()
        .call('gov.buildProposal', { network, param, value: value.trim(), ...(description.trim() ? { description } : {}) })
        .then((built) => live && setPreview({ kind: 'built', built }))
        .catch((err: unknown) => live && setPreview(outcomeOfError(err)));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [network, param, value, description]);

  const built = preview?.kind === 'built' ? preview.built : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!built || built.exists || busy) return;
    setBusy(true);
    setOutcome(null);
    setOutcome(await write({ action: 'propose', param, value: value.trim(), ...(description.trim() ? { description } : {}) }));
    setBusy(false);
  };

  return (
    <section className="page__section" id="gov-propose" aria-label="New proposal">
      <h2>New proposal</h2>
      <form className="gov-form" onSubmit={submit} noValidate aria-label="New proposal">
        <div className="gov-form__fields">
          <div className="fn-form__field">
            <label className="fn-form__label" htmlFor="gov-param">
              Parameter
            </label>
            <select id="gov-param" className="select" value={param} onChange={(e) => setParam(e.target.value as GovParam)}>
              {PARAM_CHOICES.map((c) => (
                <option key={c.param} value={c.param}>
                  {c.label}
                </option>
              ))}
            </select>
            <div className="form__hint">
              Now <span className="mono">{currentOf(params, param)}</span>
            </div>
          </div>
          <div className="fn-form__field">
            <label className="fn-form__label" htmlFor="gov-value">
              New value <code className="fn-form__type">{choice.unit === 'bps' ? 'uint16 bps' : 'address'}</code>
            </label>
            <input
              id="gov-value"
              className={preview && preview.kind !== 'built' ? 'input mono is-invalid' : 'input mono'}
              value={value}
              placeholder={choice.unit === 'bps' ? 'basis points, e.g. 250 = 2.5%' : '0x…'}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setValue(e.target.value)}
            />
            <div className="form__hint" data-testid="gov-range">
              {choice.unit === 'bps' ? '0 to 10,000 bps (10,000 = 100%)' : 'any address but 0x0'}
              {param === 'contributorFee' || param === 'modelOwnerFee' ? '; contributor + model owner at most 10,000' : ''}
            </div>
          </div>
          <div className="fn-form__field gov-form__description">
            <label className="fn-form__label" htmlFor="gov-description">
              Description <span className="muted">Markdown; the first line is the title</span>
            </label>
            <textarea
              id="gov-description"
              className="input mono gov-textarea"
              value={description}
              rows={5}
              placeholder={'# Raise the attribution threshold\n\nWhy, and what it changes for contributors…'}
              onChange={(e) => setDescription(e.target.value)}
            />
          </div>
        </div>
        <div className="gov-preview" data-testid="gov-preview" aria-live="polite">
          <div className="gov-preview__title">Calldata, decoded back</div>
          {!preview ? <p className="muted">Enter a value to build the proposal.</p> : null}
          {preview?.kind === 'revert' ? <RevertNotice errorName={preview.errorName} args={preview.args} message={preview.message} /> : null}
          {preview?.kind === 'error' ? (
            <div className="inline-error inline-error--flush" role="alert">
              {preview.message}
            </div>
          ) : null}
          {built ? (
            <>
              <code className="decoded-call__name">
                {built.targetContract}.{built.decoded.signature}
              </code>
              <NamedArgs args={built.decoded.args} />
              <dl className="facts facts--compact">
                <dt>Target</dt>
                <dd className="mono">{built.target}</dd>
                <dt>Calldata</dt>
                <dd className="mono gov-break" data-testid="gov-calldata">
                  {built.calldata}
                </dd>
                <dt>Proposal id</dt>
                <dd className="mono gov-break">{built.proposalId}</dd>
              </dl>
              <div className="gov-preview__title gov-preview__title--spaced">Description as voters will read it</div>
              <MarkdownText source={built.description} testId="gov-description-preview" />
              {built.exists ? (
                <div className="inline-error inline-error--flush" role="alert">
                  This proposal exists already (same change, same description): change the description to propose it again.
                </div>
              ) : null}
            </>
          ) : null}
        </div>
        <div className="fn-form__actions">
          <button type="submit" className="button" disabled={!built || built.exists || busy}>
            <Codicon name={busy ? 'loading' : 'law'} spin={busy} />
            {busy ? 'Preparing…' : 'Review proposal…'}
          </button>
        </div>
      </form>
      <GovOutcome outcome={outcome} testId="propose-outcome" />
    </section>
  );
}
