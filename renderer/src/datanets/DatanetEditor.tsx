import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { Datanet } from '../../../main/api/datanetSchemas';
import { api } from '../api/client';
import { Codicon } from '../components/Codicon';
import { EmptyState } from '../components/EmptyState';
import { DatanetImportPanel } from './DatanetImportPanel';
import { DatanetRecordsView } from './DatanetRecordsView';
import { DatanetStatsHeader } from './DatanetStatsHeader';
import { DatanetVersionsPanel } from './DatanetVersionsPanel';
import { datanetsStore } from './datanetsStore';
import type { DatanetSection } from './datanetTabs';

const SECTIONS: { id: DatanetSection; title: string; icon: string }[] = [
  { id: 'records', title: 'Records & review', icon: 'list-flat' },
  { id: 'import', title: 'Import', icon: 'cloud-download' },
  { id: 'versions', title: 'Versions', icon: 'versions' },
];

/** A datanet's tab: its statistics, then records and review, import, or versions. */
export function DatanetEditor({ input }: { input: { name: string; section?: DatanetSection; filter?: string } }) {
  const { name } = input;
  const listed = useStore(datanetsStore, (s) => s.datanets.find((d) => d.name === name));
  const revision = useStore(datanetsStore, (s) => s.revision[name] ?? 0);
  // The tab reads its own datanet (it may open before the side bar's list, e.g. restored tabs).
  const [own, setOwn] = useState<Datanet | undefined>(undefined);
  const datanet = listed ?? own;
  const [missing, setMissing] = useState<string | null>(null);
  const stats = useStore(datanetsStore, (s) => s.stats[name]);
  const [section, setSection] = useState<DatanetSection>(input.section ?? 'records');
  const [filter, setFilter] = useState(input.filter ?? 'status:pending');
  useEffect(() => {
    if (input.section) setSection(input.section);
  }, [input.section]);
  // Opened again with a filter (attribution's "open record"): the listing shows it.
  useEffect(() => {
    if (input.filter) setFilter(input.filter);
  }, [input.filter]);
  useEffect(() => {
    void datanetsStore.getState().loadStats(name);
    api()
      .call('datanets.get', { datanet: name })
      .then(setOwn)
      .catch((err: unknown) => setMissing(err instanceof Error ? err.message : String(err)));
  }, [name, revision]);
  if (missing && !datanet) {
    return (
      <div className="page">
        <EmptyState icon="database" title={`Datanet ${name} cannot be read`}>
          <p className="tone-error">{missing}</p>
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="datanet-editor" data-testid="datanet-editor" data-datanet={name}>
      <DatanetStatsHeader
        datanet={datanet}
        stats={stats}
        onFilter={(f) => {
          setFilter(f);
          setSection('records');
        }}
      />
      <nav className="datanet-sections" role="tablist" aria-label="Datanet sections">
        {SECTIONS.map((s) => (
          <button
            key={s.id}
            type="button"
            role="tab"
            aria-selected={section === s.id}
            className={section === s.id ? 'datanet-sections__tab is-active' : 'datanet-sections__tab'}
            data-section={s.id}
            onClick={() => setSection(s.id)}
          >
            <Codicon name={s.icon} /> {s.title}
          </button>
        ))}
      </nav>
      <div className="datanet-editor__body">
        {section === 'records' ? <DatanetRecordsView name={name} filter={filter} onFilter={setFilter} /> : null}
        {section === 'import' ? <DatanetImportPanel name={name} schema={datanet?.schema ?? 'text'} onDone={() => setSection('records')} /> : null}
        {section === 'versions' ? <DatanetVersionsPanel name={name} /> : null}
      </div>
    </div>
  );
}
