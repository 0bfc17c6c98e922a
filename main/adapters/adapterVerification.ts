// Verified loading (OpenLoRA): an adapter published in the ModelRegistry serves only when the
// bytes about to be loaded hash to what the registry records for it. The registry holds one
// files hash per model (digestOf over the two files' sha256, as `adapters publish` registers it);
// the workspace's record holds each file's sha256, so a mismatch can name the file that changed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AdapterRecord, AdapterVerification, RegistryAdapterEntry } from '../api/adaptersSchemas';
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

/** Reads a published adapter's whole ModelRegistry entry (its lineage resolved) for the adapter's
 * page; throws like RegistryFilesHashReader when the chain cannot be read. */
export type RegistryEntryReader = (chainId: number, modelId: string) => Promise<RegistryAdapterEntry>;

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
 * Verified loading's first half, shared by serving and `studio generate --adapter`: for the
 * adapter's confirmed publication (findAdapterPublication), the files hash the chain records now. undefined: not published
 * (it loads unverified); `unverifiable`: published, but its chain cannot be read (it loads with
 * that warning). The async chain read comes before the (synchronous) load that checks the bytes.
 */
export async function readPublishedFilesHash(
  name: string,
  pub: AdapterPublication | undefined,
  read: RegistryFilesHashReader,
): Promise<AdapterPublication | { unverifiable: string } | undefined> {
  if (!pub) return undefined;
  try {
    return { ...pub, filesHash: await read(pub.chainId, pub.modelId) };
  } catch (err) {
    return { unverifiable: `adapter "${name}" is published as model ${pub.modelId} on chain ${pub.chainId}, which cannot be read now (${(err as Error).message}): its files were not verified` };
  }
}

/** The adapter's files as they are on disk now: each file's sha256 and the files hash over both. */
function hashAdapterFiles(files: AdapterFiles): { config: string; weights: string; filesHash: string } {
  const config = sha256(files.config);
  const weights = sha256(files.weights);
  return { config, weights, filesHash: hex32(digestOf({ 'adapter_config.json': config, 'adapter_model.safetensors': weights })) };
}

/** Each file whose bytes are not what the workspace recorded (and published): both hashes. */
function changedFiles(files: AdapterFiles, record: Pick<AdapterRecord, 'configSha256' | 'weightsSha256'>, actual: { config: string; weights: string }) {
  return [
    ...(actual.config !== record.configSha256 ? [{ file: 'adapter_config.json', path: files.config, published: record.configSha256, actual: actual.config }] : []),
    ...(actual.weights !== record.weightsSha256 ? [{ file: 'adapter_model.safetensors', path: files.weights, published: record.weightsSha256, actual: actual.weights }] : []),
  ];
}

type FilesCheck = { file: string | null; message: string; changed: ReturnType<typeof changedFiles>; localFilesHash: string };

/**
 * Hashes the files as they are now and compares them with the registry's files hash. Returns null
 * when they match, else the refusal, naming each file whose bytes differ from what was published.
 */
export function checkAdapterFilesAgainstRegistry(
  name: string,
  files: AdapterFiles,
  record: Pick<AdapterRecord, 'configSha256' | 'weightsSha256'>,
  onChain: { chainId: number; modelId: string; filesHash: string },
): FilesCheck | null {
  const actual = hashAdapterFiles(files);
  if (actual.filesHash === hex32(onChain.filesHash)) return null;
  const where = `model ${onChain.modelId} in the ModelRegistry on chain ${onChain.chainId}`;
  const changed = changedFiles(files, record, actual);
  if (changed.length > 0) {
    const list = changed.map((c) => `${c.file} (${c.path}) has sha256 ${c.actual}, published as ${c.published}`).join('; ');
    return {
      file: changed[0]!.file,
      changed,
      localFilesHash: actual.filesHash,
      message: `Adapter "${name}" is refused: its files do not match ${where}: ${list}. The file was changed after publishing; re-import the published adapter.`,
    };
  }
  // The files are what this workspace recorded, yet the chain holds another hash: the registry
  // entry is not this adapter's any more (a devnet reset reused the id, say).
  return { file: null, changed, localFilesHash: actual.filesHash, message: `Adapter "${name}" is refused: ${where} records files hash ${hex32(onChain.filesHash)}, but the adapter's files hash to ${actual.filesHash}.` };
}

/** What the playground's picker and the adapter's page show for one adapter: its on-chain entry and
 * whether the files on disk still match it (hashed only when it is published). */
export async function verifyAdapter(db: Db, record: AdapterRecord, files: () => AdapterFiles, read: RegistryEntryReader): Promise<AdapterVerification> {
  const none = { entry: null, localFilesHash: null, changed: [], file: null, message: null };
  const pub = findAdapterPublication(db, record);
  if (!pub) return { ...none, name: record.name, status: 'unpublished', chainId: null, modelId: null };
  const at = { ...none, name: record.name, chainId: pub.chainId, modelId: pub.modelId };
  let entry: RegistryAdapterEntry;
  try {
    entry = await read(pub.chainId, pub.modelId);
  } catch (err) {
    return { ...at, status: 'unverifiable', message: `Published as model ${pub.modelId} on chain ${pub.chainId}, which cannot be read now: ${(err as Error).message}` };
  }
  let problem, paths;
  try {
    paths = files();
    problem = checkAdapterFilesAgainstRegistry(record.name, paths, record, { ...pub, filesHash: entry.filesHash });
  } catch (err) {
    return { ...at, entry, status: 'mismatch', message: `Adapter "${record.name}" is refused: its files cannot be read: ${(err as Error).message}` };
  }
  if (problem) return { ...at, entry, status: 'mismatch', file: problem.file, message: problem.message, localFilesHash: problem.localFilesHash, changed: problem.changed };
  return { ...at, entry, status: 'verified', localFilesHash: hex32(entry.filesHash) };
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
