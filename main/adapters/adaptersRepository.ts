import { ErrorCode, StudioError } from '../api/apiError';
import type { AdapterRecord } from '../api/adaptersSchemas';
import type { Db } from '../workspace/openDatabase';

interface AdapterRow {
  name: string;
  source: AdapterRecord['source'];
  rank: number;
  alpha: number;
  rslora: number;
  targets_json: string;
  modules: number;
  parameters: number;
  size: number;
  config_sha256: string;
  weights_sha256: string;
  base_json: string;
  base_digest: string;
  datanet: string | null;
  run: string | null;
  imported_from: string | null;
  parents_json: string;
  /** Absent in a workspace a reader without the lock sees before its migration. */
  merge_json?: string | null;
  created_at: string;
}

const toRecord = (r: AdapterRow): AdapterRecord => ({
  name: r.name,
  source: r.source,
  rank: r.rank,
  alpha: r.alpha,
  rslora: r.rslora === 1,
  targets: JSON.parse(r.targets_json) as string[],
  modules: r.modules,
  parameters: r.parameters,
  size: r.size,
  configSha256: r.config_sha256,
  weightsSha256: r.weights_sha256,
  base: JSON.parse(r.base_json) as AdapterRecord['base'],
  datanet: r.datanet,
  run: r.run,
  importedFrom: r.imported_from,
  parents: JSON.parse(r.parents_json) as AdapterRecord['parents'],
  merge: r.merge_json ? (JSON.parse(r.merge_json) as AdapterRecord['merge']) : null,
  createdAt: r.created_at,
});

/**
 * Every adapter, newest first. `query`: whitespace-separated words that must each appear
 * (case-insensitively) in the name, source, targets, base folder or digest, run, datanet or
 * import folder; so "gpt2 trained" narrows as a search box does.
 */
export function listAdapters(db: Db, query?: string): AdapterRecord[] {
  if (!hasAdaptersTable(db)) return [];
  const words = (query ?? '').trim().split(/\s+/).filter(Boolean);
  const haystack = "lower(name || ' ' || source || ' ' || targets_json || ' ' || base_json || ' ' || coalesce(run, '') || ' ' || coalesce(datanet, '') || ' ' || coalesce(imported_from, ''))";
  // instr, not LIKE: a user's "%" or "_" is text to find, not a wildcard.
  const where = words.map(() => `instr(${haystack}, ?) > 0`).join(' AND ');
  const rows = db.prepare(`SELECT * FROM adapters ${where ? `WHERE ${where}` : ''} ORDER BY created_at DESC, name`).all(...words.map((w) => w.toLowerCase())) as AdapterRow[];
  return rows.map(toRecord);
}

export function findAdapter(db: Db, name: string): AdapterRecord | undefined {
  if (!hasAdaptersTable(db)) return undefined;
  const row = db.prepare('SELECT * FROM adapters WHERE name = ?').get(name) as AdapterRow | undefined;
  return row ? toRecord(row) : undefined;
}

export function getAdapter(db: Db, name: string): AdapterRecord {
  const found = findAdapter(db, name);
  if (!found) throw new StudioError(ErrorCode.NotFound, `No adapter named "${name}" in this workspace; \`studio adapters list\` shows them.`, { name });
  return found;
}

/**
 * A workspace last opened for writing by an older build has no adapters table yet, and a reader
 * without the lock (the CLI's listings, generate --adapter) cannot migrate it: it has no adapters.
 */
function hasAdaptersTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'adapters'").get() !== undefined;
}

/** `wanted`, or `wanted-2`, `wanted-3`... when taken: a training run never fails for its name. */
export function uniqueAdapterName(db: Db, wanted: string): string {
  const base = wanted.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 56) || 'adapter';
  if (!findAdapter(db, base)) return base;
  for (let i = 2; ; i++) if (!findAdapter(db, `${base}-${i}`)) return `${base}-${i}`;
}

/** Records an adapter; `merge` is given by merges only. */
export function recordAdapter(db: Db, a: Omit<AdapterRecord, 'createdAt' | 'merge'> & { merge?: AdapterRecord['merge'] }): AdapterRecord {
  if (findAdapter(db, a.name)) throw new StudioError(ErrorCode.Conflict, `An adapter named "${a.name}" exists already; choose another name or remove it first.`, { name: a.name });
  db.prepare(
    `INSERT INTO adapters (name, source, rank, alpha, rslora, targets_json, modules, parameters, size, config_sha256, weights_sha256,
       base_json, base_digest, datanet, run, imported_from, parents_json, merge_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    a.name,
    a.source,
    a.rank,
    a.alpha,
    a.rslora ? 1 : 0,
    JSON.stringify(a.targets),
    a.modules,
    a.parameters,
    a.size,
    a.configSha256,
    a.weightsSha256,
    JSON.stringify(a.base),
    a.base.digest,
    a.datanet,
    a.run,
    a.importedFrom,
    JSON.stringify(a.parents),
    a.merge ? JSON.stringify(a.merge) : null,
    new Date().toISOString(),
  );
  return getAdapter(db, a.name);
}

/** Forgets the adapter. Its files stay in the artifact store: content-addressed, they may be
 * shared with another adapter or a merge's lineage, and `artifacts verify` still covers them. */
export function removeAdapter(db: Db, name: string): AdapterRecord {
  const a = getAdapter(db, name);
  db.prepare('DELETE FROM adapters WHERE name = ?').run(name);
  return a;
}
