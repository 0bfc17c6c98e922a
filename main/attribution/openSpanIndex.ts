import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseJsonText } from '../workspace/parseJsonText';
import type { NativeEngine } from '../engine/native/index';
import { HEADER_FILE, INDEX_FILES, OFFSETS_FILE, SpanIndexHeaderSchema, TABLE_FILE, TOKENS_FILE, separatorId, type SpanIndexHeader } from './spanIndexFormat';

/** An index that must not be used: missing, unreadable, corrupt or built from other inputs. The caller rebuilds it. */
export class StaleSpanIndexError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: string,
  ) {
    super(`span index ${dir}: ${reason}`);
    this.name = 'StaleSpanIndexError';
  }
}

/** An opened span index: the files memory-mapped (read lazily by the OS), read through typed arrays. */
export interface SpanIndex {
  dir: string;
  header: SpanIndexHeader;
  /** tokenized.0 as token ids (Uint16Array or Uint32Array over the mapping). */
  tokens: Uint16Array | Uint32Array;
  /** Number of suffixes (= tokens). */
  size: number;
  /** The token position of the suffix of rank r. */
  suffixAt(r: number): number;
  /** Document start positions (in tokens, at each separator), ascending. */
  docStarts: Float64Array;
  separator: number;
}

// Files already checked against their sha256 in this process, by path and the stat that was
// checked: hashing a large index on every query would cost more than the query.
const verified = new Map<string, string>();

/**
 * Opens the index in `dir` for `expected` (datanet version root and tokenizer fingerprint). Throws
 * StaleSpanIndexError when anything is off: no header, a header that does not parse, another
 * datanet root or tokenizer, a file of the wrong size or whose sha256 differs. It never returns an
 * index it has not checked.
 */
export function openSpanIndex(
  engine: NativeEngine,
  dir: string,
  expected: { datanetRoot: string; tokenizerFingerprint: string },
): SpanIndex {
  const headerPath = path.join(dir, HEADER_FILE);
  if (!fs.existsSync(headerPath)) throw new StaleSpanIndexError(dir, 'no header (never built, or a build was interrupted)');
  let header: SpanIndexHeader;
  try {
    const parsed = SpanIndexHeaderSchema.safeParse(parseJsonText(fs.readFileSync(headerPath, 'utf8'), headerPath));
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    header = parsed.data;
  } catch (err) {
    throw new StaleSpanIndexError(dir, `unreadable header: ${(err as Error).message}`);
  }
  if (header.datanet.root !== expected.datanetRoot) throw new StaleSpanIndexError(dir, `built for datanet root ${header.datanet.root}, the version's root is ${expected.datanetRoot}`);
  if (header.tokenizer.fingerprint !== expected.tokenizerFingerprint) throw new StaleSpanIndexError(dir, 'built with another tokenizer');
  const docs = header.documents;
  if (header.records.length !== docs || header.recordContributor.length !== docs || header.recordContributor.some((c) => c >= header.contributors.length))
    throw new StaleSpanIndexError(dir, 'header: record lists disagree with the document count');
  for (const name of INDEX_FILES) {
    const file = path.join(dir, name);
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      throw new StaleSpanIndexError(dir, `${name} is missing`);
    }
    const want = header.files[name];
    if (st.size !== want.bytes) throw new StaleSpanIndexError(dir, `${name} is ${st.size} bytes, the header says ${want.bytes}`);
    const key = `${st.size}:${st.mtimeMs}:${st.ino}:${want.sha256}`;
    if (verified.get(file) === key) continue;
    const hash = createHash('sha256');
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.allocUnsafe(1 << 22);
      for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
    } finally {
      fs.closeSync(fd);
    }
    if (hash.digest('hex') !== want.sha256) throw new StaleSpanIndexError(dir, `${name}: checksum mismatch (corrupt)`);
    verified.set(file, key);
  }
  if (header.files[TOKENS_FILE].bytes !== header.tokens * header.tokenWidth || header.files[TABLE_FILE].bytes !== header.tokens * header.ptrSize || header.files[OFFSETS_FILE].bytes !== docs * 8)
    throw new StaleSpanIndexError(dir, 'header: file sizes disagree with the token and document counts');

  const map = (name: string): ArrayBuffer => (header.files[name as (typeof INDEX_FILES)[number]].bytes === 0 ? new ArrayBuffer(0) : engine.mapFile(path.join(dir, name)));
  const tokensBuf = map(TOKENS_FILE);
  const tokens = header.tokenWidth === 2 ? new Uint16Array(tokensBuf) : new Uint32Array(tokensBuf);
  const tableBuf = map(TABLE_FILE);
  const width = header.tokenWidth;
  let suffixAt: (r: number) => number;
  if (header.ptrSize === 4) {
    const t32 = new Uint32Array(tableBuf);
    suffixAt = width === 2 ? (r) => t32[r]! >>> 1 : (r) => t32[r]! >>> 2;
  } else {
    const bytes = new Uint8Array(tableBuf);
    const p = header.ptrSize;
    suffixAt = (r) => {
      let v = 0;
      for (let k = p - 1; k >= 0; k--) v = v * 256 + bytes[r * p + k]!;
      return v / width;
    };
  }
  const offsets = new DataView(map(OFFSETS_FILE));
  const docStarts = new Float64Array(docs);
  for (let i = 0; i < docs; i++) docStarts[i] = Number(offsets.getBigUint64(i * 8, true)) / width;
  return { dir, header, tokens, size: header.tokens, suffixAt, docStarts, separator: separatorId(width) };
}
