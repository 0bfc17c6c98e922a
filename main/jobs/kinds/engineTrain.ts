import crypto from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import { runTraining, TrainingCancelled } from '../../engine/training/runTraining';
import { readSettings } from '../../workspace/settingsStore';
import { recordAdapter, uniqueAdapterName } from '../../adapters/adaptersRepository';
import { modelFingerprint } from '../../adapters/modelFingerprint';
import { recordStoredAdapterFiles, storedFields } from '../../adapters/recordStoredAdapterFiles';
import { storeAdapterFiles } from '../../adapters/storeAdapterFolder';
import { loadPeftAdapter } from '../../engine/peft/loadPeftAdapter';
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS } from '../../engine/peft/savePeftAdapter';
import { defineJobKind } from '../jobKind';

/**
 * LoRA training on the native engine. The worker runs the whole loop; progress carries the step
 * and loss, logs the milestones. Checkpoints go to the workspace's runs/<run>/checkpoint after
 * every `checkpointEvery` steps, so a killed process (job left 'interrupted') or a cancelled job
 * continues exactly with `resume`.
 */
export const engineTrain = defineJobKind({
  kind: 'engine.train',
  title: (p) => `Train LoRA r${p.rank} on ${path.basename(p.model)}${p.resume ? ' (resumed)' : ''}`,
  prepare: (db, p, workspaceRoot) => {
    const runs = path.join(workspaceRoot, 'runs');
    const { resume, ...config } = p;
    // A bare name means a folder under runs/; the folder name carries the date for people.
    const runDir = resume
      ? path.resolve(runs, resume)
      : path.join(runs, `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${crypto.randomBytes(3).toString('hex')}`);
    // The schema asks for absolute paths; a relative one from an API caller means the core's folder.
    for (const key of ['model', 'data', 'out'] as const) config[key] = path.resolve(config[key]);
    if (config.eval) config.eval = path.resolve(config.eval);
    // No device asked for: the workspace's engine.device setting.
    if (!config.device) config.device = readSettings(db).engine.device;
    return { config, runDir, resume: Boolean(resume) };
  },
  async run(input, ctx) {
    let summary;
    try {
      summary = await runTraining(input.config, input.runDir, input.resume, {
        progress: (fraction, message) => ctx.progress(fraction, message),
        log: (level, message) => ctx.log(level, message),
        // One turn of the event loop lets the cancel message reach the signal.
        betweenChunks: () => new Promise((resolve) => setImmediate(() => resolve(ctx.signal.aborted))),
        cancelFlag: ctx.cancelFlag,
      });
    } catch (err) {
      // The run folder is worth naming only once it exists (it holds the checkpoint to resume).
      const details = existsSync(input.runDir) ? { runDir: input.runDir } : undefined;
      if (err instanceof TrainingCancelled) throw new StudioError(ErrorCode.Cancelled, err.message, details);
      if (err instanceof StudioError) throw err;
      throw new StudioError('TRAINING_FAILED', err instanceof Error ? err.message : String(err), details);
    }
    // The adapter joins the registry (its files in the artifact store, the base's hashes as its
    // lineage); the folder at `out` stays the user's.
    const stored = await storeAdapterFiles(
      path.join(ctx.workspaceRoot, 'artifacts'),
      { config: path.join(summary.adapter, ADAPTER_CONFIG), weights: path.join(summary.adapter, ADAPTER_WEIGHTS) },
      loadPeftAdapter(summary.adapter),
      await modelFingerprint(input.config.model),
    );
    return { summary, stored };
  },
  commit: (db, { summary, stored }) => {
    const name = uniqueAdapterName(db, path.basename(summary.adapter));
    recordStoredAdapterFiles(db, stored, name);
    recordAdapter(db, { ...storedFields(stored), name, source: 'trained', datanet: null, run: summary.runDir, importedFrom: null, parents: [] });
    return { ...summary, registeredAs: name };
  },
});
