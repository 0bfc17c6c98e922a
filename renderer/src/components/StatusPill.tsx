import type { CapabilityStatus } from '../../../main/api/schemas';
import { Codicon } from './Codicon';

const ICONS: Record<CapabilityStatus['state'], string> = {
  ready: 'pass-filled',
  stopped: 'circle-large-outline',
  unavailable: 'circle-slash',
  error: 'error',
};

/** A capability's state from app.info, with the core's own label and detail. */
export function StatusPill({ status }: { status: CapabilityStatus }) {
  return (
    <span className={`status-pill status-pill--${status.state}`} title={status.detail}>
      <Codicon name={ICONS[status.state]} />
      {status.label}
    </span>
  );
}
