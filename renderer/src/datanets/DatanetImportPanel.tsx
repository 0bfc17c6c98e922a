import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { addressProblem } from '../../../main/api/checkAddress';
import type { MethodResult } from '../../../main/api/contract';
import type { DatanetImportResult, FieldMapping, ImportFormat, RecordSchemaKind } from '../../../main/api/datanetSchemas';
import { api } from '../api/client';
import { formatDateTime, formatProgress } from '../base/format';
import { Codicon } from '../components/Codicon';
import { isJobActive } from '../jobs/jobs';
import { jobsStore } from '../jobs/jobsStore';
import { reportError } from '../workbench/toastStore';
import { workbenchStore } from '../workbench/workbenchStore';
import { datanetsStore } from './datanetsStore';

type Preview = MethodResult<'datanets.preview'>;
type MappingKey = 'textField' | 'promptField' | 'responseField' | 'messagesField' | 'labelField';

/** The content fields each record schema maps, with the source field tried first. */
const CONTENT_FIELDS: Record<RecordSchemaKind, { key: MappingKey; label: string; guess: string[] }[]> = {
  text: [{ key: 'textField', label: 'Text', guess: ['text', 'content', 'body'] }],
  instruction: [
    { key: 'promptField', label: 'Prompt', guess: ['prompt', 'instruction', 'question', 'input'] },
    { key: 'responseField', label: 'Response', guess: ['response', 'output', 'answer', 'completion'] },
  ],
  chat: [{ key: 'messagesField', label: 'Messages', guess: ['messages', 'conversation'] }],
  labelled: [
    { key: 'textField', label: 'Text', guess: ['text', 'content'] },
    { key: 'labelField', label: 'Label', guess: ['label', 'class', 'category'] },
  ],
};

const guess = (fields: string[], names: string[]) => names.find((n) => fields.includes(n)) ?? '';
const cell = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Import in three steps: a path the core reads (serve mode runs in a browser, which cannot hand
 * the core a file, so the path is typed), the preview of the first rows with the field mapping,
 * then the `datanet.import` job (progress here and in the Jobs panel) and its report.
 */
export function DatanetImportPanel({ name, schema, onDone }: { name: string; schema: RecordSchemaKind; onDone: () => void }) {
  const [path, setPath] = useState('');
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [split, setSplit] = useState<'file' | 'paragraph'>('file');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [mapping, setMapping] = useState<Partial<Record<MappingKey | 'idField' | 'contributorField', string>>>({});
  const [contributorMode, setContributorMode] = useState<'field' | 'one'>('field');
  const [contributor, setContributor] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useStore(jobsStore, (s) => (jobId ? s.jobs.find((j) => j.id === jobId) : undefined));
  const [imports, setImports] = useState<MethodResult<'datanets.imports'>>([]);

  const loadImports = () =>
    api()
      .call('datanets.imports', { datanet: name })
      .then(setImports)
      .catch((err: unknown) => reportError(err, 'Listing imports'));
  useEffect(() => {
    void loadImports();
  }, [name]);

  const finished = job && !isJobActive(job) ? job : undefined;
  useEffect(() => {
    if (finished?.status === 'succeeded') {
      datanetsStore.getState().changed(name);
      void loadImports();
    }
  }, [finished?.status]);

  const runPreview = async () => {
    setLoading(true);
    setPreviewError(null);
    try {
      const p = await api().call('datanets.preview', { path: path.trim(), format: format || undefined, split, limit: 20 });
      setPreview(p);
      const next: typeof mapping = {};
      for (const f of CONTENT_FIELDS[schema]) next[f.key] = guess(p.fields, f.guess);
      next.idField = guess(p.fields, ['id']);
      next.contributorField = guess(p.fields, ['contributor', 'address', 'author', 'wallet']);
      setMapping(next);
      setContributorMode(next.contributorField ? 'field' : 'one');
    } catch (err) {
      setPreview(null);
      setPreviewError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoading(false);
    }
  };

  const contributorError = contributorMode === 'one' ? (contributor === '' ? 'One address for every row.' : addressProblem(contributor.trim())) : null;
  const missing = preview && preview.format !== 'text' ? CONTENT_FIELDS[schema].filter((f) => !mapping[f.key]).map((f) => f.label) : [];
  const canStart = preview !== null && missing.length === 0 && contributorError === null && (contributorMode === 'one' || Boolean(mapping.contributorField)) && !(job && isJobActive(job));

  const start = async () => {
    const m: FieldMapping = {};
    for (const f of CONTENT_FIELDS[schema]) if (mapping[f.key]) m[f.key] = mapping[f.key];
    if (mapping.idField) m.idField = mapping.idField;
    if (contributorMode === 'field') m.contributorField = mapping.contributorField;
    else m.contributor = contributor.trim();
    const started = await jobsStore.getState().start({ kind: 'datanet.import', params: { datanet: name, path: path.trim(), format: format || undefined, split, mapping: m } });
    if (started) setJobId(started.id);
  };

  const result = finished?.status === 'succeeded' ? (finished.result as DatanetImportResult) : null;
  const fieldSelect = (key: MappingKey | 'idField' | 'contributorField', label: string, optional: boolean) => (
    <div className="form__field" key={key}>
      <label className="form__label" htmlFor={`import-${key}`}>
        {label}
      </label>
      <select id={`import-${key}`} className="input mono" value={mapping[key] ?? ''} onChange={(e) => setMapping({ ...mapping, [key]: e.target.value })}>
        <option value="">{optional ? '(none)' : '(choose a field)'}</option>
        {preview?.fields.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <div className="datanet-import" data-testid="datanet-import">
      <section className="datanet-panel">
        <h2 className="datanet-panel__title">1 · Source</h2>
        <p className="muted datanet-panel__note">
          <Codicon name="info" /> The core reads the file: give its path on the machine running Studio (in serve mode the page runs in a browser, which
          cannot hand a file to the core). JSONL, CSV, TSV, Parquet, a folder of .txt/.md files, or a dataset folder of shards.
        </p>
        <form
          className="datanet-import__source"
          onSubmit={(e) => {
            e.preventDefault();
            if (path.trim()) void runPreview();
          }}
        >
          <input
            className="input mono datanet-import__path"
            aria-label="Source path"
            placeholder="/path/to/records.jsonl"
            spellCheck={false}
            value={path}
            onChange={(e) => setPath(e.target.value)}
          />
          <select className="input" aria-label="Format" value={format} onChange={(e) => setFormat(e.target.value as ImportFormat | '')}>
            <option value="">format from extension</option>
            {(['jsonl', 'csv', 'tsv', 'parquet', 'text'] as const).map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
          {format === 'text' ? (
            <select className="input" aria-label="Records per" value={split} onChange={(e) => setSplit(e.target.value as 'file' | 'paragraph')}>
              <option value="file">one record per file</option>
              <option value="paragraph">one per paragraph</option>
            </select>
          ) : null}
          <button type="submit" className="button" disabled={!path.trim() || loading}>
            {loading ? 'Reading…' : 'Preview'}
          </button>
        </form>
        {previewError ? (
          <div className="inline-error inline-error--flush" role="alert">
            {previewError}
          </div>
        ) : null}
      </section>

      {preview ? (
        <section className="datanet-panel" data-testid="import-preview">
          <h2 className="datanet-panel__title">
            2 · Preview and field mapping <span className="muted">({preview.format}, {preview.fields.length} fields, first {preview.rows.length} rows)</span>
          </h2>
          <div className="datanet-preview">
            <table className="table table--dense">
              <thead>
                <tr>
                  <th className="num">line</th>
                  {preview.fields.map((f) => (
                    <th key={f}>{f}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={`${r.file ?? ''}:${r.line}`} className={r.error ? 'is-error' : undefined}>
                    <td className="num mono">{r.line}</td>
                    {r.error ? (
                      <td colSpan={Math.max(1, preview.fields.length)} className="tone-error">
                        <Codicon name="error" /> {r.error}
                      </td>
                    ) : (
                      preview.fields.map((f) => (
                        <td key={f} className="datanet-preview__cell" title={cell(r.fields?.[f])}>
                          {cell(r.fields?.[f])}
                        </td>
                      ))
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="datanet-mapping" data-testid="field-mapping">
            {CONTENT_FIELDS[schema].map((f) => fieldSelect(f.key, `${f.label} field`, false))}
            {fieldSelect('idField', 'Source id field', true)}
            <div className="form__field">
              <span className="form__label">Contributor</span>
              <div className="datanet-mapping__choice">
                <label>
                  <input type="radio" name="contributor-mode" checked={contributorMode === 'field'} onChange={() => setContributorMode('field')} /> from a field
                </label>
                <label>
                  <input type="radio" name="contributor-mode" checked={contributorMode === 'one'} onChange={() => setContributorMode('one')} /> one address
                </label>
              </div>
            </div>
            {contributorMode === 'field' ? (
              fieldSelect('contributorField', 'Contributor field', false)
            ) : (
              <div className="form__field">
                <label className="form__label" htmlFor="import-contributor">
                  Contributor address
                </label>
                <input
                  id="import-contributor"
                  className={`input mono${contributor !== '' && contributorError ? ' is-invalid' : ''}`}
                  placeholder="0x…"
                  spellCheck={false}
                  value={contributor}
                  onChange={(e) => setContributor(e.target.value)}
                />
                <div className={contributor !== '' && contributorError ? 'form__hint is-error' : 'form__hint'}>
                  {contributor !== '' && contributorError ? contributorError : 'Checked against its EIP-55 checksum when mixed case.'}
                </div>
              </div>
            )}
          </div>
          {missing.length > 0 ? <p className="form__hint is-error">Choose the {missing.join(' and ')} field.</p> : null}
          <div className="form__actions">
            <button type="button" className="button" disabled={!canStart} onClick={() => void start()} data-testid="start-import">
              <Codicon name="cloud-download" /> Import into {name}
            </button>
            <span className="muted">Rows are checked one by one; bad rows are reported and kept out, good rows land together.</span>
          </div>
        </section>
      ) : null}

      {job ? (
        <section className="datanet-panel" data-testid="import-job" data-status={job.status}>
          <h2 className="datanet-panel__title">3 · Import</h2>
          {isJobActive(job) ? (
            <div className="datanet-import__progress">
              <progress max={1} value={job.progress ?? undefined} aria-label="Import progress" />
              <span className="mono">{formatProgress(job.progress)}</span>
              <span className="muted">{job.message ?? job.status}</span>
              <button type="button" className="button button--secondary button--small" onClick={() => void jobsStore.getState().cancel(job.id)}>
                Cancel
              </button>
              <button type="button" className="link-button" onClick={() => workbenchStore.getState().showPanelView('jobs')}>
                Jobs panel
              </button>
            </div>
          ) : null}
          {job.status === 'failed' || job.status === 'cancelled' || job.status === 'interrupted' ? (
            <div className="inline-error inline-error--flush" role="alert">
              Import {job.status}: {job.error?.message ?? 'nothing was imported; the datanet is as it was.'}
            </div>
          ) : null}
          {result ? <ImportReport result={result} onReview={onDone} /> : null}
        </section>
      ) : null}

      <section className="datanet-panel">
        <h2 className="datanet-panel__title">Imports</h2>
        {imports.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <table className="table table--dense" data-testid="imports-table">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Source</th>
                <th>Format</th>
                <th className="num">Imported</th>
                <th className="num">Rejected</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((i) => (
                <tr key={i.id}>
                  <td className="num mono">{i.id}</td>
                  <td className="mono datanet-preview__cell" title={i.source}>
                    {i.source}
                  </td>
                  <td>{i.format}</td>
                  <td className="num">{i.imported.toLocaleString('en-US')}</td>
                  <td className={i.rejected > 0 ? 'num tone-error' : 'num'}>{i.rejected.toLocaleString('en-US')}</td>
                  <td>{formatDateTime(i.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** What the import kept and what it kept out, line by line. */
function ImportReport({ result, onReview }: { result: DatanetImportResult; onReview: () => void }) {
  return (
    <div className="datanet-report" data-testid="import-report">
      <p>
        <Codicon name="pass-filled" className="tone-ok" /> <strong data-testid="import-imported">{result.imported.toLocaleString('en-US')}</strong> records imported,{' '}
        <strong className={result.rejectedCount > 0 ? 'tone-error' : undefined} data-testid="import-rejected">
          {result.rejectedCount.toLocaleString('en-US')}
        </strong>{' '}
        rows rejected. <span className="muted mono" title={result.reportSha256}>report {result.reportSha256.slice(0, 12)}</span>{' '}
        <button type="button" className="button button--small" onClick={onReview}>
          Review records
        </button>
      </p>
      {result.rejected.length > 0 ? (
        <table className="table table--dense" data-testid="rejected-rows">
          <thead>
            <tr>
              <th className="num">Line</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {result.rejected.map((r, i) => (
              <tr key={i}>
                <td className="num mono">
                  {r.file ? `${r.file}:` : ''}
                  {r.line}
                  {r.rowGroup !== undefined ? ` (group ${r.rowGroup}, row ${r.row})` : ''}
                </td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {result.rejectedCount > result.rejected.length ? <p className="muted">First {result.rejected.length} of {result.rejectedCount} shown; the report holds the rest.</p> : null}
    </div>
  );
}
