import crypto from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import { runTraining, TrainingCancelled } from '../../engine/training/runTraining';
import { readSettings } from '../../workspace/settingsStore';
import { INPUT_LIMITS, readJsonFile } from '../../files/readInputFile';
import { recordAdapter, uniqueAdapterName } from '../../adapters/adaptersRepository';
import { modelFingerprint } from '../../adapters/modelFingerprint';
import { recordStoredAdapterFiles, storedFields } from '../../adapters/recordStoredAdapterFiles';
import { storeAdapterFiles } from '../../adapters/storeAdapterFolder';
import { loadPeftAdapter } from '../../engine/peft/loadPeftAdapter';
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS } from '../../engine/peft/savePeftAdapter';
import { defineJobKind, type JobRef } from '../jobKind';
import { checkAdapterOut, resolveResumeDir } from './trainingPaths';

/**
 * Training on the native engine (LoRA, or every weight with `mode: full`). The worker runs the whole loop; progress carries the step
 * and loss, logs the milestones. Checkpoints go to the workspace's runs/<run>/checkpoint after
 * every `checkpointEvery` steps, so a killed process (job left 'interrupted') or a cancelled job
 * continues exactly with `resume`.
 */
export const engineTrain = defineJobKind({
  kind: 'engine.train',
  title: (p) => `${p.mode === 'full' ? 'Train all weights of' : `Train LoRA r${p.rank} on`} ${path.basename(p.model)}${p.resume ? ' (resumed)' : ''}`,
  prepare: (db, p, workspaceRoot, job) => {
    const runs = path.join(workspaceRoot, 'runs');
    const { resume, ...config } = p;
    const runDir = resume ? resolveResumeDir(runs, resume) : newRunDir(runs, job);
    // The schema asks for absolute paths; a relative one from an API caller means the core's folder.
    for (const key of ['model', 'data'] as const) config[key] = path.resolve(config[key]);
    config.out = checkAdapterOut(config.out, workspaceRoot);
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
    // A full run writes a whole model, not an adapter: nothing joins the adapter registry.
    if (summary.mode === 'full') return { summary, stored: null, datanet: null };
    // The adapter joins the registry (its files in the artifact store, the base's hashes as its
    // lineage); the folder at `out` stays the user's.
    const stored = await storeAdapterFiles(
      path.join(ctx.workspaceRoot, 'artifacts'),
      { config: path.join(summary.adapter, ADAPTER_CONFIG), weights: path.join(summary.adapter, ADAPTER_WEIGHTS) },
      loadPeftAdapter(summary.adapter),
      await modelFingerprint(input.config.model),
    );
    // Trained on a datanet version: that version is the adapter's lineage (attribution finds the
    // records behind its answers through it).
    const datanet = input.config.datanet ? `${input.config.datanet.name}@${input.config.datanet.version}` : null;
    return { summary, stored, datanet };
  },
  commit: (db, { summary, stored, datanet }) => {
    if (stored === null) return summary;
    const name = uniqueAdapterName(db, path.basename(summary.adapter));
    recordStoredAdapterFiles(db, stored, name);
    recordAdapter(db, { ...storedFields(stored), name, source: 'trained', datanet, run: summary.runDir, importedFrom: null, parents: [] });
    return { ...summary, registeredAs: name };
  },
  interrupted: (p, workspaceRoot, job) => {
    const runs = path.join(workspaceRoot, 'runs');
    const runDir = p.resume ? path.resolve(runs, p.resume) : newRunDir(runs, job);
    const head = 'Studio stopped before this training finished (the app was closed, crashed or was killed).';
    const step = checkpointStep(runDir);
    if (step === null) {
      return { code: 'INTERRUPTED', message: `${head} No checkpoint was written yet (every ${p.checkpointEvery} steps, in ${runDir}): start it again.`, details: { runDir } };
    }
    const resumeCommand = `studio train --resume ${path.basename(runDir)} --workspace ${path.basename(workspaceRoot)}`;
    return {
      code: 'INTERRUPTED',
      message: `${head} The run folder ${runDir} holds the checkpoint after step ${step} of ${p.steps}; continue exactly from there with: ${resumeCommand}`,
      details: { runDir, checkpointStep: step, resumeCommand },
    };
  },
});

/**
 * A new run's folder under runs/, named after the job (its creation time for people, then part of
 * its id): whoever settles an interrupted job later finds the folder, and the checkpoint in it,
 * from the job row alone.
 */
function newRunDir(runs: string, job: JobRef): string {
  const stamp = job.createdAt.replace(/[-:]/g, '').replace(/\..*$/, '');
  const suffix = job.id.split('-').pop()!.slice(0, 6) || crypto.createHash('sha256').update(job.id).digest('hex').slice(0, 6);
  return path.join(runs, `${stamp}-${suffix}`);
}

/** The step the run's last complete checkpoint continues from, or null when there is none. */
function checkpointStep(runDir: string): number | null {
  const state = path.join(runDir, 'checkpoint', 'trainer_state.json');
  if (!existsSync(state)) return null;
  const json = readJsonFile(state, INPUT_LIMITS.configJson) as { step?: unknown } | null;
  return typeof json?.step === 'number' ? json.step : null;
}
