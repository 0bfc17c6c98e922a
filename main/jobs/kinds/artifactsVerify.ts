import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import { ArtifactStore } from '../../artifacts/artifactStore';
import { defineJobKind } from '../jobKind';

/** Rehashes every recorded artifact; fails listing each one that is missing or altered. */
export const artifactsVerify = defineJobKind({
  kind: 'artifacts.verify',
  title: () => 'Verify artifact store',
  prepare: (db, _p, workspaceRoot) => ({
    artifactsRoot: path.join(workspaceRoot, 'artifacts'),
    artifacts: db.prepare('SELECT sha256, name FROM artifacts ORDER BY sha256').all() as { sha256: string; name: string }[],
  }),
  async run(input, ctx) {
    const store = new ArtifactStore(input.artifactsRoot);
    const problems: { sha256: string; name: string; state: 'missing' | 'corrupt' }[] = [];
    let i = 0;
    for (const a of input.artifacts) {
      if (ctx.signal.aborted) throw new StudioError(ErrorCode.Cancelled, 'Verification was cancelled.');
      const state = await store.verify(a.sha256);
      if (state !== 'ok') {
        problems.push({ ...a, state });
        ctx.log('error', `Artifact ${a.name} (${a.sha256.slice(0, 12)}) is ${state}`);
      }
      i++;
      ctx.progress(i / input.artifacts.length, `${i} of ${input.artifacts.length} checked`);
    }
    if (problems.length > 0) {
      throw new StudioError('ARTIFACTS_DAMAGED', `${problems.length} of ${input.artifacts.length} artifacts are missing or altered: ${problems.map((p) => `${p.name} (${p.state})`).join(', ')}`, { problems });
    }
    ctx.log('info', `All ${input.artifacts.length} artifacts match their sha256.`);
    return { checked: input.artifacts.length };
  },
  commit: (_db, result) => result,
});
