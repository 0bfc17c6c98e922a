import { useStore } from 'zustand';
import { Codicon } from '../components/Codicon';
import { StatusPill } from '../components/StatusPill';
import { capabilityStatus } from './capabilities';
import { contributions } from './contributions';
import type { TabInputOf } from './tabs';
import { workspaceStore } from '../workspace/workspaceStore';

/** A capability's overview tab while it is not built: its purpose and what it waits for. */
export function CapabilityEditor({ input }: { input: TabInputOf<'capability'> }) {
  const { activity } = input;
  const info = useStore(workspaceStore, (s) => s.appInfo);
  const cap = contributions.overview(activity);
  if (!cap) return null;
  const status = capabilityStatus(cap, info);
  return (
    <div className="page" data-testid={`capability-${activity}`}>
      <header className="page__header">
        <Codicon name={contributions.activity(activity)?.icon ?? 'info'} className="page__icon" />
        <div>
          <h1 className="page__title">{cap.title}</h1>
          <p className="page__subtitle">{cap.summary}</p>
        </div>
      </header>
      <section className="page__section">
        <h2>Status</h2>
        <p>{cap.missing}</p>
        {status ? (
          <p className="status-line">
            <span className="muted">{cap.dependsOn === 'engine' ? 'Model engine' : 'Chain'}</span>
            <StatusPill status={status} />
            <span>{status.detail}</span>
          </p>
        ) : null}
      </section>
      <section className="page__section">
        <h2>What this view will do</h2>
        <ul className="check-list">
          {cap.will.map((line) => (
            <li key={line}>
              <Codicon name="circle-small" />
              {line}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
