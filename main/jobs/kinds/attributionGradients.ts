import { statSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import { ensureRecordGradientStore } from '../../attribution/ensureRecordGradientStore';
import { defineJobKind } from '../jobKind';

/**
 * The training records' projected LoRA gradients of one adapter, computed once (the store under
 * the workspace's attribution/gradients/<fingerprint>; a second run finds it and returns at once).
 */
export const attributionGradients = defineJobKind({
  kind: 'attribution.gradients',
  title: (p) => `Record gradients for adapter ${path.basename(p.adapter)}`,
  prepare: (_db, p, workspaceRoot) => ({
    ...p,
    model: path.resolve(p.model),
    adapter: path.resolve(p.adapter),
    data: path.resolve(p.data),
    storesDir: path.join(workspaceRoot, 'attribution', 'gradients'),
  }),
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
