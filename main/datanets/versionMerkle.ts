import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { loadNativeEngineWith, type NativeEngine } from '../engine/native';
import type { Db } from '../workspace/openDatabase';
import { LEAF_ENCODING, type RecordLeaf } from './recordLeaf';

export interface VersionMerkle {
  /** The Merkle root, 0x-prefixed lowercase hex (as StandardMerkleTree's root). */
  root: string;
  leaves: number;
  /** The proof of the record asked for, leaf to root; null when none was asked for. */
  proof: string[] | null;
}

type Backend = 'native' | 'reference';

let native: NativeEngine | null | undefined;

function nativeEngine(): NativeEngine | null {
  if (native === undefined) native = loadNativeEngineWith('datanetMerkleBegin');
  return native;
}

/**
 * 'native' when the engine is built with the Merkle builder, unless STUDIO_DATANET_MERKLE=reference
 * asks for @openzeppelin's StandardMerkleTree in JS (the reference; the bench's before).
 */
export function versionMerkleBackend(): Backend {
  if (process.env.STUDIO_DATANET_MERKLE === 'reference') return 'reference';
  return nativeEngine() ? 'native' : 'reference';
}

/** Leaves handed to the engine per call: 52 bytes each, a bounded buffer whatever the version's size. */
const BATCH = 16_384;
const PAIR = 52;

function writeHex(buf: Buffer, offset: number, hex: string, bytes: number, what: string, index: number): void {
  if (hex.length !== 2 + 2 * bytes || !hex.startsWith('0x') || buf.write(hex.slice(2), offset, bytes, 'hex') !== bytes)
    throw new Error(`Leaf ${index}: the ${what} ${JSON.stringify(hex)} is not 0x and ${bytes} bytes of hex`);
}

/**
 * The Merkle root of (contributor, recordHash) values as @openzeppelin's StandardMerkleTree.of(values,
 * ["address", "bytes32"]) computes it, and with `prove` (a value index) that value's proof
 * (getProof(prove)). The native builder (native/src/datanet_merkle.h) takes the values in batches
 * of 52 bytes each and holds 32 bytes a tree node, where the JS tree holds hex strings and objects
 * per leaf; both give the same root and proofs (native/test/datanetMerkle.test.ts).
 */
export function merkleOf(values: Iterable<RecordLeaf>, opts: { prove?: number; expected?: number; backend?: Backend } = {}): VersionMerkle {
  const backend = opts.backend ?? versionMerkleBackend();
  if (backend === 'reference') {
    const all = [...values];
    const tree = StandardMerkleTree.of(all, [...LEAF_ENCODING]);
    return { root: tree.root, leaves: all.length, proof: opts.prove === undefined ? null : tree.getProof(opts.prove) };
  }
  const engine = nativeEngine();
  if (!engine) throw new Error('versionMerkle: the native engine is not built (run npm run build:native)');
  const builder = engine.datanetMerkleBegin(opts.expected ?? 0);
  const buf = Buffer.alloc(BATCH * PAIR);
  let leaves = 0;
  let inBatch = 0;
  for (const [contributor, hash] of values) {
    writeHex(buf, inBatch * PAIR, contributor, 20, 'contributor', leaves);
    writeHex(buf, inBatch * PAIR + 20, hash, 32, 'record hash', leaves);
    leaves++;
    if (++inBatch === BATCH) {
      engine.datanetMerkleAdd(builder, buf);
      inBatch = 0;
    }
  }
  if (inBatch > 0) engine.datanetMerkleAdd(builder, buf.subarray(0, inBatch * PAIR));
  if (leaves === 0) throw new Error('Expected non-zero number of leaves');
  if (opts.prove !== undefined && !(Number.isInteger(opts.prove) && opts.prove >= 0 && opts.prove < leaves)) throw new Error(`Index ${opts.prove} is not a value of the ${leaves} leaves`);
  const out = engine.datanetMerkleFinish(builder, opts.prove ?? -1);
  const hex = (b: Uint8Array) => `0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`;
  const proof = opts.prove === undefined ? null : Array.from({ length: out.proof.length / 32 }, (_, i) => hex(out.proof.subarray(32 * i, 32 * i + 32)));
  return { root: hex(out.root), leaves, proof };
}

/**
 * The Merkle tree of a version's records as DatanetRegistry checks it: leaves (contributor,
 * recordHash), values in record-id order (the tree sorts them), streamed from SQLite. With
 * `proveRecordId`, also that record's proof.
 */
export function versionMerkle(db: Db, versionId: number, opts: { proveRecordId?: number; backend?: Backend } = {}): VersionMerkle {
  const expected = db.prepare('SELECT COUNT(*) FROM datanet_version_records WHERE version_id = ?').pluck().get(versionId) as number;
  let prove: number | undefined;
  if (opts.proveRecordId !== undefined) {
    // The record's value index: how many of the version's records have a smaller id.
    prove = db.prepare('SELECT COUNT(*) FROM datanet_version_records WHERE version_id = ? AND record_id < ?').pluck().get(versionId, opts.proveRecordId) as number;
  }
  const rows = db
    .prepare('SELECT r.contributor, r.content_hash FROM datanet_version_records v JOIN datanet_records r ON r.id = v.record_id WHERE v.version_id = ? ORDER BY r.id')
    .raw()
    .iterate(versionId) as Iterable<RecordLeaf>;
  try {
    return merkleOf(rows, { prove, expected, backend: opts.backend });
  } catch (err) {
    // A malformed stored leaf is named by its record, not by its place in the tree's input.
    const m = /^Leaf (\d+): (.*)$/s.exec((err as Error).message);
    if (!m) throw err;
    const id = db.prepare('SELECT record_id FROM datanet_version_records WHERE version_id = ? ORDER BY record_id LIMIT 1 OFFSET ?').pluck().get(versionId, Number(m[1])) as number;
    throw new Error(`Record ${id}: ${m[2]}`);
  }
}
