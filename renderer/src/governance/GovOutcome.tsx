import type { ReviewOutcome } from '../chain/writes/preparedWriteStore';
import { RevertNotice } from '../chain/writes/RevertNotice';
import { TxLink } from '../chain/TxLink';
import { Badge } from '../components/Badge';

/** How a governance write ended, under the control that sent it. */
export function GovOutcome({ outcome, testId }: { outcome: ReviewOutcome | null; testId: string }) {
  if (!outcome) return null;
  switch (outcome.kind) {
    case 'sent': {
      const r = outcome.result;
      return (
        <div className="gov-outcome" data-testid={testId} data-outcome="sent">
          <Badge tone={r.status === 'success' ? 'ok' : 'error'} icon={r.status === 'success' ? 'pass-filled' : 'error'}>
            {r.status}
          </Badge>
          <span>
            in block <span className="mono">#{r.blockNumber}</span> on {r.network}
          </span>
          {r.network === 'devnet' ? <TxLink hash={r.hash} /> : <span className="mono">{r.hash}</span>}
        </div>
      );
    }
    case 'revert':
      return (
        <div data-testid={testId} data-outcome="revert">
          <RevertNotice errorName={outcome.errorName} args={outcome.args} message={outcome.message} />
          <p className="muted fn-form__note">Refused before sending: nothing was signed, sent or recorded.</p>
        </div>
      );
    case 'cancelled':
      return (
        <p className="muted fn-form__note" data-testid={testId} data-outcome="cancelled">
          Cancelled: nothing was signed or sent.
        </p>
      );
    case 'error':
      return (
        <div className="inline-error inline-error--flush" role="alert" data-testid={testId} data-outcome="error">
          {outcome.message}
          {outcome.code ? <span className="muted"> ({outcome.code})</span> : null}
        </div>
      );
  }
}
