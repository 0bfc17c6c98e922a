import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import { shortenForMessage } from '../../files/readInputFile';
import { workspaceLayout } from '../../workspace/workspaceLayout';

/** Whether `child` is `parent` or lies below it (both absolute and normalised). */
function isWithin(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

const refuse = (field: string, message: string, value: string) => new StudioError(ErrorCode.InvalidRequest, `${field}: ${message}`, { field, value: short(value) });
/** Paths in messages: a 3000-character name is the caller's own, its ends are enough. */
const short = (p: string) => shortenForMessage(p, 200);

/**
 * The run folder `resume` names: a name under the workspace's runs/, or a path to one. Anything
 * that resolves elsewhere (`../../x`, `/etc`, a symlink out of runs/) is refused: resuming writes
 * into the folder (checkpoints, metrics), so it must be one the workspace owns.
 */
export function resolveResumeDir(runsDir: string, resume: string): string {
  if (resume.includes('\0')) throw refuse('resume', 'the path contains a NUL byte', resume);
  const runDir = path.resolve(runsDir, resume);
  if (!isWithin(runsDir, runDir) || runDir === runsDir || path.dirname(runDir) !== runsDir) {
    throw refuse('resume', `${short(runDir)} is not a run folder of this workspace (runs are folders directly in ${short(runsDir)})`, resume);
  }
  let real: string;
  try {
    real = fs.realpathSync(runDir);
  } catch {
    throw refuse('resume', `${short(runDir)} does not exist`, resume);
  }
  if (!isWithin(fs.realpathSync(runsDir), real)) throw refuse('resume', `${short(runDir)} leads outside ${short(runsDir)}`, resume);
  return runDir;
}

/**
 * Where the adapter may be written: a new folder in an existing directory, outside the folders
 * the workspace manages (its database, artifacts store, chain, keys, logs and run folders), so a
 * training job cannot overwrite what Studio keeps. Checked when the job starts, not hours later
 * when the adapter is moved into place.
 */
export function checkAdapterOut(out: string, workspaceRoot: string): string {
  if (out.includes('\0')) throw refuse('out', 'the path contains a NUL byte', out);
  const resolved = path.resolve(out);
  // The adapter is first written to ".<name>.tmp-<pid>-<time>" beside it: the name must leave room
  // for that within NAME_MAX (255 bytes), or the run would fail only at its very end.
  if (Buffer.byteLength(path.basename(resolved)) > 200) throw refuse('out', 'the folder name is longer than 200 bytes', out);
  const layout = workspaceLayout(workspaceRoot);
  const managed = [layout.db, layout.lock, layout.artifacts, layout.runs, layout.chain, layout.keys, layout.logs];
  const realOf = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return p;
    }
  };
  const parent = path.dirname(resolved);
  let parentStat: fs.Stats;
  try {
    parentStat = fs.statSync(parent);
  } catch {
    throw refuse('out', `the folder ${short(parent)} does not exist; the adapter goes into a new folder inside an existing one`, out);
  }
  if (!parentStat.isDirectory()) throw refuse('out', `${short(parent)} is not a directory`, out);
  const target = path.join(realOf(parent), path.basename(resolved));
  for (const m of managed) {
    if (isWithin(realOf(m), target) || isWithin(target, realOf(m))) throw refuse('out', `${short(resolved)} is inside (or holds) ${short(m)}, which Studio manages; choose a folder outside it`, out);
  }
  if (resolved === path.parse(resolved).root) throw refuse('out', 'the adapter cannot replace the root folder', out);
  return resolved;
}
