import path from 'node:path';
import type { Artifact } from '../../api/schemas';
import { listArtifacts } from '../../artifacts/artifactsRepository';
import { UsageError, type Command } from '../command';
import { formatTable } from '../formatTable';
import { runJobToEnd } from '../runJobToEnd';
import { withCore } from '../withCore';
import { withReadonlyWorkspace } from '../withReadonlyWorkspace';

export const artifactsList: Command = {
  path: ['artifacts', 'list'],
  usage: 'studio artifacts list [--workspace NAME] [--json]',
  summary: 'List the content-addressed artifacts of a workspace',
  run: async (ctx) => withReadonlyWorkspace(ctx, (db) => listArtifacts(db)),
  human: (list: Artifact[]) =>
    list.length === 0 ? 'No artifacts yet.' : formatTable(['SHA256', 'SIZE', 'TYPE', 'NAME'], list.map((a) => [a.sha256.slice(0, 16), a.size, a.mediaType, a.name])),
};

export const artifactsAdd: Command = {
  path: ['artifacts', 'add'],
  usage: 'studio artifacts add FILE [--name NAME] [--workspace NAME] [--json]',
  summary: 'Copy a file into the workspace artifact store (hashed, atomic)',
  options: { name: { type: 'string' } },
  async run(ctx) {
    const [file] = ctx.positionals;
    if (!file) throw new UsageError('artifacts add needs a FILE');
    return withCore(ctx, async (core) => {
      const params = { path: path.resolve(file), ...(ctx.values.name ? { name: String(ctx.values.name) } : {}) };
      return (await runJobToEnd(core, 'artifacts.import', params, ctx.info)).result as Artifact;
    });
  },
  human: (a: Artifact) => `Stored ${a.name} as ${a.sha256} (${a.size} bytes)`,
};

export const artifactsVerify: Command = {
  path: ['artifacts', 'verify'],
  usage: 'studio artifacts verify [--workspace NAME] [--json]',
  summary: 'Rehash every artifact and report missing or altered ones',
  async run(ctx) {
    return withCore(ctx, async (core) => (await runJobToEnd(core, 'artifacts.verify', {}, ctx.info)).result);
  },
  human: (r: { checked: number }) => `All ${r.checked} artifacts match their sha256.`,
};
