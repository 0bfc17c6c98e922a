import path from 'node:path';
import type { Datanet, DatanetDemoResult, DatanetImportResult, DatanetStats, DatanetVersion } from '../../api/datanetSchemas';
import type { JobParamsInput } from '../../api/jobSchemas';
import { datanetStats, getDatanet, listDatanets } from '../../datanets/datanetsRepository';
import { diffVersions } from '../../datanets/diffVersions';
import { exportVersion } from '../../datanets/exportVersion';
import { listImports } from '../../datanets/listImports';
import { recordProof } from '../../datanets/recordProof';
import { listSubmissions } from '../../datanets/submitImport';
import { listVersions } from '../../datanets/versionsRepository';
import { callCore } from '../callCore';
import { UsageError, type Command, type CommandContext } from '../command';
import { formatTable } from '../formatTable';
import { runJobToEnd } from '../runJobToEnd';
import { withCore } from '../withCore';
import { withReadonlyWorkspace } from '../withReadonlyWorkspace';
import { ErrorCode, StudioError } from '../../api/apiError';
import type { Db } from '../../workspace/openDatabase';

/** NAME or NAME@VERSION. */
export function parseDatanetRef(ref: string | undefined, what: string): { name: string; version?: number } {
  if (!ref) throw new UsageError(`${what} needs a datanet NAME`);
  const at = ref.lastIndexOf('@');
  if (at < 0) return { name: ref };
  const v = Number(ref.slice(at + 1));
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`${ref}: the version after @ must be a whole number >= 1`);
  return { name: ref.slice(0, at), version: v };
}

/**
 * The lock-free readers below open the database read-only, which cannot migrate it: a workspace
 * last opened by a build without datanets has no datanet tables yet. Say so instead of failing
 * on SQL.
 */
function readDatanets<T>(ctx: CommandContext, fn: (db: Db, root: string) => T): T {
  return withReadonlyWorkspace(ctx, (db, name, root) => {
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'datanets'").get()) {
      throw new StudioError(ErrorCode.Conflict, `Workspace ${name} predates datanets; open it once for writing (e.g. "studio datanet create", or serve) to upgrade it.`, { workspace: name });
    }
    return fn(db, root);
  });
}

const nameOf = (ctx: CommandContext, what: string) => parseDatanetRef(ctx.positionals[0], what).name;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const actor = () => `cli:${process.env.USER ?? 'local'}`;

export const datanetCreate: Command = {
  path: ['datanet', 'create'],
  usage: 'studio datanet create NAME [--schema text|instruction|chat|labelled] [--domain D] [--description T] [--licence L] [--threshold J] [--json]',
  summary: 'Create a datanet: a curated dataset whose records keep their contributors',
  options: { schema: { type: 'string' }, domain: { type: 'string' }, description: { type: 'string' }, licence: { type: 'string' }, threshold: { type: 'string' } },
  async run(ctx) {
    const name = nameOf(ctx, 'datanet create');
    const v = ctx.values;
    return withCore(ctx, (core) =>
      callCore(core, 'datanets.create', {
        name,
        ...(str(v.schema) ? { schema: str(v.schema) as 'text' } : {}),
        ...(str(v.domain) ? { domain: str(v.domain)! } : {}),
        ...(str(v.description) ? { description: str(v.description)! } : {}),
        ...(str(v.licence) ? { licence: str(v.licence)! } : {}),
        ...(str(v.threshold) ? { nearDuplicateThreshold: Number(v.threshold) } : {}),
      }),
    );
  },
  human: (d: Datanet) => `Created datanet ${d.name} (${d.schema}${d.domain ? `, ${d.domain}` : ''})`,
};

export const datanetList: Command = {
  path: ['datanet', 'list'],
  usage: 'studio datanet list [--json]',
  summary: 'List the datanets of a workspace',
  run: async (ctx) => readDatanets(ctx, (db) => listDatanets(db)),
  human: (list: Datanet[]) =>
    list.length === 0 ? 'No datanets yet.' : formatTable(['NAME', 'SCHEMA', 'DOMAIN', 'RECORDS', 'VERSIONS'], list.map((d) => [d.name, d.schema, d.domain, d.records, d.versions])),
};

export const datanetShow: Command = {
  path: ['datanet', 'show'],
  usage: 'studio datanet show NAME [--json]',
  summary: 'A datanet with its statistics and versions',
  run: async (ctx) =>
    readDatanets(ctx, (db) => {
      const d = getDatanet(db, nameOf(ctx, 'datanet show'));
      return { ...d, stats: datanetStats(db, d.id), versionList: listVersions(db, d.id), imports: listImports(db, d.id), submissions: listSubmissions(db, d.id) };
    }),
  human: (d: Datanet & { stats: DatanetStats; versionList: DatanetVersion[] }) =>
    [
      `${d.name} (${d.schema})${d.domain ? ` · ${d.domain}` : ''}${d.licence ? ` · ${d.licence}` : ''}`,
      `  ${d.stats.records} records: ${d.stats.accepted} accepted, ${d.stats.pending} pending, ${d.stats.rejected} rejected, ${d.stats.excluded} excluded`,
      ...d.versionList.map((v) => `  v${v.version}  ${v.records} records  root ${v.merkleRoot}`),
    ].join('\n'),
};

export const datanetImport: Command = {
  path: ['datanet', 'import'],
  usage:
    'studio datanet import NAME --file PATH [--format jsonl|csv|tsv|parquet|text] [--split file|paragraph] [--text-field F] [--prompt-field F --response-field F] [--messages-field F] [--label-field F] [--id-field F] [--contributor-field F | --contributor 0x..] [--json]',
  summary: 'Import records into a datanet (a job); bad rows are reported by line and kept out',
  options: Object.fromEntries(
    ['file', 'format', 'split', 'text-field', 'prompt-field', 'response-field', 'messages-field', 'label-field', 'id-field', 'contributor-field', 'contributor'].map((o) => [o, { type: 'string' as const }]),
  ),
  async run(ctx) {
    const name = nameOf(ctx, 'datanet import');
    const v = ctx.values;
    if (!str(v.file)) throw new UsageError('datanet import needs --file PATH');
    const mapping: Record<string, string> = {};
    const fields: [string, string][] = [
      ['text-field', 'textField'],
      ['prompt-field', 'promptField'],
      ['response-field', 'responseField'],
      ['messages-field', 'messagesField'],
      ['label-field', 'labelField'],
      ['id-field', 'idField'],
      ['contributor-field', 'contributorField'],
      ['contributor', 'contributor'],
    ];
    for (const [flag, key] of fields) if (str(v[flag])) mapping[key] = str(v[flag])!;
    // --format and --split are checked where every caller's are, by the kind's schema at jobs.start
    // (an unknown value is refused naming the allowed ones).
    const params = { datanet: name, path: path.resolve(str(v.file)!), mapping, ...(str(v.format) ? { format: str(v.format) } : {}), ...(str(v.split) ? { split: str(v.split) } : {}) } as JobParamsInput<'datanet.import'>;
    return withCore(ctx, async (core) => {
      const r = (await runJobToEnd(core, 'datanet.import', params, ctx.info)).result as DatanetImportResult;
      return { imported: r.imported, rejected: r.rejected, rejectedCount: r.rejectedCount, report: r.report, importId: r.importId };
    });
  },
  human: (r: { imported: number; rejected: { line: number; file?: string; reason: string }[]; rejectedCount: number; report: string }) =>
    [
      `Imported ${r.imported} records; ${r.rejectedCount} rows kept out.`,
      ...r.rejected.slice(0, 20).map((x) => `  ${x.file ? `${x.file}:` : 'line '}${x.line}: ${x.reason}`),
      ...(r.rejectedCount > 20 ? [`  … and ${r.rejectedCount - 20} more (see the report)`] : []),
      `Report: ${r.report}`,
    ].join('\n'),
};

export const datanetStatsCommand: Command = {
  path: ['datanet', 'stats'],
  usage: 'studio datanet stats NAME [--json]',
  summary: 'Record counts by state and signal',
  run: async (ctx) => readDatanets(ctx, (db) => datanetStats(db, getDatanet(db, nameOf(ctx, 'datanet stats')).id)),
  human: (s: DatanetStats) =>
    formatTable(
      ['RECORDS', 'ACCEPTED', 'PENDING', 'REJECTED', 'EXCLUDED', 'DUPLICATES', 'NEAR-DUP', 'PII', 'QUALITY', 'CONTRIBUTORS'],
      [[s.records, s.accepted, s.pending, s.rejected, s.excluded, s.exactDuplicates, s.nearDuplicates, s.pii, s.quality, s.contributors]],
    ),
};

export const datanetReview: Command = {
  path: ['datanet', 'review'],
  usage: 'studio datanet review NAME --filter EXPR --action accept|reject|exclude|undo [--reason TEXT] [--json]',
  summary: 'Accept, reject, exclude or undo the records a filter selects (all, duplicate, near-duplicate, pii, quality, 0xADDRESS, status:STATE, search:TEXT)',
  options: { filter: { type: 'string' }, action: { type: 'string' }, reason: { type: 'string' } },
  async run(ctx) {
    const name = nameOf(ctx, 'datanet review');
    const { filter, action, reason } = ctx.values;
    if (!str(filter)) throw new UsageError('datanet review needs --filter EXPR');
    if (!['accept', 'reject', 'exclude', 'undo'].includes(str(action) ?? '')) throw new UsageError('datanet review needs --action accept|reject|exclude|undo');
    return withCore(ctx, (core) =>
      callCore(core, 'datanets.review', { datanet: name, filter: str(filter)!, action: str(action) as 'accept', ...(str(reason) ? { reason: str(reason)! } : {}), actor: actor() }),
    );
  },
  human: (r: { changed: number }) => `${r.changed} record(s) changed.`,
};

export const datanetVersion: Command = {
  path: ['datanet', 'version'],
  usage: 'studio datanet version NAME [--json]',
  summary: 'Freeze the accepted records as the next version (Merkle root, Parquet and JSONL snapshots)',
  async run(ctx) {
    const name = nameOf(ctx, 'datanet version');
    return withCore(ctx, (core) => callCore(core, 'datanets.createVersion', { datanet: name }));
  },
  human: (v: DatanetVersion) => `Version ${v.version}: ${v.records} records, Merkle root ${v.merkleRoot}, sha256 ${v.sha256}`,
};

export const datanetDiff: Command = {
  path: ['datanet', 'diff'],
  usage: 'studio datanet diff NAME A B [--json]',
  summary: 'Records added, removed and changed between two versions',
  run: async (ctx) => {
    const [ref, a, b] = ctx.positionals;
    const name = parseDatanetRef(ref, 'datanet diff').name;
    const [va, vb] = [Number(a), Number(b)];
    if (!Number.isInteger(va) || !Number.isInteger(vb)) throw new UsageError('datanet diff needs two version numbers: NAME A B');
    return readDatanets(ctx, (db) => diffVersions(db, getDatanet(db, name), va, vb));
  },
  human: (d: { from: number; to: number; added: string[]; removed: string[]; changed: string[] }) =>
    `v${d.from} -> v${d.to}: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`,
};

export const datanetExport: Command = {
  path: ['datanet', 'export'],
  usage: 'studio datanet export NAME[@V] --format parquet|jsonl --out PATH [--json]',
  summary: 'Write a version (the latest by default) as Parquet or JSONL',
  options: { format: { type: 'string' }, out: { type: 'string' } },
  run: async (ctx) => {
    const ref = parseDatanetRef(ctx.positionals[0], 'datanet export');
    const format = str(ctx.values.format);
    if (format !== 'parquet' && format !== 'jsonl') throw new UsageError('datanet export needs --format parquet|jsonl');
    if (!str(ctx.values.out)) throw new UsageError('datanet export needs --out PATH');
    return readDatanets(ctx, (db, root) => exportVersion(db, path.join(root, 'artifacts'), getDatanet(db, ref.name), ref.version, format, str(ctx.values.out)!));
  },
  human: (r: { path: string; version: number; records: number }) => `Wrote v${r.version} (${r.records} records) to ${r.path}`,
};

export const datanetPublish: Command = {
  path: ['datanet', 'publish'],
  usage: 'studio datanet publish NAME[@V] [--json]',
  summary: "Commit a version on the running devnet's DatanetRegistry (a publication)",
  async run(ctx) {
    const ref = parseDatanetRef(ctx.positionals[0], 'datanet publish');
    return withCore(ctx, async (core) => {
      await core.chain.start({ detached: true, adoptOnly: true });
      return callCore(core, 'datanets.publish', { datanet: ref.name, ...(ref.version ? { version: ref.version } : {}) });
    });
  },
  human: (r: { version: number; onchainDatanetId: string; publication: { status: string; txHash: string | null } }) =>
    `Version ${r.version} ${r.publication.status} as datanet ${r.onchainDatanetId} on chain (tx ${r.publication.txHash ?? '-'})`,
};

export const datanetProof: Command = {
  path: ['datanet', 'proof'],
  usage: 'studio datanet proof NAME@V RECORD_ID [--json]',
  summary: "A record's Merkle inclusion proof in a version (what DatanetRegistry.verifyRecord checks)",
  run: async (ctx) => {
    const ref = parseDatanetRef(ctx.positionals[0], 'datanet proof');
    const id = ctx.positionals[1];
    if (!id) throw new UsageError('datanet proof needs NAME@V RECORD_ID (the record source id)');
    return readDatanets(ctx, (db) => recordProof(db, getDatanet(db, ref.name), ref.version, id));
  },
  human: (p: { version: number; merkleRoot: string; contributor: string; recordHash: string; proof: string[] }) =>
    [`v${p.version} root ${p.merkleRoot}`, `  leaf (${p.contributor}, ${p.recordHash})`, ...p.proof.map((h) => `  ${h}`)].join('\n'),
};

export const datanetSubmit: Command = {
  path: ['datanet', 'submit'],
  usage: 'studio datanet submit NAME --import ID [--json]',
  summary: "Submit an import on the devnet as staked batches, one per contributor (from the contributor's dev account)",
  options: { import: { type: 'string' } },
  async run(ctx) {
    const name = nameOf(ctx, 'datanet submit');
    const importId = Number(ctx.values.import);
    if (!Number.isInteger(importId)) throw new UsageError('datanet submit needs --import ID (see datanet show)');
    return withCore(ctx, async (core) => {
      await core.chain.start({ detached: true, adoptOnly: true });
      return callCore(core, 'datanets.submitImport', { datanet: name, importId });
    });
  },
};

export const datanetDecide: Command = {
  path: ['datanet', 'decide'],
  usage: 'studio datanet decide NAME SUBMISSION --decision accept|reject|slash [--json]',
  summary: 'Accept, reject or slash (reject as adversarial) a pending submission on the devnet',
  options: { decision: { type: 'string' } },
  async run(ctx) {
    const name = nameOf(ctx, 'datanet decide');
    const submissionId = Number(ctx.positionals[1]);
    const decision = str(ctx.values.decision);
    if (!Number.isInteger(submissionId)) throw new UsageError('datanet decide needs NAME SUBMISSION (the local submission id)');
    if (decision !== 'accept' && decision !== 'reject' && decision !== 'slash') throw new UsageError('datanet decide needs --decision accept|reject|slash');
    return withCore(ctx, async (core) => {
      await core.chain.start({ detached: true, adoptOnly: true });
      return callCore(core, 'datanets.decideSubmission', { datanet: name, submissionId, decision });
    });
  },
};

export const datanetDemo: Command = {
  path: ['datanet', 'demo'],
  usage: 'studio datanet demo [--json]',
  summary: 'Build the demo datanet (State of the Union addresses, one contributor per president) unless the workspace has it',
  run: async (ctx) => withCore(ctx, async (core) => (await runJobToEnd(core, 'datanet.demo', {}, ctx.info)).result as DatanetDemoResult),
  human: (r: DatanetDemoResult) =>
    `${r.created ? 'Built' : 'Already there:'} datanet ${r.datanet}: ${r.records} records from ${r.contributors} contributors, v${r.version} root ${r.merkleRoot}`,
};

export const datanetCommands: Command[] = [datanetCreate, datanetList, datanetShow, datanetImport, datanetStatsCommand, datanetReview, datanetVersion, datanetDiff, datanetExport, datanetPublish, datanetProof, datanetSubmit, datanetDecide, datanetDemo];
