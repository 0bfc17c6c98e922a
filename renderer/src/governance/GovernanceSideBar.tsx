import { useEffect } from 'react';
import { useStore } from 'zustand';
import { Codicon } from '../components/Codicon';
import { IconButton } from '../components/IconButton';
import { SectionHeader } from '../components/SectionHeader';
import { useListKeys } from '../components/useListKeys';
import { ViewHeader } from '../components/ViewHeader';
import { formatBps, STATE_BADGE } from './govFormat';
import { governanceStore } from './governanceStore';
import { type GovSection, openGovernance } from './governanceTabs';

const SECTIONS: { section: GovSection; title: string; icon: string }[] = [
  { section: 'parameters', title: 'Protocol parameters', icon: 'settings' },
  { section: 'power', title: 'Voting power', icon: 'person' },
  { section: 'propose', title: 'New proposal', icon: 'add' },
  { section: 'proposals', title: 'Proposals', icon: 'law' },
];

/** The Governance side bar: its sections, the threshold now, and the open proposals. */
export function GovernanceSideBar() {
  const { network, params, proposals, error } = useStore(governanceStore);
  const onSectionKeys = useListKeys();
  const onProposalKeys = useListKeys();
  useEffect(() => {
    void governanceStore.getState().load();
  }, []);
  const open = proposals?.proposals.filter((p) => p.state === 'pending' || p.state === 'active' || p.state === 'succeeded' || p.state === 'queued') ?? [];
  return (
    <div className="view">
      <ViewHeader title="Governance">
        <IconButton icon="refresh" label="Refresh Governance" onClick={() => void governanceStore.getState().load()} />
      </ViewHeader>
      <div className="view__body" data-testid="governance-side-bar">
        <section aria-label="Governance sections">
          <SectionHeader title="Sections" />
          <ul className="list" role="listbox" aria-label="Governance sections" onKeyDown={onSectionKeys}>
            {SECTIONS.map((s, i) => (
              <li
                key={s.section}
                role="option"
                aria-selected={false}
                data-list-item
                data-section={s.section}
                tabIndex={i === 0 ? 0 : -1}
                className="list__item"
                onClick={() => openGovernance(s.section)}
              >
                <Codicon name={s.icon} />
                <span className="list__label">{s.title}</span>
              </li>
            ))}
          </ul>
        </section>
        {params ? (
          <section aria-label="Parameters now">
            <SectionHeader title={`Now on ${network}`} />
            <div className="card">
              <dl className="facts facts--compact">
                <dt>Threshold</dt>
                <dd className="mono" data-testid="side-threshold">
                  {formatBps(params.params.attributionThresholdBps)}
                </dd>
                <dt>Fee split</dt>
                <dd className="mono" title="contributors / model owner / treasury, in bps">
                  {params.params.contributorFeeBps} / {params.params.modelOwnerFeeBps} / {params.params.treasuryFeeBps}
                </dd>
                <dt>Slash ratio</dt>
                <dd className="mono">{formatBps(params.params.slashTreasuryBps)}</dd>
              </dl>
            </div>
          </section>
        ) : null}
        {error ? <p className="view__note muted">{error}</p> : null}
        <section aria-label="Open proposals">
          <SectionHeader title="Open proposals" count={open.length} />
          {open.length === 0 ? (
            <p className="view__note muted">None open.</p>
          ) : (
            <ul className="list" role="listbox" aria-label="Open proposals" onKeyDown={onProposalKeys}>
              {open.map((p, i) => (
                <li
                  key={p.id}
                  role="option"
                  aria-selected={false}
                  data-list-item
                  tabIndex={i === 0 ? 0 : -1}
                  className="list__item"
                  title={p.title}
                  onClick={() => openGovernance('proposals')}
                >
                  <Codicon name={STATE_BADGE[p.state].icon} />
                  <span className="list__label">{p.title}</span>
                  <span className="list__meta">{p.state}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
