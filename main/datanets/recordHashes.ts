import { loadNativeEngineWith, type NativeEngine } from '../engine/native';
import { contentHashOf } from './mapRow';
import { MINHASH_SLOTS, minhashSignature } from './minhashSignature';

export interface RecordHashes {
  /** keccak256 of the canonical content JSON, 0x-prefixed lowercase hex (as viem writes it). */
  contentHash: string;
  minhash: Uint32Array;
}

type Backend = 'native' | 'reference';

let native: NativeEngine | null | undefined;

/**
 * The engine when it is built and has datanetHashes; otherwise null and the TS reference is used
 * (an addon built before the datanet hashes existed still loads, without them).
 */
function nativeEngine(): NativeEngine | null {
  if (native === undefined) native = loadNativeEngineWith('datanetHashes');
  return native;
}

/**
 * Which implementation recordHashes uses here: 'native' when the engine has it, unless
 * STUDIO_DATANET_HASHES=reference asks for the TypeScript (the benchmark's before/after).
 */
export function recordHashesBackend(): Backend {
  if (process.env.STUDIO_DATANET_HASHES === 'reference') return 'reference';
  return nativeEngine() ? 'native' : 'reference';
}

/**
 * The record hash and MinHash of each record of a batch: one native call on the engine's thread
 * pool when it is built, else the TypeScript reference record by record. Both give the same
 * values (native/test/datanetHashes.test.ts compares them). `normalized` is normalizeText(text).
 */
export function recordHashes(batch: readonly { normalized: string; canonical: string }[], backend: Backend = recordHashesBackend()): RecordHashes[] {
  if (backend === 'reference' || batch.length === 0) return batch.map((r) => ({ contentHash: contentHashOf(r.canonical), minhash: minhashSignature(r.normalized) }));
  const engine = nativeEngine();
  if (!engine) throw new Error('recordHashes: the native engine is not built (run npm run build:native)');
  const out = engine.datanetHashes(
    batch.map((r) => r.normalized),
    batch.map((r) => r.canonical),
  );
  const hex = Buffer.from(out.keccak.buffer, out.keccak.byteOffset, out.keccak.byteLength).toString('hex');
  return batch.map((_, i) => ({ contentHash: `0x${hex.slice(64 * i, 64 * i + 64)}`, minhash: out.minhash.subarray(i * MINHASH_SLOTS, (i + 1) * MINHASH_SLOTS) }));
}
