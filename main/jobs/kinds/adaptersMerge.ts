import crypto from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import { findAdapter, getAdapter, recordAdapter } from '../../adapters/adaptersRepository';
import { mergeAdapters } from '../../adapters/mergeAdapters';
import { recordStoredAdapterFiles, storedFields } from '../../adapters/recordStoredAdapterFiles';
import { registeredAdapterFiles, storeAdapterFiles } from '../../adapters/storeAdapterFolder';
import { loadPeftAdapter } from '../../engine/peft/loadPeftAdapter';
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS, savePeftAdapter } from '../../engine/peft/savePeftAdapter';
import { defineJobKind } from '../jobKind';

/**
 * Weighted merge of registered adapters into a new one (main/adapters/mergeAdapters.ts). Parents
 * must be recorded against the same base checkpoint; the new adapter's lineage lists each parent
 * with its weight and file hashes, so it stays traceable after a parent is removed.
 */
export const adaptersMerge = defineJobKind({
  kind: 'adapters.merge',
  title: (p) => `Merge ${p.parents.map((x) => `${x.name}:${x.weight}`).join(' ')} into ${p.out}`,
  prepare: (db, p, workspaceRoot) => {
    // Refused before a job starts: the method's options must fit it (mergeAdapters says the same).
    const pruning = p.combination !== 'cat' && p.combination !== 'linear';
    if (pruning && p.density === undefined) throw new StudioError(ErrorCode.InvalidRequest, `${p.combination} merging needs a density (--density, the fraction of entries kept, e.g. 0.5)`, { field: 'density' });
    if (!pruning && p.density !== undefined) throw new StudioError(ErrorCode.InvalidRequest, `density applies to ties, dare_linear and dare_ties, not ${p.combination}`, { field: 'density' });
    if (p.seed !== undefined && !p.combination.startsWith('dare')) throw new StudioError(ErrorCode.InvalidRequest, `seed applies to dare_linear and dare_ties (their random drop), not ${p.combination}`, { field: 'seed' });
    if (findAdapter(db, p.out)) throw new StudioError(ErrorCode.Conflict, `An adapter named "${p.out}" exists already.`, { name: p.out });
    const artifactsRoot = path.join(workspaceRoot, 'artifacts');
    const parents = p.parents.map((x) => {
      const rec = getAdapter(db, x.name);
      return { ...x, record: rec, files: registeredAdapterFiles(artifactsRoot, rec) };
    });
    const digests = new Set(parents.map((x) => x.record.base.digest));
    if (digests.size > 1) {
      const list = parents.map((x) => `${x.name} (${x.record.base.path ?? '?'}, ${x.record.base.digest.slice(0, 12)})`).join(', ');
      throw new StudioError('ADAPTER_INVALID', `The adapters were made on different base checkpoints: ${list}. Merge adapters of one base.`);
    }
    return { out: p.out, combination: p.combination, options: { ...(p.density !== undefined ? { density: p.density } : {}), ...(p.seed !== undefined ? { seed: p.seed } : {}) }, parents, artifactsRoot };
  },
  async run(input, ctx) {
    let merged;
    try {
      const loaded = input.parents.map((x) => ({ name: x.name, weight: x.weight, adapter: loadPeftAdapter(x.files) }));
      merged = mergeAdapters(loaded, input.combination, input.options);
    } catch (err) {
      throw new StudioError('ADAPTER_INVALID', `Cannot merge: ${(err as Error).message}`);
    }
    // Written to the store's temp folder, then copied in by hash; the temp folder goes either way.
    const tmp = path.join(input.artifactsRoot, 'tmp', `merge-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
    mkdirSync(tmp, { recursive: true });
    try {
      savePeftAdapter(tmp, merged);
      const stored = await storeAdapterFiles(input.artifactsRoot, { config: path.join(tmp, ADAPTER_CONFIG), weights: path.join(tmp, ADAPTER_WEIGHTS) }, merged, input.parents[0]!.record.base);
      const how = [input.combination, ...(input.options.density !== undefined ? [`density ${input.options.density}`] : []), ...(input.options.seed !== undefined ? [`seed ${input.options.seed}`] : [])].join(', ');
      ctx.log('info', `Merged ${input.parents.length} adapters (${how}) into ${input.out}: r=${stored.rank}`);
      // The options as used, for the lineage: a dare merge's seed is recorded even when defaulted.
      const merge = { method: input.combination, density: input.options.density ?? null, seed: input.combination.startsWith('dare') ? (input.options.seed ?? 0) : null };
      return { stored, out: input.out, merge, parents: input.parents.map((x) => ({ name: x.name, weight: x.weight, configSha256: x.record.configSha256, weightsSha256: x.record.weightsSha256 })) };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
  commit: (db, r) => {
    recordStoredAdapterFiles(db, r.stored, r.out);
    return recordAdapter(db, { ...storedFields(r.stored), name: r.out, source: 'merged', datanet: null, run: null, importedFrom: null, parents: r.parents, merge: r.merge });
  },
});
