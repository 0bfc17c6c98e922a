import { useState } from 'react';
import { useStore } from 'zustand';
import type { Proposal, VoteSupport } from '../../../main/api/governanceSchemas';
import { AddressText } from '../chain/AddressText';
import { shortHex } from '../chain/chainFormat';
import { NamedArgs } from '../chain/NamedArgs';
import { TxLink } from '../chain/TxLink';
import type { ReviewOutcome } from '../chain/writes/preparedWriteStore';
import { Badge } from '../components/Badge';
import { Codicon } from '../components/Codicon';
import { GovOutcome } from './GovOutcome';
import { MarkdownText } from './MarkdownText';
import { formatSeconds, share, STATE_BADGE } from './govFormat';
import { governanceStore } from './governanceStore';

function timeLeft(p: Proposal): string | null {
  if (p.state === 'pending' && p.blocksLeft !== null) return `voting opens in ${p.blocksLeft + 1} block${p.blocksLeft === 0 ? '' : 's'}`;
  if (p.state === 'active' && p.blocksLeft !== null) return `voting closes in ${p.blocksLeft} block${p.blocksLeft === 1 ? '' : 's'} (at #${p.deadlineBlock})`;
  if (p.state === 'queued' && p.secondsLeft !== null) return p.secondsLeft > 0 ? `executable in ${formatSeconds(p.secondsLeft)}` : 'timelock delay passed: executable now';
  return null;
}

/** One proposal: state, tally, quorum and time left, what it does, and the action its state allows. */
export function ProposalCard({ proposal: p, live }: { proposal: Proposal; live: boolean }) {
  const write = useStore(governanceStore, (s) => s.write);
  const [support, setSupport] = useState<VoteSupport>('for');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ReviewOutcome | null>(null);
  const badge = STATE_BADGE[p.state];
  const left = timeLeft(p);
  const all = [p.votes.for, p.votes.against, p.votes.abstain];

  const act = async (run: () => Promise<ReviewOutcome>) => {
    setBusy(true);
    setOutcome(null);
    setOutcome(await run());
    setBusy(false);
  };
  const idBase = `gov-${p.id.slice(0, 12)}`;

  return (
    <article className="gov-proposal" data-testid="gov-proposal" data-state={p.state} data-proposal-id={p.id}>
      <header className="gov-proposal__head">
        <Badge tone={badge.tone} icon={badge.icon}>
          {p.state}
        </Badge>
        <h3 className="gov-proposal__title">{p.title}</h3>
        <span className="mono muted" title={p.id}>
          #{p.id.length > 14 ? `${p.id.slice(0, 6)}…${p.id.slice(-4)}` : p.id}
        </span>
      </header>
      <div className="gov-proposal__meta muted">
        by {live ? <AddressText address={p.proposer} compact /> : <span className="mono">{shortHex(p.proposer)}</span>} in block #{p.createdBlock}
        {live ? (
          <>
            {' '}
            · <TxLink hash={p.createdTx} />
          </>
        ) : null}
        {left ? (
          <span className="gov-proposal__left" data-testid="proposal-left">
            <Codicon name="watch" /> {left}
          </span>
        ) : null}
      </div>
      <div className="gov-tally" aria-label="Votes">
        <div className="gov-tally__bar" aria-hidden="true">
          <span className="gov-tally__for" style={{ width: `${share(p.votes.for, ...all)}%` }} />
          <span className="gov-tally__against" style={{ width: `${share(p.votes.against, ...all)}%` }} />
          <span className="gov-tally__abstain" style={{ width: `${share(p.votes.abstain, ...all)}%` }} />
        </div>
        <dl className="gov-tally__counts">
          <dt>For</dt>
          <dd className="mono" data-testid="votes-for">
            {p.votesFormatted.for}
          </dd>
          <dt>Against</dt>
          <dd className="mono" data-testid="votes-against">
            {p.votesFormatted.against}
          </dd>
          <dt>Abstain</dt>
          <dd className="mono" data-testid="votes-abstain">
            {p.votesFormatted.abstain}
          </dd>
          <dt>Quorum</dt>
          <dd data-testid="quorum" data-reached={p.quorumReached}>
            <Badge tone={p.quorumReached ? 'ok' : 'muted'} icon={p.quorumReached ? 'check' : 'circle-large-outline'}>
              {p.quorumReached ? 'reached' : 'not reached'}
            </Badge>{' '}
            <span className="mono muted">{p.quorumFormatted} WOPEN needed</span>
          </dd>
        </dl>
      </div>
      {p.actions.map((a, i) => (
        <div key={i} className="gov-proposal__action">
          <code className="decoded-call__name">
            {a.contractName ?? a.target}.{a.signature ?? a.calldata}
          </code>
          <NamedArgs args={a.args} />
        </div>
      ))}
      <details className="gov-proposal__description">
        <summary>Description</summary>
        <MarkdownText source={p.description} />
      </details>
      {p.state === 'active' ? (
        <form
          className="gov-inline gov-vote"
          aria-label="Vote"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => write({ action: 'vote', proposalId: p.id, support, ...(reason.trim() ? { reason: reason.trim() } : {}) }));
          }}
        >
          <div className="segmented" role="radiogroup" aria-label="Support">
            {(['for', 'against', 'abstain'] as const).map((s) => (
              <label key={s} className={support === s ? 'segmented__item is-checked' : 'segmented__item'}>
                <input type="radio" name={`${idBase}-support`} value={s} checked={support === s} onChange={() => setSupport(s)} />
                {s}
              </label>
            ))}
          </div>
          <input
            className="input input--wide"
            aria-label="Reason"
            placeholder="Reason (optional, recorded on chain)"
            value={reason}
            maxLength={2000}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="submit" className="button" disabled={busy}>
            <Codicon name={busy ? 'loading' : 'pass'} spin={busy} />
            Vote
          </button>
        </form>
      ) : null}
      {p.state === 'succeeded' ? (
        <div className="gov-inline">
          <button type="button" className="button" disabled={busy} onClick={() => void act(() => write({ action: 'queue', proposalId: p.id }))}>
            <Codicon name={busy ? 'loading' : 'watch'} spin={busy} />
            Queue in timelock
          </button>
        </div>
      ) : null}
      {p.state === 'queued' ? (
        <div className="gov-inline">
          <button type="button" className="button" disabled={busy} onClick={() => void act(() => write({ action: 'execute', proposalId: p.id }))}>
            <Codicon name={busy ? 'loading' : 'run-all'} spin={busy} />
            Execute
          </button>
        </div>
      ) : null}
      <GovOutcome outcome={outcome} testId="proposal-outcome" />
    </article>
  );
}
