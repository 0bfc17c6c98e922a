import { join, resolve } from 'node:path';
import type { AdapterRecord } from '../api/adaptersSchemas';
import { ErrorCode, StudioError } from '../api/apiError';
import { ArtifactStore } from '../artifacts/artifactStore';
import { modelSpecWithFiles } from '../engine/modelSpecWithFiles';
import type { LoraAdapter } from '../engine/peft/LoraAdapter';
import { loadPeftAdapter } from '../engine/peft/loadPeftAdapter';
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS } from '../engine/peft/savePeftAdapter';
import { modelFingerprint } from './modelFingerprint';

/** What a worker hands back for the main thread to record: a row without name or lineage. */
export type StoredAdapter = Pick<
  AdapterRecord,
  'rank' | 'alpha' | 'rslora' | 'targets' | 'modules' | 'parameters' | 'size' | 'configSha256' | 'weightsSha256' | 'base'
> & { configSize: number; weightsSize: number };

/**
 * Checks a PEFT folder against its base model (every module must exist there with the adapter's
 * shapes: the reason is the refusal's message) and copies its two files into the artifact store.
 * Runs in a job worker: it hashes the base's weights, which can take a second per GB.
 */
export async function storeAdapterFolder(artifactsRoot: string, dir: string, baseDir: string): Promise<StoredAdapter> {
  let adapter: LoraAdapter;
  try {
    const spec = modelSpecWithFiles(baseDir);
    adapter = loadPeftAdapter(dir, spec);
  } catch (err) {
    throw new StudioError('ADAPTER_INVALID', `${dir} cannot serve on ${baseDir}: ${(err as Error).message}`, { dir, base: baseDir });
  }
  const base = await modelFingerprint(resolve(baseDir));
  return storeAdapterFiles(artifactsRoot, { config: join(dir, ADAPTER_CONFIG), weights: join(dir, ADAPTER_WEIGHTS) }, adapter, base);
}

export async function storeAdapterFiles(
  artifactsRoot: string,
  files: { config: string; weights: string },
  adapter: LoraAdapter,
  base: AdapterRecord['base'],
): Promise<StoredAdapter> {
  const store = new ArtifactStore(artifactsRoot);
  const config = await store.putFile(files.config);
  const weights = await store.putFile(files.weights);
  let parameters = 0;
  for (const { A, B } of adapter.modules.values()) parameters += A.data.length + B.data.length;
  return {
    rank: adapter.config.r,
    alpha: adapter.config.alpha,
    rslora: adapter.config.useRslora,
    targets: adapter.config.targetModules,
    modules: adapter.modules.size,
    parameters,
    size: config.size + weights.size,
    configSha256: config.sha256,
    weightsSha256: weights.sha256,
    base,
    configSize: config.size,
    weightsSize: weights.size,
  };
}

/** Where a registered adapter's files are, for loadPeftAdapter. Missing files are named. */
export function registeredAdapterFiles(artifactsRoot: string, a: Pick<AdapterRecord, 'name' | 'configSha256' | 'weightsSha256'>): { config: string; weights: string } {
  const store = new ArtifactStore(artifactsRoot);
  for (const sha of [a.configSha256, a.weightsSha256]) {
    if (!store.has(sha)) throw new StudioError(ErrorCode.NotFound, `Adapter "${a.name}": its file ${sha} is missing from the artifact store; \`studio artifacts verify\` lists the damage.`, { name: a.name });
  }
  return { config: store.pathOf(a.configSha256), weights: store.pathOf(a.weightsSha256) };
}
