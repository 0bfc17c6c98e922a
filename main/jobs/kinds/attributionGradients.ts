import fs, { statSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import { getAdapter } from '../../adapters/adaptersRepository';
import { registeredAdapterFiles } from '../../adapters/storeAdapterFolder';
import { adapterTrainingRecords } from '../../attribution/adapterTrainingRecords';
import { ensureRecordGradientStore } from '../../attribution/ensureRecordGradientStore';
import { resolveAttributionAdapter } from '../../attribution/resolveAttributionAdapter';
import type { AdapterRecord } from '../../api/adaptersSchemas';
import { resolveModelArgument } from '../../engine/defaultModel/resolveModelArgument';
import { defineJobKind } from '../jobKind';

/** The base a registered adapter was made on, when its folder is still there. */
function recordedBase(record: AdapterRecord | null, adapter: string): string {
  const base = record?.base.path;
  if (!base || !fs.existsSync(base)) throw new StudioError(ErrorCode.InvalidRequest, `The base model of adapter ${adapter} is not known here${base ? ` (${base} is gone)` : ''}: name it with "model".`);
  return base;
}

/**
 * The training records' projected LoRA gradients of one adapter, computed once (the store under
 * the workspace's attribution/gradients/<fingerprint>; a second run finds it and returns at once).
 * `adapter` is a PEFT folder or a registered adapter's name; without `data` the records come from
 * the adapter's datanet lineage (a folder is recognised by its weights' sha256), read here on the
 * core's thread and handed to the worker with their source ids.
 */
export const attributionGradients = defineJobKind({
  kind: 'attribution.gradients',
  title: (p) => `Record gradients for adapter ${path.basename(p.adapter)}`,
  prepare: (db, p, workspaceRoot) => {
    const asFolder = fs.existsSync(path.resolve(p.adapter)) && fs.statSync(path.resolve(p.adapter)).isDirectory();
    const record = asFolder ? (p.model && p.data ? null : resolveAttributionAdapter(db, p.adapter).record) : getAdapter(db, p.adapter);
    const adapter = asFolder ? path.resolve(p.adapter) : registeredAdapterFiles(path.join(workspaceRoot, 'artifacts'), record!);
    let data: string | NonNullable<ReturnType<typeof adapterTrainingRecords>>['records'];
    if (p.data) data = path.resolve(p.data);
    else {
      const lineage = record ? adapterTrainingRecords(db, record) : null;
      if (!lineage) {
        throw new StudioError(ErrorCode.InvalidRequest, `Adapter ${p.adapter}: its training data is unknown (${record ? 'no datanet lineage' : 'not a registered adapter'}); name the records it was trained on with "data".`);
      }
      if (lineage.records.length === 0) throw new StudioError(ErrorCode.InvalidRequest, `Adapter ${p.adapter}: its datanet ${lineage.datanet} has no training records.`);
      data = lineage.records;
    }
    return {
      ...p,
      model: p.model ? resolveModelArgument(p.model) : recordedBase(record, p.adapter),
      adapter,
      data,
      storesDir: path.join(workspaceRoot, 'attribution', 'gradients'),
    };
  },
  async run(input, ctx) {
    let cancelled = false;
    const r = await ensureRecordGradientStore({
      ...input,
      progress: (done, total) => ctx.progress(done / total, `${done} of ${total} records`),
      cancelled: () => (cancelled = Atomics.load(ctx.cancelFlag, 0) !== 0),
      warn: (message) => ctx.log('warn', message),
    }).catch((err: unknown) => {
      if (cancelled) throw new StudioError(ErrorCode.Cancelled, 'Record gradients stopped by a cancel request; nothing was written.');
      throw err;
    });
    const { meta, dir } = r.store;
    const bytes = ['records.sgrd', 'datainf.sgrd', 'store.json'].reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
    ctx.log('info', `${meta.records} records, ${meta.layers} layers x ${meta.kPerLayer}: ${dir}${r.reused ? ' (already computed)' : ''}`);
    return {
      dir, fingerprint: r.fingerprint, records: meta.records, skipped: meta.skipped.length, layers: meta.layers, kPerLayer: meta.kPerLayer,
      bytesPerRecord: meta.records > 0 ? bytes / meta.records : 0, reused: r.reused, seconds: r.seconds,
    };
  },
  commit: (_db, result) => result,
});
