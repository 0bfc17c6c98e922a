import type { NativeEngine } from '../engine/native';
import { MINHASH_SLOTS } from './minhashSignature';
import { nativeText, nativeTextSignalsAvailable, textSignalsAt, type NativeTextSignals } from './nativeTextSignals';

/** What the engine computed of one record of a batch (stageSignals). */
export interface StagedSignals {
  /** keccak256 of the canonical content JSON, 0x-prefixed lowercase hex (as recordHashes). */
  contentHash: string;
  /**
   * For an ASCII text: its normHash (the first 16 bytes of the SHA-256 of normalizeText(text), in
   * hex, as computeRecordSignals), MinHash and text signals. Null for any other text: the caller
   * normalises it in JS and takes the reference paths (recordHashes, qualitySignals, detectPii).
   */
  ascii: { normHash: string; minhash: Uint32Array; text: NativeTextSignals } | null;
}

/** Whether the engine has the one-pass batch call (off under STUDIO_DATANET_HASHES=reference, as the hashes). */
export function stageSignalsAvailable(): boolean {
  return nativeTextSignalsAvailable() && typeof nativeText()!.native.datanetStageSignals === 'function';
}

/**
 * One native call for a batch of records: each text crosses into the engine once, and for an
 * ASCII text (most of any real import) the engine normalises it itself, so no normalised string,
 * hash object or hex digest is built in JS for it. Equal to the reference for every record it
 * answers (main/datanets/test/stageSignals.test.ts); sha256Kernel is for those tests.
 */
export function stageSignals(texts: readonly string[], canonical: readonly string[], sha256Kernel?: Parameters<NativeEngine['datanetStageSignals']>[3]): StagedSignals[] {
  const e = nativeText();
  if (!e || typeof e.native.datanetStageSignals !== 'function') throw new Error('stageSignals: the native engine is not built with datanetStageSignals (run npm run build:native)');
  const out = e.native.datanetStageSignals(texts as string[], canonical as string[], e.tables, sha256Kernel);
  const keccak = Buffer.from(out.keccak.buffer, out.keccak.byteOffset, out.keccak.byteLength).toString('hex');
  const norm = Buffer.from(out.normHash.buffer, out.normHash.byteOffset, out.normHash.byteLength).toString('hex');
  return texts.map((_, i) => {
    const text = textSignalsAt(out.figures, i);
    return {
      contentHash: `0x${keccak.slice(64 * i, 64 * i + 64)}`,
      ascii: text ? { normHash: norm.slice(32 * i, 32 * i + 32), minhash: out.minhash.subarray(i * MINHASH_SLOTS, (i + 1) * MINHASH_SLOTS), text } : null,
    };
  });
}
