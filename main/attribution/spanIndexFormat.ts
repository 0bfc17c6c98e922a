import { z } from 'zod';

// The span index of one datanet version under one tokenizer, laid out as infini-gram's index
// (https://infini-gram.readthedocs.io, "index files") so that engine can serve the same datanet
// when it outgrows one machine; docs/ARCHITECTURE.md "Exact-span attribution" describes it:
//   tokenized.0  every document as [SEP, t1, t2, ...], tokens little-endian, TOKEN_WIDTH bytes
//                (2 when the vocabulary has fewer than 65535 ids, else 4); SEP = all bits set
//                (0xffff / 0xffffffff), an id no real token has.
//   table.0      the suffix array: every token position's BYTE offset into tokenized.0, PTR_SIZE
//                bytes little-endian, in memcmp order of the suffixes (infini-gram's order).
//   offset.0     each document's byte offset into tokenized.0 (at its SEP), uint64 little-endian.
//   studio-index.json  this header: what was indexed (datanet version and Merkle root, tokenizer
//                fingerprint), the files' sizes and sha256, and each document's record source id
//                and contributor (document i is record i of the version, in leaf order).

export const SPAN_INDEX_FORMAT = 'studio-span-index/1';
export const HEADER_FILE = 'studio-index.json';
export const TOKENS_FILE = 'tokenized.0';
export const TABLE_FILE = 'table.0';
export const OFFSETS_FILE = 'offset.0';
export const INDEX_FILES = [TOKENS_FILE, TABLE_FILE, OFFSETS_FILE] as const;

const FileEntry = z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const SpanIndexHeaderSchema = z
  .object({
    format: z.literal(SPAN_INDEX_FORMAT),
    datanet: z.object({ name: z.string(), version: z.number().int().positive(), root: z.string() }),
    tokenizer: z.object({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/), vocabSize: z.number().int().positive() }),
    tokenWidth: z.union([z.literal(2), z.literal(4)]),
    ptrSize: z.number().int().min(1).max(8),
    /** Tokens in tokenized.0, separators included. */
    tokens: z.number().int().nonnegative(),
    documents: z.number().int().nonnegative(),
    files: z.object({ [TOKENS_FILE]: FileEntry, [TABLE_FILE]: FileEntry, [OFFSETS_FILE]: FileEntry }),
    /** Per document: the record's source id, and an index into `contributors`. */
    records: z.array(z.string()),
    recordContributor: z.array(z.number().int().nonnegative()),
    contributors: z.array(z.string()),
    build: z.object({ ms: z.number(), suffixArrayMs: z.number(), createdAt: z.string() }),
  })
  .strict();
export type SpanIndexHeader = z.infer<typeof SpanIndexHeaderSchema>;

/** Smallest pointer that addresses every byte offset of a token file of `bytes` bytes (infini-gram's rule), at least 4 so tables stay word-aligned in the common case. */
export function pointerSize(bytes: number): number {
  let p = 4;
  while (p < 8 && bytes >= 2 ** (8 * p)) p++;
  return p;
}

/** The separator id for a token width: all bits set. */
export function separatorId(width: 2 | 4): number {
  return width === 2 ? 0xffff : 0xffffffff;
}
