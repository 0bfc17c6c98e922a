import fs from 'node:fs';
import type { RecordTextSignals } from './computeRecordSignals';
import { MINHASH_SLOTS } from './minhashSignature';

/**
 * One staged record: what the worker decided, in the form the commit writes it, its JSON columns
 * already serialised. The worker encodes these, a batch at a time, for the import's commit thread
 * (or into a staging file under artifacts/tmp, for commitImport); the commit inserts them.
 */
export interface StagedRecord {
  line: number;
  file?: string;
  sourceId: string;
  contributor: string;
  contentJson: string;
  metadataJson: string;
  text: string;
  contentHash: string;
  signals: SignalColumns;
}

/** One record's own-text signals as datanet_signals stores them: RecordTextSignals with the
 * MinHash as the stored BLOB, the PII matches as their count and JSON, the flags joined. */
export type SignalColumns = Omit<RecordTextSignals, 'minhash' | 'pii' | 'flags'> & {
  /** MINHASH_SLOTS uint32, little-endian (the BLOB stored). */
  minhash: Buffer;
  piiCount: number;
  piiJson: string;
  /** Heuristics failed, comma-separated. */
  flags: string;
};

export function signalColumns(s: RecordTextSignals): SignalColumns {
  return {
    normHash: s.normHash,
    minhash: Buffer.from(s.minhash.buffer, s.minhash.byteOffset, s.minhash.byteLength),
    piiCount: s.pii.length,
    piiJson: JSON.stringify(s.pii),
    length: s.length,
    words: s.words,
    meanWordLength: s.meanWordLength,
    symbolRatio: s.symbolRatio,
    alphaRatio: s.alphaRatio,
    dupLineRatio: s.dupLineRatio,
    topNgramRatio: s.topNgramRatio,
    stopWords: s.stopWords,
    language: s.language,
    flags: s.flags.join(','),
  };
}

// The file is a run of frames: a uint32 byte length, then NUMBERS float64, the MinHash bytes,
// and STRINGS UTF-8 strings each after its uint32 byte length (all little-endian). Why not JSON
// lines: the commit is the import's serial half (it ran on the core's thread until session 8; now
// on a thread of its own), and parsing each record's JSON (its text twice,
// the MinHash in base64) and serialising its columns again cost more than the row inserts'
// binding; a frame is read with one slice per string.
const NUMBERS = 10;
const STRINGS = 11;
const MINHASH_BYTES = MINHASH_SLOTS * 4;

const numbersOf = (r: StagedRecord) => {
  const s = r.signals;
  return [r.line, s.piiCount, s.length, s.words, s.meanWordLength, s.symbolRatio, s.alphaRatio, s.dupLineRatio, s.topNgramRatio, s.stopWords];
};
const stringsOf = (r: StagedRecord) => {
  const s = r.signals;
  return [r.sourceId, r.contributor, r.contentJson, r.metadataJson, r.text, r.contentHash, r.file ?? '', s.normHash, s.piiJson, s.language, s.flags];
};

/** Records as frames, for appending to a staging file. */
export function encodeStagedRecords(records: readonly StagedRecord[]): Buffer {
  const all = records.map(stringsOf);
  // The exact size (not a bound of 3 bytes per code unit): a batch of large records stays one
  // copy of its UTF-8 in memory.
  let size = 0;
  for (const strings of all) size += 4 + 8 * NUMBERS + MINHASH_BYTES + 4 * STRINGS + strings.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0);
  const buf = Buffer.allocUnsafe(size);
  let o = 0;
  records.forEach((r, i) => {
    const start = o;
    o += 4;
    for (const x of numbersOf(r)) o = buf.writeDoubleLE(x, o);
    if (r.signals.minhash.length !== MINHASH_BYTES) throw new Error(`staged record line ${r.line}: MinHash of ${r.signals.minhash.length} bytes`);
    o += r.signals.minhash.copy(buf, o);
    for (const s of all[i]!) {
      const n = buf.write(s, o + 4, 'utf8');
      buf.writeUInt32LE(n, o);
      o += 4 + n;
    }
    buf.writeUInt32LE(o - start - 4, start);
  });
  if (o !== size) throw new Error(`staged records: wrote ${o} bytes of ${size}`);
  return buf;
}

function decode(buf: Buffer, from: number): StagedRecord {
  let o = from;
  const n: number[] = [];
  for (let i = 0; i < NUMBERS; i++, o += 8) n.push(buf.readDoubleLE(o));
  // A copy: the read buffer is reused.
  const minhash = Buffer.from(buf.subarray(o, o + MINHASH_BYTES));
  o += MINHASH_BYTES;
  const s: string[] = [];
  for (let i = 0; i < STRINGS; i++) {
    const len = buf.readUInt32LE(o);
    s.push(buf.toString('utf8', o + 4, o + 4 + len));
    o += 4 + len;
  }
  const [sourceId, contributor, contentJson, metadataJson, text, contentHash, file, normHash, piiJson, language, flags] = s as [string, string, string, string, string, string, string, string, string, string, string];
  const [line, piiCount, length, words, meanWordLength, symbolRatio, alphaRatio, dupLineRatio, topNgramRatio, stopWords] = n as [number, number, number, number, number, number, number, number, number, number];
  return {
    line,
    ...(file ? { file } : {}),
    sourceId,
    contributor,
    contentJson,
    metadataJson,
    text,
    contentHash,
    signals: { normHash, minhash, piiCount, piiJson, length, words, meanWordLength, symbolRatio, alphaRatio, dupLineRatio, topNgramRatio, stopWords, language, flags },
  };
}

/**
 * Calls fn for every record of a buffer of whole frames (what encodeStagedRecords returned), in
 * order: the import's commit worker gets its records this way, one staging batch per message.
 */
export function forEachStagedRecordIn(buf: Buffer, fn: (r: StagedRecord) => void): void {
  let pos = 0;
  while (pos < buf.length) {
    if (buf.length - pos < 4 || buf.length - pos - 4 < buf.readUInt32LE(pos)) throw new Error(`staged records: a frame at byte ${pos} runs past the end of its batch (${buf.length} bytes)`);
    fn(decode(buf, pos + 4));
    pos += 4 + buf.readUInt32LE(pos);
  }
}

/**
 * Calls fn for every record of a staging file in order, reading 4 MiB at a time (more only for a
 * record larger than that): the commit runs synchronously inside one SQLite transaction without
 * holding the whole file.
 */
export function forEachStagedRecordSync(file: string, fn: (r: StagedRecord) => void): void {
  const fd = fs.openSync(file, 'r');
  let buf = Buffer.allocUnsafe(4 << 20);
  let have = 0;
  try {
    for (;;) {
      let pos = 0;
      while (have - pos >= 4 && have - pos - 4 >= buf.readUInt32LE(pos)) {
        const len = buf.readUInt32LE(pos);
        fn(decode(buf, pos + 4));
        pos += 4 + len;
      }
      // Keep the partial frame at the front, with room for all of it.
      if (pos > 0) buf.copy(buf, 0, pos, have);
      have -= pos;
      if (have >= 4 && 4 + buf.readUInt32LE(0) > buf.length) {
        const bigger = Buffer.allocUnsafe(4 + buf.readUInt32LE(0));
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const got = fs.readSync(fd, buf, have, buf.length - have, null);
      if (got === 0) break;
      have += got;
    }
    if (have !== 0) throw new Error(`${file} ends inside a record (${have} bytes left over)`);
  } finally {
    fs.closeSync(fd);
  }
}
