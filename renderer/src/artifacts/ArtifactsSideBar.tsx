import { useStore } from 'zustand';
import { commands } from '../workbench/commands/registry';
import { openArtifact } from './artifactTabs';
import { Codicon } from '../components/Codicon';
import { EmptyState } from '../components/EmptyState';
import { IconButton } from '../components/IconButton';
import { useListKeys } from '../components/useListKeys';
import { ViewHeader } from '../components/ViewHeader';
import { formatBytes, formatDateTime, shortSha } from '../base/format';
import { artifactsStore } from './artifactsStore';
import { workbenchStore } from '../workbench/workbenchStore';

/** The workspace's content-addressed artifacts, newest first; a click opens the detail tab. */
export function ArtifactsSideBar() {
  const { artifacts, loaded, loading, error } = useStore(artifactsStore);
  const activeTabId = useStore(workbenchStore, (s) => s.tabs.activeId);
  const onKeyDown = useListKeys();
  return (
    <div className="view">
      <ViewHeader title="Artifacts">
        <IconButton icon="verified" label="Verify Artifact Store" onClick={() => void commands.run('artifacts.verify')} />
        <IconButton icon="refresh" label="Refresh Artifacts" spin={loading} onClick={() => void commands.run('artifacts.refresh')} />
      </ViewHeader>
      <div className="view__body">
        {!loaded ? <div className="progress-line" role="progressbar" aria-label="Loading artifacts" /> : null}
        {error ? <div className="inline-error" role="alert">{error}</div> : null}
        {loaded && !error && artifacts.length === 0 ? (
          <EmptyState icon="package" title="No artifacts yet" compact>
            <p>
              Dataset snapshots, adapters, exported models and indexes land here, addressed by their sha256, as the
              other views produce them.
            </p>
            <button type="button" className="button button--secondary" onClick={() => void commands.run('artifacts.verify')}>
              Verify artifact store
            </button>
          </EmptyState>
        ) : (
          <ul className="list" role="listbox" aria-label="Artifacts" onKeyDown={onKeyDown}>
            {artifacts.map((a, i) => (
              <li
                key={a.sha256}
                role="option"
                aria-selected={activeTabId === `artifact:${a.sha256}`}
                data-list-item
                tabIndex={i === 0 ? 0 : -1}
                className="list__item list__item--two-line"
                title={`${a.name}\n${a.sha256}\n${formatDateTime(a.createdAt)}`}
                onClick={() => openArtifact(a)}
              >
                <Codicon name="file-binary" />
                <span className="list__stack">
                  <span className="list__label">{a.name || '(unnamed)'}</span>
                  <span className="list__sub">
                    <code>{shortSha(a.sha256)}</code> · {formatBytes(a.size)} · {a.mediaType}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
