// Verified loading (OpenLoRA): an adapter published in the ModelRegistry serves only when the
// bytes about to be loaded hash to what the registry records for it. The registry holds one
// files hash per model (digestOf over the two files' sha256, as `adapters publish` registers it);
// the workspace's record holds each file's sha256, so a mismatch can name the file that changed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AdapterRecord, AdapterVerification } from '../api/adaptersSchemas';
import { listPublications } from '../chain/publishing/publicationsRepository';
import type { Db } from '../workspace/openDatabase';
import { digestOf } from './modelFingerprint';

/** The adapter's registration this workspace made and saw confirmed: the chain and model id. */
export interface AdapterPublication {
  chainId: number;
  modelId: string;
  /** The files hash the publication sent (0x-prefixed), i.e. the record's hashes when published. */
  filesHash: string;
}

/** Reads a model's files hash from the ModelRegistry of the chain `chainId`; throws when that
 * chain cannot be read (not running, not configured, RPC failure). */
export type RegistryFilesHashReader = (chainId: number, modelId: string) => Promise<string>;

const hex32 = (h: string) => `0x${h.replace(/^0x/, '')}`.toLowerCase();

export function recordFilesHash(a: Pick<AdapterRecord, 'configSha256' | 'weightsSha256'>): string {
  return hex32(digestOf({ 'adapter_config.json': a.configSha256, 'adapter_model.safetensors': a.weightsSha256 }));
}

/**
 * The newest confirmed `model.adapter` publication whose files hash is this adapter's, on any
 * chain (the devnet or a configured network); undefined for an adapter never published (or whose
 * publication a devnet reset lost).
 */
export function findAdapterPublication(db: Db, a: Pick<AdapterRecord, 'configSha256' | 'weightsSha256'>): AdapterPublication | undefined {
  const want = recordFilesHash(a);
  const p = listPublications(db, { status: 'confirmed' }).find((x) => x.kind === 'model.adapter' && hex32(String((x.params as Record<string, unknown>)['filesHash'])) === want);
  return p ? { chainId: p.chainId, modelId: String(p.result), filesHash: want } : undefined;
}

export interface AdapterFiles {
  config: string;
  weights: string;
}

/**
 * Hashes the files as they are now and compares them with the registry's files hash. Returns null
 * when they match, else the refusal, naming each file whose bytes differ from what was published.
 */
export function checkAdapterFilesAgainstRegistry(
  name: string,
  files: AdapterFiles,
  record: Pick<AdapterRecord, 'configSha256' | 'weightsSha256'>,
  onChain: { chainId: number; modelId: string; filesHash: string },
): { file: string | null; message: string } | null {
  const actual = { 'adapter_config.json': sha256(files.config), 'adapter_model.safetensors': sha256(files.weights) };
  if (hex32(digestOf(actual)) === hex32(onChain.filesHash)) return null;
  const where = `model ${onChain.modelId} in the ModelRegistry on chain ${onChain.chainId}`;
  const changed = [
    ...(actual['adapter_config.json'] !== record.configSha256 ? [{ file: 'adapter_config.json', path: files.config, want: record.configSha256, got: actual['adapter_config.json'] }] : []),
    ...(actual['adapter_model.safetensors'] !== record.weightsSha256 ? [{ file: 'adapter_model.safetensors', path: files.weights, want: record.weightsSha256, got: actual['adapter_model.safetensors'] }] : []),
  ];
  if (changed.length > 0) {
    const list = changed.map((c) => `${c.file} (${c.path}) has sha256 ${c.got}, published as ${c.want}`).join('; ');
    return { file: changed[0]!.file, message: `Adapter "${name}" is refused: its files do not match ${where}: ${list}. The file was changed after publishing; re-import the published adapter.` };
  }
  // The files are what this workspace recorded, yet the chain holds another hash: the registry
  // entry is not this adapter's any more (a devnet reset reused the id, say).
  return { file: null, message: `Adapter "${name}" is refused: ${where} records files hash ${hex32(onChain.filesHash)}, but the adapter's files hash to ${hex32(digestOf(actual))}.` };
}

/** What the playground's picker shows for one adapter (hashes its files when it is published). */
export async function verifyAdapter(db: Db, record: AdapterRecord, files: () => AdapterFiles, read: RegistryFilesHashReader): Promise<AdapterVerification> {
  const pub = findAdapterPublication(db, record);
  if (!pub) return { name: record.name, status: 'unpublished', chainId: null, modelId: null, file: null, message: null };
  const at = { name: record.name, chainId: pub.chainId, modelId: pub.modelId };
  let filesHash: string;
  try {
    filesHash = await read(pub.chainId, pub.modelId);
  } catch (err) {
    return { ...at, status: 'unverifiable', file: null, message: `Published as model ${pub.modelId} on chain ${pub.chainId}, which cannot be read now: ${(err as Error).message}` };
  }
  let problem;
  try {
    problem = checkAdapterFilesAgainstRegistry(record.name, files(), record, { ...pub, filesHash });
  } catch (err) {
    return { ...at, status: 'mismatch', file: null, message: `Adapter "${record.name}" is refused: its files cannot be read: ${(err as Error).message}` };
  }
  return problem ? { ...at, status: 'mismatch', file: problem.file, message: problem.message } : { ...at, status: 'verified', file: null, message: null };
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
