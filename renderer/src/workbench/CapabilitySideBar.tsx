import { useStore } from 'zustand';
import { EmptyState } from '../components/EmptyState';
import { StatusPill } from '../components/StatusPill';
import { ViewHeader } from '../components/ViewHeader';
import { capabilityStatus } from './capabilities';
import { contributions, openCapability } from './contributions';
import { workspaceStore } from '../workspace/workspaceStore';

/** Side bar of a capability this build does not have yet: what it will do, what it needs. */
export function CapabilitySideBar({ activity }: { activity: string }) {
  const info = useStore(workspaceStore, (s) => s.appInfo);
  const meta = contributions.activity(activity);
  const cap = contributions.overview(activity);
  if (!meta || !cap) return null;
  const status = capabilityStatus(cap, info);
  return (
    <div className="view">
      <ViewHeader title={cap.title} />
      <div className="view__body">
        <EmptyState icon={meta.icon} title={cap.emptyTitle} compact>
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
