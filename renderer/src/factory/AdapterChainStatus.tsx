import { useCallback, useEffect, useState } from 'react';
import type { AdapterVerification } from '../../../main/api/adaptersSchemas';
import { api } from '../api/client';
import { Badge, type BadgeTone } from '../components/Badge';
import { Codicon } from '../components/Codicon';

/** The four answers to "do the local files still match the chain?", in words a reader trusts. */
export function chainMatchWords(v: AdapterVerification): { tone: BadgeTone; icon: string; text: string } {
  switch (v.status) {
    case 'verified':
      return { tone: 'ok', icon: 'pass-filled', text: 'matches chain' };
    case 'mismatch':
      return { tone: 'error', icon: 'error', text: v.changed.length > 0 ? 'local files changed' : 'does not match chain' };
    case 'unverifiable':
      return { tone: 'warning', icon: 'debug-disconnect', text: 'chain unreachable' };
    case 'unpublished':
      return { tone: 'muted', icon: 'circle-slash', text: 'not published' };
  }
}

/**
 * One adapter's adapters.verify answer, read on mount and whenever `refreshKey` changes (after
 * publishing), and again on `recheck` (the files or the chain may change while the page is open).
 */
export function useAdapterVerification(name: string, refreshKey: unknown): { verification: AdapterVerification | null; checking: boolean; error: string | null; recheck: () => void } {
  const [verification, setVerification] = useState<AdapterVerification | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setChecking(true);
    api()
      .call('adapters.verify', { names: [name] })
      .then((list) => {
        if (!live) return;
        setVerification(list[0] ?? null);
        setError(null);
      })
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)))
      .finally(() => live && setChecking(false));
    return () => {
      live = false;
    };
  }, [name, refreshKey, round]);
  const recheck = useCallback(() => setRound((r) => r + 1), []);
  return { verification, checking, error, recheck };
}

/** The badge alone, for lists and the explorer. */
export function ChainMatchBadge({ verification }: { verification: AdapterVerification }) {
  const w = chainMatchWords(verification);
  return (
    <span data-testid="adapter-match" data-status={verification.status}>
      <Badge tone={w.tone} icon={w.icon} title={verification.message ?? undefined}>
        {w.text}
      </Badge>
    </span>
  );
}

const hex = (h: string) => `0x${h.replace(/^0x/, '')}`;

/**
 * The adapter's ModelRegistry entry as the chain holds it now and whether the files on disk still
 * match it: which file changed with both hashes, or why it could not be checked. A re-check button
 * hashes the files and reads the chain again.
 */
export function AdapterChainStatus({ name, refreshKey }: { name: string; refreshKey: unknown }) {
  const { verification: v, checking, error, recheck } = useAdapterVerification(name, refreshKey);
  return (
    <div className="fx-verify" data-testid="adapter-verification" data-status={v?.status ?? (error ? 'error' : 'loading')} data-checking={checking}>
      <div className="fx-verify__head">
        <span className="fx-verify__label">Local files</span>
        {v ? <ChainMatchBadge verification={v} /> : <span className="pl-muted">{error ? 'not checked' : 'checking…'}</span>}
        <span className="spacer" />
        <button className="button button--secondary" onClick={recheck} disabled={checking} data-testid="adapter-recheck" title="Hash the adapter's files and read the chain again">
          <Codicon name={checking ? 'loading' : 'refresh'} spin={checking} /> Re-check
        </button>
      </div>
      {error ? (
        <p className="pl-field__error fx-pad" role="alert">
          {error}
        </p>
      ) : null}
      {v?.status === 'unpublished' ? <p className="pl-muted fx-pad">Not published: its lineage is only in this workspace.</p> : null}
      {v?.status === 'unverifiable' || (v?.status === 'mismatch' && v.changed.length === 0) ? (
        <p className={`fx-pad ${v.status === 'mismatch' ? 'pl-field__error' : 'pl-muted'}`} data-testid="adapter-verify-message">
          {v.message}
        </p>
      ) : null}
      {v && v.changed.length > 0 ? (
        <table className="fx-table fx-table--kv fx-verify__changed" data-testid="adapter-changed-files">
          <tbody>
            {v.changed.map((c) => (
              <tr key={c.file} data-file={c.file}>
                <th>{c.file}</th>
                <td>
                  <div>
                    <span className="pl-muted">published </span>
                    <code>{c.published}</code>
                  </div>
                  <div>
                    <span className="pl-muted">on disk now </span>
                    <code className="fx-verify__bad">{c.actual}</code>
                  </div>
                  <div className="pl-muted" title={c.path}>
                    {c.path}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {v?.entry ? (
        <table className="fx-table fx-table--kv" data-testid="adapter-registry-entry">
          <tbody>
            <tr>
              <th>Model</th>
              <td>
                #{v.modelId} <span className="pl-muted">on chain {v.chainId}</span>
              </td>
            </tr>
            <tr>
              <th>Files hash</th>
              <td>
                <code>{hex(v.entry.filesHash)}</code>
              </td>
            </tr>
            {v.localFilesHash && v.status !== 'verified' ? (
              <tr>
                <th>On disk now</th>
                <td>
                  <code className="fx-verify__bad">{v.localFilesHash}</code>
                </td>
              </tr>
            ) : null}
            <tr>
              <th>Base model</th>
              <td>
                #{v.entry.baseModelId} <code>{v.entry.baseFilesHash ?? '—'}</code>
              </td>
            </tr>
            {v.entry.datanetVersions.map((d) => (
              <tr key={`${d.datanetId}/${d.version}`}>
                <th>Datanet</th>
                <td>
                  #{d.datanetId} v{d.version} · root <code>{d.merkleRoot ?? '—'}</code>
                </td>
              </tr>
            ))}
            <tr>
              <th>Config hash</th>
              <td>
                <code>{v.entry.trainingConfigHash}</code>
              </td>
            </tr>
            <tr>
              <th>Owner</th>
              <td>
                <code>{v.entry.owner}</code>
              </td>
            </tr>
            <tr>
              <th>URI</th>
              <td>
                <code>{v.entry.uri}</code>
              </td>
            </tr>
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
