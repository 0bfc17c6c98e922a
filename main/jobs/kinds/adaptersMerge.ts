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
    return { out: p.out, combination: p.combination, parents, artifactsRoot };
  },
  async run(input, ctx) {
    let merged;
    try {
      const loaded = input.parents.map((x) => ({ name: x.name, weight: x.weight, adapter: loadPeftAdapter(x.files) }));
      merged = mergeAdapters(loaded, input.combination);
    } catch (err) {
      throw new StudioError('ADAPTER_INVALID', `Cannot merge: ${(err as Error).message}`);
    }
    // Written to the store's temp folder, then copied in by hash; the temp folder goes either way.
    const tmp = path.join(input.artifactsRoot, 'tmp', `merge-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
    mkdirSync(tmp, { recursive: true });
    try {
      savePeftAdapter(tmp, merged);
      const stored = await storeAdapterFiles(input.artifactsRoot, { config: path.join(tmp, ADAPTER_CONFIG), weights: path.join(tmp, ADAPTER_WEIGHTS) }, merged, input.parents[0]!.record.base);
      ctx.log('info', `Merged ${input.parents.length} adapters (${input.combination}) into ${input.out}: r=${stored.rank}`);
      return { stored, out: input.out, parents: input.parents.map((x) => ({ name: x.name, weight: x.weight, configSha256: x.record.configSha256, weightsSha256: x.record.weightsSha256 })) };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
  commit: (db, r) => {
    recordStoredAdapterFiles(db, r.stored, r.out);
    return recordAdapter(db, { ...storedFields(r.stored), name: r.out, source: 'merged', datanet: null, run: null, importedFrom: null, parents: r.parents });
  },
});
