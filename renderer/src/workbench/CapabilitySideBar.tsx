import { useStore } from 'zustand';
import { openCapability } from './editors';
import { EmptyState } from '../components/EmptyState';
import { StatusPill } from '../components/StatusPill';
import { ViewHeader } from '../components/ViewHeader';
import { CAPABILITIES, type CapabilityId, capabilityStatus } from './capabilities';
import { ACTIVITY_META } from './layout';
import { workspaceStore } from '../workspace/workspaceStore';

/** Side bar of a capability this build does not have yet: what it will do, what it needs. */
export function CapabilitySideBar({ activity }: { activity: CapabilityId }) {
  const info = useStore(workspaceStore, (s) => s.appInfo);
  const cap = CAPABILITIES[activity];
  const status = capabilityStatus(activity, info);
  return (
    <div className="view">
      <ViewHeader title={cap.title} />
      <div className="view__body">
        <EmptyState icon={ACTIVITY_META[activity].icon} title={cap.emptyTitle} compact>
          <p>{cap.summary}</p>
          <p className="muted">{cap.missing}</p>
          {status ? <StatusPill status={status} /> : null}
          <button type="button" className="button button--secondary" onClick={() => openCapability(activity)}>
            What this view will do
          </button>
        </EmptyState>
      </div>
    </div>
  );
}
