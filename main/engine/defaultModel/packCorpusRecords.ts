// Corpus documents -> training records ({"text"} lines) of at most `seq` tokens each, so a
// training row is mostly real text and not padding (makeTrainBatch gives each record one row of
// seq + 1 tokens, EOS appended). A document is cut into sentences (after . ! ? and a closing
// quote or bracket, before a space); the sentences are packed greedily in order, each keeping
// what separated it from the one before ("\n" between paragraphs, else its space), except the
// first of a record, which starts bare. Counts are exact without encoding the records: the
// byte-level pre-tokenizer never joins "\n" to a word, and a sentence's leading space belongs to
// its first word, so tokens never cross a join. A sentence longer than seq stays one record
// (truncated in training); records never span documents.
import type { Tokenizer } from '../tokenizer/Tokenizer';
import type { CorpusDocument } from './assembleCorpus';

export interface PackedRecords {
  records: string[];
  /** Tokens in the records (without the EOS each gets in training). */
  tokens: number;
}

/** The pieces of a document: each sentence with its separator in front ('' for the first). */
export function documentSentences(d: CorpusDocument): { sep: string; text: string }[] {
  const out: { sep: string; text: string }[] = [];
  d.paragraphs.forEach((p, j) => {
    p.split(/(?<=[.!?]["')\]]?) (?=\S)/).forEach((s, i) => out.push({ sep: i > 0 ? ' ' : j > 0 ? '\n' : '', text: s }));
  });
  return out;
}

export function packCorpusRecords(docs: CorpusDocument[], tok: Tokenizer, seq: number): PackedRecords {
  const records: string[] = [];
  let tokens = 0;
  const count = (s: string) => tok.encode(s, { addSpecialTokens: false }).length;
  for (const d of docs) {
    let cur = '';
    let n = 0;
    for (const { sep, text } of documentSentences(d)) {
      const joined = count(sep + text);
      if (cur !== '' && n + joined <= seq) {
        cur += sep + text;
        n += joined;
        continue;
      }
      if (cur !== '') records.push(cur);
      tokens += n;
      cur = text;
      n = count(text);
    }
    if (cur !== '') records.push(cur);
    tokens += n;
  }
  return { records, tokens };
}
