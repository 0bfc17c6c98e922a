import { useEffect } from 'react';
import { useStore } from 'zustand';
import { Codicon } from '../components/Codicon';
import { IconButton } from '../components/IconButton';
import { SectionHeader } from '../components/SectionHeader';
import { useListKeys } from '../components/useListKeys';
import { ViewHeader } from '../components/ViewHeader';
import { activeTab } from '../workbench/tabs';
import { workbenchStore } from '../workbench/workbenchStore';
import { CreateDatanetForm } from './CreateDatanetForm';
import { datanetsStore } from './datanetsStore';
import { openDatanet } from './datanetTabs';

/** The workspace's datanets with their record and version counts, and the create form. */
export function DatanetsSideBar() {
  const { datanets, loaded, error, createRequest } = useStore(datanetsStore);
  const active = useStore(workbenchStore, (s) => activeTab(s.tabs));
  const onKeys = useListKeys();
  useEffect(() => {
    void datanetsStore.getState().load();
  }, []);
  const openCreate = () => datanetsStore.setState({ createRequest: createRequest + 1 });
  const closeCreate = () => datanetsStore.setState({ createRequest: 0 });
  return (
    <div className="view">
      <ViewHeader title="Datanets">
        <IconButton icon="add" label="Create Datanet" onClick={openCreate} />
        <IconButton icon="refresh" label="Refresh Datanets" onClick={() => void datanetsStore.getState().load()} />
      </ViewHeader>
      <div className="view__body" data-testid="datanets-side-bar">
        {!loaded ? <div className="progress-line" role="progressbar" aria-label="Loading datanets" /> : null}
        {error ? (
          <div className="inline-error inline-error--flush" role="alert">
            {error}
          </div>
        ) : null}
        {createRequest > 0 ? <CreateDatanetForm request={createRequest} onClose={closeCreate} /> : null}
        <section aria-label="Datanets">
          <SectionHeader title="Datanets" count={datanets.length} />
          {loaded && datanets.length === 0 && createRequest === 0 ? (
            <div className="view__note">
              <p className="muted">No datanets yet. A datanet is a curated dataset whose every record keeps its contributor's address.</p>
              <button type="button" className="button" onClick={openCreate}>
                Create datanet
              </button>
            </div>
          ) : null}
          <ul className="list" role="listbox" aria-label="Datanets" onKeyDown={onKeys}>
            {datanets.map((d, i) => (
              <li
                key={d.id}
                role="option"
                aria-selected={active?.id === `datanet:${d.name}`}
                data-list-item
                data-datanet={d.name}
                tabIndex={i === 0 ? 0 : -1}
                className="list__item"
                title={[d.description, d.domain && `domain: ${d.domain}`, d.licence && `licence: ${d.licence}`].filter(Boolean).join('\n') || d.name}
                onClick={() => openDatanet(d.name)}
              >
                <Codicon name="database" />
                <span className="list__label">{d.name}</span>
                <span className="list__meta">
                  {d.records.toLocaleString('en-US')} rec · {d.schema}
                  {d.versions > 0 ? ` · v${d.versions}` : ' · no version'}
                </span>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
