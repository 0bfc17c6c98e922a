import { detectLanguage, ENGLISH_STOP_WORDS } from './detectLanguage';

/** The heuristics' figures and the names of those the text fails. */
export interface QualitySignals {
  words: number;
  meanWordLength: number;
  /** '#' and '…' / '...' per word (Gopher's symbol-to-word ratio). */
  symbolRatio: number;
  /** Share of words with at least one letter. */
  alphaRatio: number;
  /** Share of non-empty lines that repeat an earlier line. */
  dupLineRatio: number;
  /** Share of characters covered by the most frequent word 2-gram. */
  topNgramRatio: number;
  stopWords: number;
  language: string;
  flags: string[];
}

/**
 * In the style of Gopher's and FineWeb's filters, with limits loosened for curated records (a
 * Q&A pair is shorter than a web page): too few or too many words, odd mean word length, many
 * symbols, few alphabetic words, repeated lines or 2-grams, no stop words in a long English text.
 */
export function qualitySignals(text: string): QualitySignals {
  const words = text.toLowerCase().match(/[\p{L}\p{N}'’_-]+|[^\s\p{L}\p{N}]+/gu) ?? [];
  const wordish = words.filter((w) => /[\p{L}\p{N}]/u.test(w));
  const n = wordish.length;
  const meanWordLength = n === 0 ? 0 : wordish.reduce((s, w) => s + w.length, 0) / n;
  const symbols = (text.match(/#|…|\.\.\./g) ?? []).length;
  const symbolRatio = n === 0 ? (symbols > 0 ? 1 : 0) : symbols / n;
  const alphaRatio = words.length === 0 ? 0 : words.filter((w) => /\p{L}/u.test(w)).length / words.length;
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const seen = new Set<string>();
  let dupLines = 0;
  for (const l of lines) {
    if (seen.has(l)) dupLines++;
    else seen.add(l);
  }
  const dupLineRatio = lines.length === 0 ? 0 : dupLines / lines.length;
  const grams = new Map<string, number>();
  for (let i = 0; i + 1 < n; i++) {
    const g = `${wordish[i]} ${wordish[i + 1]}`;
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  let topGram = '';
  let topCount = 0;
  for (const [g, c] of grams) if (c > topCount) [topGram, topCount] = [g, c];
  const chars = wordish.reduce((s, w) => s + w.length, 0);
  const topNgramRatio = topCount < 2 || chars === 0 ? 0 : ((topGram.length - 1) * topCount) / chars;
  const stopWords = wordish.filter((w) => ENGLISH_STOP_WORDS.has(w)).length;
  const language = detectLanguage(wordish);

  const flags: string[] = [];
  if (n < 3) flags.push('too-short');
  if (n > 100_000) flags.push('too-long');
  if (n >= 3 && (meanWordLength < 2 || meanWordLength > 12)) flags.push('word-length');
  if (symbolRatio > 0.1) flags.push('symbols');
  if (words.length >= 3 && alphaRatio < 0.6) flags.push('non-alphabetic');
  if (lines.length >= 3 && dupLineRatio > 0.3) flags.push('repeated-lines');
  if (n >= 20 && topNgramRatio > 0.2) flags.push('repeated-ngrams');
  if (n >= 50 && (language === 'en' || language === 'und') && stopWords < 2) flags.push('no-stop-words');
  return { words: n, meanWordLength, symbolRatio, alphaRatio, dupLineRatio, topNgramRatio, stopWords, language, flags };
}
