import type { DecodedLog } from '../../../../main/api/chainSchemas';
import { shortHex } from '../chainFormat';
import { NamedArgs } from '../NamedArgs';

/** One decoded event: contract.EventName and its named fields (raw topics when unknown). */
export function EventCard({ log }: { log: DecodedLog }) {
  return (
    <div className="event-card" data-event-name={log.eventName ?? ''}>
      <div className="event-card__title">
        <span className="muted">{log.contractName ?? shortHex(log.address)}.</span>
        <strong>{log.eventName ?? '(unknown event)'}</strong>
        <span className="muted event-card__index">log #{log.logIndex}</span>
      </div>
      <NamedArgs args={log.args} />
    </div>
  );
}
