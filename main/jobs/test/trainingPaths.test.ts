import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { checkAdapterOut, resolveResumeDir } from '../kinds/trainingPaths';

/** Issue 10, finding 8: training `resume` stays in runs/, `out` stays out of Studio's folders. */
describe('training paths', () => {
  const workspace = () => {
    const root = tempDir();
    for (const d of ['runs/20261205T100000-abc123', 'artifacts', 'chain', 'keys', 'logs']) fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.writeFileSync(path.join(root, 'studio.db'), '');
    return root;
  };

  it('resume takes a run name or the run folder, nothing that resolves elsewhere', () => {
    const root = workspace();
    const runs = path.join(root, 'runs');
    const run = path.join(runs, '20261205T100000-abc123');
    expect(resolveResumeDir(runs, '20261205T100000-abc123')).toBe(run);
    expect(resolveResumeDir(runs, run)).toBe(run);
    const outside = tempDir();
    fs.symlinkSync(outside, path.join(runs, 'escape'));
    for (const bad of ['../artifacts', '../../../../etc', '/etc', runs, '.', `${run}/checkpoint`, 'a\0b']) {
      expect(() => resolveResumeDir(runs, bad), bad).toThrow(/^resume: /);
    }
    expect(() => resolveResumeDir(runs, 'escape')).toThrow(/leads outside/);
    expect(() => resolveResumeDir(runs, 'missing')).toThrow(/does not exist/);
  });

  it('out is a new folder in an existing directory, never inside the workspace’s own folders', () => {
    const root = workspace();
    const elsewhere = tempDir();
    expect(checkAdapterOut(path.join(elsewhere, 'adapter'), root)).toBe(path.join(elsewhere, 'adapter'));
    expect(checkAdapterOut(path.join(root, 'my-adapters'), root)).toBe(path.join(root, 'my-adapters'));
    for (const bad of ['artifacts/sha256', 'runs/x', 'chain', 'keys/a', 'logs', 'studio.db', 'runs/../artifacts/x']) {
      expect(() => checkAdapterOut(path.join(root, bad), root), bad).toThrow(/^out: .*which Studio manages/);
    }
    expect(() => checkAdapterOut(path.join(elsewhere, 'no', 'such', 'adapter'), root)).toThrow(/does not exist/);
    expect(() => checkAdapterOut(`${elsewhere}/a\0b`, root)).toThrow(/NUL byte/);
    // Found by the path fuzzer: such a name failed only when the finished adapter was moved in.
    expect(() => checkAdapterOut(path.join(elsewhere, 'n'.repeat(3000)), root)).toThrow(/^out: the folder name is longer than 200 bytes$/);
    fs.symlinkSync(path.join(root, 'artifacts'), path.join(elsewhere, 'store'));
    expect(() => checkAdapterOut(path.join(elsewhere, 'store', 'x'), root)).toThrow(/which Studio manages/);
  });
});
