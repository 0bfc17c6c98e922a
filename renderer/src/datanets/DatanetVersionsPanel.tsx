import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { MethodResult } from '../../../main/api/contract';
import type { DatanetProof, DatanetVersion } from '../../../main/api/datanetSchemas';
import type { PublicationStatus } from '../../../main/api/chainSchemas';
import { api } from '../api/client';
import { formatDateTime } from '../base/format';
import { Badge, type BadgeTone } from '../components/Badge';
import { Codicon } from '../components/Codicon';
import { openChainView } from '../chain/chainTabs';
import { publicationsStore } from '../chain/publishing/publicationsStore';
import { reportError } from '../workbench/toastStore';
import { datanetsStore } from './datanetsStore';

const PUB_TONE: Record<PublicationStatus, BadgeTone> = { pending: 'warning', confirmed: 'ok', failed: 'error', lost: 'error' };
const PUB_ICON: Record<PublicationStatus, string> = { pending: 'clock', confirmed: 'pass-filled', failed: 'error', lost: 'warning' };

/** Versions: freeze the accepted records, see each root and hash, publish, diff, export, prove. */
export function DatanetVersionsPanel({ name }: { name: string }) {
  const [versions, setVersions] = useState<DatanetVersion[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [published, setPublished] = useState<Record<number, string>>({});
  const publications = useStore(publicationsStore, (s) => s.publications);
  const stats = useStore(datanetsStore, (s) => s.stats[name]);

  const load = () =>
    api()
      .call('datanets.versions', { datanet: name })
      .then(setVersions)
      .catch((err: unknown) => reportError(err, 'Listing versions'));
  useEffect(() => {
    void load();
  }, [name]);

  const create = async () => {
    setBusy('create');
    try {
      await api().call('datanets.createVersion', { datanet: name });
      await load();
      datanetsStore.getState().changed(name);
    } catch (err) {
      reportError(err, 'Creating a version');
    } finally {
      setBusy(null);
    }
  };

  const publish = async (version: number) => {
    setBusy(`publish:${version}`);
    try {
      const res = await api().call('datanets.publish', { datanet: name, version });
      publicationsStore.getState().apply(res.publication);
      setPublished({ ...published, [version]: res.publication.id });
    } catch (err) {
      reportError(err, `Publishing version ${version}`);
    } finally {
      setBusy(null);
    }
  };

  // A version's publication: the one this view sent, else the newest commit of its Merkle root
  // (publications record the call's arguments; versions of different datanets differ in root).
  const publicationOf = (v: DatanetVersion) =>
    publications.find((p) => p.id === published[v.version]) ??
    publications.find((p) => p.kind === 'datanet.version' && JSON.stringify(p.params).toLowerCase().includes(v.merkleRoot.toLowerCase()));

  return (
    <div className="datanet-versions" data-testid="datanet-versions">
      <section className="datanet-panel">
        <h2 className="datanet-panel__title">Versions</h2>
        <div className="form__actions">
          <button type="button" className="button" disabled={busy !== null || (stats?.accepted ?? 0) === 0} data-testid="create-version" onClick={() => void create()}>
            <Codicon name="versions" /> {busy === 'create' ? 'Freezing…' : 'Create version'}
          </button>
          <span className="muted">
            Freezes the {(stats?.accepted ?? 0).toLocaleString('en-US')} accepted records: JSONL and Parquet snapshots, and the Merkle root the DatanetRegistry verifies.
          </span>
        </div>
        {versions.length === 0 ? (
          <p className="muted">No versions yet.</p>
        ) : (
          <table className="table table--dense" data-testid="versions-table">
            <thead>
              <tr>
                <th className="num">v</th>
                <th className="num">Records</th>
                <th>Merkle root</th>
                <th>sha256 (JSONL)</th>
                <th>Created</th>
                <th>On chain</th>
              </tr>
            </thead>
            <tbody>
              {[...versions].reverse().map((v) => {
                const p = publicationOf(v);
                return (
                  <tr key={v.version} data-version={v.version}>
                    <td className="num mono">{v.version}</td>
                    <td className="num">{v.records.toLocaleString('en-US')}</td>
                    <td className="mono" data-testid="merkle-root" title={v.merkleRoot}>
                      {v.merkleRoot.slice(0, 18)}…{v.merkleRoot.slice(-6)}
                    </td>
                    <td className="mono" title={v.sha256}>
                      {v.sha256.slice(0, 16)}…
                    </td>
                    <td>{formatDateTime(v.createdAt)}</td>
                    <td>
                      {p ? (
                        <span className="status-line" data-testid="publication-status" data-status={p.status}>
                          <Badge tone={PUB_TONE[p.status]} icon={PUB_ICON[p.status]}>
                            {p.status}
                          </Badge>
                          <button type="button" className="link-button" onClick={() => openChainView({ page: 'publications' })}>
                            explorer
                          </button>
                        </span>
                      ) : null}
                      {!p || p.status === 'failed' || p.status === 'lost' ? (
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          disabled={busy !== null}
                          data-testid="publish-version"
                          onClick={() => void publish(v.version)}
                        >
                          <Codicon name="cloud-upload" /> {busy === `publish:${v.version}` ? 'Publishing…' : p ? 'Republish' : 'Publish'}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <Submissions name={name} />
      {versions.length >= 2 ? <VersionDiff name={name} versions={versions} /> : null}
      {versions.length >= 1 ? <ExportAndProof name={name} versions={versions} /> : null}
    </div>
  );
}

function VersionSelect({ label, value, versions, onChange }: { label: string; value: number; versions: DatanetVersion[]; onChange: (v: number) => void }) {
  return (
    <select className="input" aria-label={label} value={value} onChange={(e) => onChange(Number(e.target.value))}>
      {versions.map((v) => (
        <option key={v.version} value={v.version}>
          v{v.version}
        </option>
      ))}
    </select>
  );
}

/** Added, removed and changed source ids between two versions (datanets.diff). */
function VersionDiff({ name, versions }: { name: string; versions: DatanetVersion[] }) {
  const [from, setFrom] = useState(versions[versions.length - 2]!.version);
  const [to, setTo] = useState(versions[versions.length - 1]!.version);
  const [diff, setDiff] = useState<MethodResult<'datanets.diff'> | null>(null);
  const run = () =>
    api()
      .call('datanets.diff', { datanet: name, from, to })
      .then(setDiff)
      .catch((err: unknown) => reportError(err, 'Diffing versions'));
  const list = (title: string, ids: string[], tone: string) => (
    <div className="version-diff__col">
      <div className={tone}>
        {title} <strong>{ids.length}</strong>
      </div>
      <ul className="version-diff__ids mono">
        {ids.slice(0, 200).map((id) => (
          <li key={id}>{id}</li>
        ))}
        {ids.length > 200 ? <li className="muted">… {ids.length - 200} more</li> : null}
      </ul>
    </div>
  );
  return (
    <section className="datanet-panel" data-testid="version-diff">
      <h2 className="datanet-panel__title">Diff</h2>
      <div className="datanet-toolbar">
        <VersionSelect label="From version" value={from} versions={versions} onChange={setFrom} />
        <Codicon name="arrow-right" />
        <VersionSelect label="To version" value={to} versions={versions} onChange={setTo} />
        <button type="button" className="button button--secondary button--small" onClick={() => void run()}>
          Compare
        </button>
      </div>
      {diff ? (
        <div className="version-diff">
          {list('added', diff.added, 'tone-ok')}
          {list('removed', diff.removed, 'tone-error')}
          {list('changed', diff.changed, 'tone-warning')}
        </div>
      ) : null}
    </section>
  );
}

/** Export a version to a path the core writes; an inclusion proof for one record of it. */
function ExportAndProof({ name, versions }: { name: string; versions: DatanetVersion[] }) {
  const latest = versions[versions.length - 1]!.version;
  const [version, setVersion] = useState(latest);
  const [format, setFormat] = useState<'jsonl' | 'parquet'>('parquet');
  const [out, setOut] = useState('');
  const [exported, setExported] = useState<MethodResult<'datanets.export'> | null>(null);
  const [sourceId, setSourceId] = useState('');
  const [proof, setProof] = useState<DatanetProof | null>(null);
  return (
    <section className="datanet-panel">
      <h2 className="datanet-panel__title">Export and proofs</h2>
      <form
        className="datanet-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          api()
            .call('datanets.export', { datanet: name, version, format, out: out.trim() })
            .then(setExported)
            .catch((err: unknown) => reportError(err, 'Exporting'));
        }}
      >
        <VersionSelect label="Version to export" value={version} versions={versions} onChange={setVersion} />
        <select className="input" aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as 'jsonl' | 'parquet')}>
          <option value="parquet">Parquet</option>
          <option value="jsonl">JSONL</option>
        </select>
        <input className="input mono datanet-import__path" aria-label="Export path" placeholder="/path/to/out.parquet (written by the core)" value={out} onChange={(e) => setOut(e.target.value)} />
        <button type="submit" className="button button--secondary button--small" disabled={!out.trim()}>
          Export
        </button>
      </form>
      {exported ? (
        <p className="muted">
          Wrote {exported.records.toLocaleString('en-US')} records of v{exported.version} to <span className="mono">{exported.path}</span> (sha256{' '}
          <span className="mono">{exported.sha256.slice(0, 16)}…</span>).
        </p>
      ) : null}
      <form
        className="datanet-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          api()
            .call('datanets.proof', { datanet: name, version, sourceId: sourceId.trim() })
            .then(setProof)
            .catch((err: unknown) => reportError(err, 'Building the proof'));
        }}
      >
        <input className="input mono" aria-label="Source id for a proof" placeholder="source id" value={sourceId} onChange={(e) => setSourceId(e.target.value)} />
        <button type="submit" className="button button--secondary button--small" disabled={!sourceId.trim()}>
          Inclusion proof in v{version}
        </button>
      </form>
      {proof ? <pre className="record-text">{JSON.stringify(proof, null, 2)}</pre> : null}
    </section>
  );
}

const SUBMISSION_TONE: Record<MethodResult<'datanets.submissions'>[number]['status'], BadgeTone> = { pending: 'warning', accepted: 'ok', rejected: 'error', slashed: 'error' };

/** Imports submitted on chain as staked batches (one per contributor) and their curator's decision. */
function Submissions({ name }: { name: string }) {
  const [list, setList] = useState<MethodResult<'datanets.submissions'> | null>(null);
  useEffect(() => {
    api()
      .call('datanets.submissions', { datanet: name })
      .then(setList)
      .catch((err: unknown) => reportError(err, 'Listing submissions'));
  }, [name]);
  return (
    <section className="datanet-panel" data-testid="datanet-submissions">
      <h2 className="datanet-panel__title">Staked submissions</h2>
      {list === null ? null : list.length === 0 ? (
        <p className="muted">
          None. An import submitted on chain (<code>studio datanet submit {name} --import ID</code>) becomes one staked batch per contributor, listed here.
        </p>
      ) : (
        <table className="table table--dense">
          <thead>
            <tr>
              <th className="num">#</th>
              <th className="num">Import</th>
              <th>Contributor</th>
              <th className="num">Records</th>
              <th>Batch root</th>
              <th>Status</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id} data-status={s.status}>
                <td className="num mono">{s.id}</td>
                <td className="num mono">{s.importId}</td>
                <td className="mono" title={s.contributor}>
                  {s.contributor.slice(0, 8)}…{s.contributor.slice(-4)}
                </td>
                <td className="num">{s.records.toLocaleString('en-US')}</td>
                <td className="mono" title={s.batchRoot}>
                  {s.batchRoot.slice(0, 14)}…
                </td>
                <td>
                  <Badge tone={SUBMISSION_TONE[s.status]} icon={s.status === 'accepted' ? 'pass-filled' : s.status === 'pending' ? 'clock' : 'error'}>
                    {s.status}
                  </Badge>
                </td>
                <td>{formatDateTime(s.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
