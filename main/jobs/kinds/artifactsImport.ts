import path from 'node:path';
import { ArtifactStore } from '../../artifacts/artifactStore';
import { recordArtifact } from '../../artifacts/artifactsRepository';
import { defineJobKind } from '../jobKind';
import { guessMediaType } from '../../artifacts/guessMediaType';

/** Copies a file into the content-addressed store, hashing as it streams. */
export const artifactsImport = defineJobKind({
  kind: 'artifacts.import',
  title: (p) => `Import ${path.basename(p.path)}`,
  prepare: (_db, p, workspaceRoot) => ({ ...p, path: path.resolve(p.path), artifactsRoot: path.join(workspaceRoot, 'artifacts') }),
  async run(input, ctx) {
    const store = new ArtifactStore(input.artifactsRoot);
    ctx.log('info', `Importing ${input.path}`);
    const { sha256, size } = await store.putFile(input.path, {
      signal: ctx.signal,
      onBytes: (done, total) => ctx.progress(total ? done / total : null, `${formatBytes(done)} of ${formatBytes(total)}`),
    });
    ctx.log('info', `Stored ${path.basename(input.path)} as ${sha256.slice(0, 12)} (${formatBytes(size)})`);
    return { sha256, size, name: input.name ?? path.basename(input.path), mediaType: input.mediaType ?? guessMediaType(input.path) };
  },
  commit: (db, result) => recordArtifact(db, result),
});

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
