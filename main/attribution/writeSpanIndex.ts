import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NativeEngine } from '../engine/native/index';
import {
  HEADER_FILE,
  OFFSETS_FILE,
  SPAN_INDEX_FORMAT,
  TABLE_FILE,
  TOKENS_FILE,
  pointerSize,
  separatorId,
  type SpanIndexHeader,
} from './spanIndexFormat';

export interface IndexDocument {
  record: string;
  contributor: string;
  /** The document's token ids (no separator). */
  ids: ArrayLike<number>;
}

export interface SpanIndexMeta {
  datanet: SpanIndexHeader['datanet'];
  tokenizer: SpanIndexHeader['tokenizer'];
}

/**
 * Writes a span index (spanIndexFormat.ts) for `docs` into `dir`: all files into a temporary
 * sibling folder first, then one rename, so a crash leaves the old index or none, never half of
 * one. The suffix table is built natively (SA-IS, engine.tokenSuffixTable) on `threads` threads.
 */
export function writeSpanIndex(
  engine: NativeEngine,
  dir: string,
  docs: Iterable<IndexDocument>,
  meta: SpanIndexMeta,
  opts: { threads?: number; /** wider pointers than needed (tests of the 5-byte layout) */ ptrSize?: number } = {},
): SpanIndexHeader {
  const started = performance.now();
  const width: 2 | 4 = meta.tokenizer.vocabSize < 0xffff ? 2 : 4;
  const sep = separatorId(width);
  // Token ids into growing chunks, then one buffer (the suffix table needs it contiguous).
  const chunks: Uint8Array[] = [];
  let chunk = new Uint8Array(1 << 22);
  let view = new DataView(chunk.buffer);
  let used = 0;
  let total = 0;
  const push = (id: number): void => {
    if (used + width > chunk.length) {
      chunks.push(chunk.subarray(0, used));
      chunk = new Uint8Array(1 << 22);
      view = new DataView(chunk.buffer);
      used = 0;
    }
    if (width === 2) view.setUint16(used, id, true);
    else view.setUint32(used, id >>> 0, true);
    used += width;
    total += width;
  };
  const offsets: number[] = [];
  const records: string[] = [];
  const recordContributor: number[] = [];
  const contributors: string[] = [];
  const contributorIndex = new Map<string, number>();
  for (const d of docs) {
    offsets.push(total);
    push(sep);
    for (let i = 0; i < d.ids.length; i++) {
      const id = d.ids[i]!;
      if (!(id >= 0 && id < meta.tokenizer.vocabSize && id !== sep)) throw new Error(`span index: record ${d.record} has token id ${id}, outside the tokenizer's ${meta.tokenizer.vocabSize} ids`);
      push(id);
    }
    records.push(d.record);
    let c = contributorIndex.get(d.contributor);
    if (c === undefined) {
      c = contributors.length;
      contributors.push(d.contributor);
      contributorIndex.set(d.contributor, c);
    }
    recordContributor.push(c);
  }
  chunks.push(chunk.subarray(0, used));
  const tokens = Buffer.concat(chunks);
  const ptrSize = Math.max(opts.ptrSize ?? 0, pointerSize(tokens.length));
  const saStarted = performance.now();
  const table = tokens.length ? engine.tokenSuffixTable(tokens, width, ptrSize, opts.threads ?? 2) : new Uint8Array(0);
  const suffixArrayMs = performance.now() - saStarted;
  const offsetBytes = Buffer.alloc(offsets.length * 8);
  offsets.forEach((o, i) => offsetBytes.writeBigUInt64LE(BigInt(o), i * 8));

  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const files = {} as SpanIndexHeader['files'];
  for (const [name, bytes] of [
    [TOKENS_FILE, tokens],
    [TABLE_FILE, table],
    [OFFSETS_FILE, offsetBytes],
  ] as const) {
    fs.writeFileSync(path.join(tmp, name), bytes);
    files[name] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  const header: SpanIndexHeader = {
    format: SPAN_INDEX_FORMAT,
    datanet: meta.datanet,
    tokenizer: meta.tokenizer,
    tokenWidth: width,
    ptrSize,
    tokens: tokens.length / width,
    documents: records.length,
    files,
    records,
    recordContributor,
    contributors,
    build: { ms: Math.round(performance.now() - started), suffixArrayMs: Math.round(suffixArrayMs), createdAt: new Date().toISOString() },
  };
  fs.writeFileSync(path.join(tmp, HEADER_FILE), JSON.stringify(header));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.renameSync(tmp, dir);
  return header;
}
