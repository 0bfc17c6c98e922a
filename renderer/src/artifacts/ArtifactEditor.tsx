import { useEffect, useState } from 'react';
import type { Artifact } from '../../../main/api/schemas';
import { api } from '../api/client';
import { commands } from '../workbench/commands/registry';
import { Codicon } from '../components/Codicon';
import { formatBytes, formatDateTime } from '../base/format';
import { toastStore } from '../workbench/toastStore';

/** One artifact's record, fetched fresh with artifacts.get. */
export function ArtifactEditor({ sha256 }: { sha256: string }) {
  const [artifact, setArtifact] = useState<Artifact | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api()
      .call('artifacts.get', { sha256 })
      .then((a) => live && setArtifact(a))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [sha256]);

  const copy = () => {
    void navigator.clipboard?.writeText(sha256).then(
      () => toastStore.getState().show('info', 'Copied the sha256.'),
      () => toastStore.getState().show('warning', 'The clipboard is not available here.'),
    );
  };

  return (
    <div className="page" data-testid="artifact-detail">
      <header className="page__header">
        <Codicon name="file-binary" className="page__icon" />
        <div>
          <h1 className="page__title">{artifact?.name ?? 'Artifact'}</h1>
          <p className="page__subtitle mono">{sha256}</p>
        </div>
      </header>
      {error ? (
        <div className="inline-error" role="alert">
          {error}
        </div>
      ) : !artifact ? (
        <div className="progress-line" role="progressbar" aria-label="Loading artifact" />
      ) : (
        <section className="page__section">
          <dl className="facts">
            <dt>sha256</dt>
            <dd className="mono">
              {artifact.sha256}{' '}
              <button type="button" className="link-button" onClick={copy}>
                Copy
              </button>
            </dd>
            <dt>Name</dt>
            <dd>{artifact.name || '(unnamed)'}</dd>
            <dt>Size</dt>
            <dd>
              {formatBytes(artifact.size)} <span className="muted">({artifact.size.toLocaleString('en-US')} bytes)</span>
            </dd>
            <dt>Media type</dt>
            <dd className="mono">{artifact.mediaType}</dd>
            <dt>Created</dt>
            <dd>{formatDateTime(artifact.createdAt)}</dd>
          </dl>
          <button type="button" className="button button--secondary" onClick={() => void commands.run('artifacts.verify')}>
            <Codicon name="verified" /> Verify artifact store
          </button>
        </section>
      )}
    </div>
  );
}
