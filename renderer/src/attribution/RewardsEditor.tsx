import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { formatDateTime } from '../base/format';
import { looksLikeAddress } from '../chain/chainFormat';
import { formatOpen } from '../chain/openAmount';
import { TxLink } from '../chain/TxLink';
import { Codicon } from '../components/Codicon';
import { ContributorName } from './ContributorName';
import { contributorLabel } from './attributionFormat';
import { type ContributorRewards, rewardsStore, type Settled } from './rewardsStore';

const open = (wei: string | null) => (wei === null ? '–' : formatOpen(wei, 'OPEN', 6));

function TxCell({ hash }: { hash: string | null }) {
  return hash ? <TxLink hash={hash} /> : <span className="muted">–</span>;
}

/** Every epoch with each model's inferences, fees and settlement state; the open one settles. */
function EpochsSection() {
  const { epochs, loading, error, settling, settleError } = useStore(rewardsStore);
  if (error) return <div className="inline-error" role="alert">{error}</div>;
  if (!epochs) return <p className="muted">{loading ? 'Reading the epochs…' : ''}</p>;
  if (epochs.length === 0) return <p className="muted">No attributed inference yet: run a prompt in the Playground with attribution on.</p>;
  return (
    <div className="rewards-epochs">
      {settleError ? (
        <div className="inline-error" role="alert" data-testid="attr-settle-error">
          Settlement failed: {settleError}
        </div>
      ) : null}
      {epochs.map((e) => {
        const inferences = e.models.reduce((n, m) => n + m.inferenceCount, 0);
        const settled = e.status === 'closed' && e.models.every((m) => m.state === 'posted');
        const status = e.status === 'open' ? 'open' : settled ? 'settled' : 'settling';
        return (
          <section key={e.epoch} className="rewards-epoch" data-testid="attr-epoch" data-epoch={e.epoch} data-status={status}>
            <header className="rewards-epoch__head">
              <span className="rewards-epoch__title">Epoch {e.epoch}</span>
              <span className={`tag ${status === 'settled' ? 'tag--ok' : status === 'open' ? '' : 'tag--warn'}`}>{status}</span>
              <span className="muted">
                {inferences} inference{inferences === 1 ? '' : 's'} · opened {formatDateTime(e.openedAt)}
                {e.closedAt ? ` · closed ${formatDateTime(e.closedAt)}` : ''}
              </span>
              {e.status === 'open' || !settled ? (
                <button
                  type="button"
                  className="button button--primary rewards-epoch__settle"
                  data-testid="attr-settle"
                  disabled={settling !== null || inferences === 0}
                  title="Close the epoch, pay its fees into the ledger and post each model's Merkle batch (devnet: dev account #0 is the operator)"
                  onClick={() => void rewardsStore.getState().settle(e.epoch)}
                >
                  {settling === e.epoch ? <Codicon name="loading" spin /> : <Codicon name="law" />} {e.status === 'open' ? 'Settle' : 'Finish settling'}
                </button>
              ) : null}
            </header>
            {e.models.length === 0 ? <p className="muted">No attributed inference in this epoch yet.</p> : null}
            <table className="rewards-table" hidden={e.models.length === 0}>
              <thead>
                <tr>
                  <th>model</th>
                  <th className="num">inferences</th>
                  <th className="num">fees</th>
                  <th className="num">contributors' pool</th>
                  <th>state</th>
                  <th>fees tx</th>
                  <th>batch tx</th>
                </tr>
              </thead>
              <tbody>
                {e.models.map((m) => (
                  <tr key={m.modelKey} data-model={m.modelKey}>
                    <td className="mono">{m.modelKey}</td>
                    <td className="num">{m.inferenceCount}</td>
                    <td className="num">{open(m.feesWei)}</td>
                    <td className="num">{open(m.poolWei)}</td>
                    <td>{m.state ?? 'recording'}{m.batchId ? <span className="muted"> · batch {m.batchId}</span> : null}</td>
                    <td>
                      <TxCell hash={m.payTx} />
                    </td>
                    <td>
                      <TxCell hash={m.postTx} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}

/** What the last settlement paid: each model's batch leaves, and who fell under the threshold. */
function SettledSection({ settled }: { settled: Settled }) {
  return (
    <section className="rewards-settled" data-testid="attr-settled">
      <h3>Epoch {settled.epoch} settled</h3>
      {settled.models.map((m) => (
        <div key={m.modelKey} className="rewards-settled__model">
          <div>
            <span className="mono">{m.modelKey}</span> <span className="muted">pool {open(m.poolWei)} · threshold {m.thresholdBps === null ? '–' : `${m.thresholdBps} bps`} · root </span>
            <span className="mono muted" title={m.root ?? ''}>
              {m.root ? `${m.root.slice(0, 10)}…` : '–'}
            </span>
          </div>
          <ul className="rewards-settled__leaves">
            {[...m.contributors].sort((a, b) => (BigInt(b.amountWei) > BigInt(a.amountWei) ? 1 : BigInt(b.amountWei) < BigInt(a.amountWei) ? -1 : 0)).map((c) => (
              <li key={c.address}>
                <ContributorName address={c.address} /> <span className="num">{open(c.amountWei)}</span>
              </li>
            ))}
            {m.folded.map((c) => (
              <li key={c.address} className="is-dropped">
                <ContributorName address={c.address} /> <span className="num">{open(c.feeWei)} under the threshold, folded into the others</span>
              </li>
            ))}
          </ul>
          {m.note ? <p className="muted">{m.note}</p> : null}
        </div>
      ))}
    </section>
  );
}

function ContributorCard({ address, r }: { address: string; r: ContributorRewards | undefined }) {
  const claims = r?.claims;
  const unclaimed = claims?.batches.filter((b) => !b.claimed) ?? [];
  const last = r?.sent[r.sent.length - 1];
  const label = contributorLabel(address);
  return (
    <li className="rewards-contributor" data-testid="attr-claim" data-address={address} data-claimed={claims ? claims.batches.length > 0 && unclaimed.length === 0 : undefined}>
      <div className="rewards-contributor__head">
        <ContributorName address={address} />
        <span className="mono muted rewards-contributor__address">{address}</span>
        <span className="rewards-contributor__balance" data-testid="attr-claim-balance">
          {last ? (
            <>
              {open(last.balanceBeforeWei)} → <strong>{open(last.balanceAfterWei)}</strong> <span className="tone-ok">(+{open(last.receivedWei)})</span>
            </>
          ) : claims ? (
            <>balance {open(claims.balanceWei)}</>
          ) : null}
        </span>
        <button
          type="button"
          className="button button--primary"
          data-testid="attr-claim-button"
          disabled={!claims || unclaimed.length === 0 || r?.claiming || !label.demo}
          title={label.demo ? 'Claim every unclaimed batch, signed by the contributor’s public dev-only key (devnet only)' : 'Only demo contributors can be signed for here; others claim with their own key'}
          onClick={() => void rewardsStore.getState().claim(address)}
        >
          {r?.claiming ? <Codicon name="loading" spin /> : <Codicon name="gift" />} Claim {unclaimed.length > 0 ? open(unclaimed.reduce((s, b) => s + BigInt(b.amountWei), 0n).toString()) : ''}
        </button>
      </div>
      {r?.error ? (
        <div className="inline-error" role="alert">
          {r.error}
        </div>
      ) : null}
      {claims && claims.batches.length > 0 ? (
        <table className="rewards-table">
          <tbody>
            {claims.batches.map((b) => (
              <tr key={b.batchId} data-batch={b.batchId}>
                <td>epoch {b.epoch}</td>
                <td className="mono">{b.modelKey}</td>
                <td className="mono muted">batch {b.batchId}</td>
                <td className="num">{open(b.amountWei)}</td>
                <td>{b.claimed ? <span className="tag tag--ok">claimed</span> : <span className="tag">claimable</span>}</td>
                <td>
                  <TxCell hash={r?.sent.find((s) => s.batchId === b.batchId)?.hash ?? null} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : claims ? (
        <p className="muted">Nothing posted for this contributor yet.</p>
      ) : null}
    </li>
  );
}

/** Contributors' claims: each one's batches, balance, and a Claim button for demo contributors. */
function ContributorsSection() {
  const { contributors, rewards } = useStore(rewardsStore);
  const [address, setAddress] = useState('');
  const valid = looksLikeAddress(address.trim());
  return (
    <section className="rewards-contributors">
      <form
        className="rewards-add"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) rewardsStore.getState().addContributor(address.trim());
          setAddress('');
        }}
      >
        <input className="input mono" placeholder="0x… a contributor's address" value={address} onChange={(e) => setAddress(e.target.value)} aria-label="Contributor address" />
        <button type="submit" className="button" disabled={!valid}>
          Show claims
        </button>
      </form>
      {contributors.length === 0 ? <p className="muted">The contributors of this session's attributed answers and settlements appear here; add any other address above.</p> : null}
      <ul className="rewards-contributors__list">
        {contributors.map((a) => (
          <ContributorCard key={a} address={a} r={rewards[a]} />
        ))}
      </ul>
    </section>
  );
}

/**
 * Rewards: attributed inferences recorded per epoch and model, settled on the devnet's
 * AttributionLedger (fees paid, one Merkle batch posted per model), and contributors claiming
 * with proofs made locally; every transaction links to the explorer.
 */
export function RewardsEditor() {
  const settled = useStore(rewardsStore, (s) => s.settled);
  const loading = useStore(rewardsStore, (s) => s.loading);
  useEffect(() => {
    void rewardsStore.getState().load();
  }, []);
  return (
    <div className="page rewards" data-testid="attr-rewards">
      <header className="rewards__head">
        <h2>Rewards</h2>
        <span className="muted">Each attributed inference's fee is split by its contributor shares; an epoch settles as one batch per model on the AttributionLedger.</span>
        <button type="button" className="button" onClick={() => void rewardsStore.getState().load()} disabled={loading}>
          <Codicon name="refresh" /> Refresh
        </button>
      </header>
      <h3>Epochs</h3>
      <EpochsSection />
      {settled ? <SettledSection settled={settled} /> : null}
      <h3>Contributors</h3>
      <ContributorsSection />
    </div>
  );
}
