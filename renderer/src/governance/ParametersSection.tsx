import type { GovParams } from '../../../main/api/governanceSchemas';
import { AddressText } from '../chain/AddressText';
import { TxLink } from '../chain/TxLink';
import { formatUnixTime, plural } from '../base/format';
import { formatBps } from './govFormat';

/** What each change event says, in words. */
function describeChange(eventName: string, args: Record<string, unknown>): string {
  switch (eventName) {
    case 'AttributionThresholdChanged':
      return `attribution threshold ${String(args.previousBps)} → ${String(args.newBps)} bps`;
    case 'FeeSplitChanged':
      return `fee split: contributors ${String(args.contributorFeeBps)} bps, model owner ${String(args.modelOwnerFeeBps)} bps`;
    case 'SlashRatioChanged':
      return `slash ratio ${String(args.previousBps)} → ${String(args.newBps)} bps`;
    case 'TreasuryChanged':
      return `treasury → ${String(args.newTreasury)}`;
    default:
      return JSON.stringify(args);
  }
}

/** ProtocolParams now, the rules a proposal goes through, and every change so far. */
export function ParametersSection({ params, live }: { params: GovParams; live: boolean }) {
  const p = params.params;
  const r = params.rules;
  return (
    <section className="page__section" id="gov-parameters" aria-label="Protocol parameters">
      <h2>Protocol parameters</h2>
      <p className="muted">Owned by the timelock: they change only when a proposal passes, is queued and executed.</p>
      <div className="gov-columns">
        <table className="table gov-params" data-testid="gov-params">
          <tbody>
            <tr data-param="attributionThreshold">
              <th scope="row">Attribution threshold</th>
              <td className="num mono" data-testid="param-attributionThreshold">
                {formatBps(p.attributionThresholdBps)}
              </td>
              <td className="muted">smallest share of a batch one contributor may claim</td>
            </tr>
            <tr data-param="contributorFee">
              <th scope="row">Contributor fee share</th>
              <td className="num mono">{formatBps(p.contributorFeeBps)}</td>
              <td className="muted">of each inference fee, to the data contributors</td>
            </tr>
            <tr data-param="modelOwnerFee">
              <th scope="row">Model owner fee share</th>
              <td className="num mono">{formatBps(p.modelOwnerFeeBps)}</td>
              <td className="muted">of each inference fee, to the model&apos;s owner</td>
            </tr>
            <tr>
              <th scope="row">Treasury fee share</th>
              <td className="num mono">{formatBps(p.treasuryFeeBps)}</td>
              <td className="muted">the rest of each fee (derived)</td>
            </tr>
            <tr data-param="slashRatio">
              <th scope="row">Slash ratio</th>
              <td className="num mono">{formatBps(p.slashTreasuryBps)}</td>
              <td className="muted">of a slashed stake, to the treasury; the curator gets the rest</td>
            </tr>
            <tr data-param="treasury">
              <th scope="row">Treasury</th>
              <td colSpan={2}>{live ? <AddressText address={p.treasury} /> : <span className="mono">{p.treasury}</span>}</td>
            </tr>
          </tbody>
        </table>
        <dl className="facts facts--compact gov-rules" aria-label="Governance rules">
          <dt>Voting delay</dt>
          <dd>{plural(r.votingDelayBlocks, 'block')}</dd>
          <dt>Voting period</dt>
          <dd>{plural(r.votingPeriodBlocks, 'block')}</dd>
          <dt>Quorum</dt>
          <dd>{r.quorumPercent}% of wrapped OPEN</dd>
          <dt>Proposal threshold</dt>
          <dd className="mono">{r.proposalThreshold === '0' ? 'none' : r.proposalThreshold}</dd>
          <dt>Timelock delay</dt>
          <dd>{r.timelockDelaySeconds} s</dd>
        </dl>
      </div>
      <h3 className="gov-subheading">History</h3>
      <table className="table" data-testid="gov-history">
        <thead>
          <tr>
            <th className="num">Block</th>
            <th>Time</th>
            <th>Change</th>
            <th>Transaction</th>
          </tr>
        </thead>
        <tbody>
          {params.history.map((h) => (
            <tr key={`${h.txHash}-${h.eventName}`} data-event={h.eventName}>
              <td className="num mono">{h.blockNumber}</td>
              <td className="muted">{formatUnixTime(h.timestamp)}</td>
              <td>
                <code className="gov-event">{h.eventName}</code> <span>{describeChange(h.eventName, h.args)}</span>
              </td>
              <td>{live ? <TxLink hash={h.txHash} /> : <span className="mono">{h.txHash.slice(0, 12)}…</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
