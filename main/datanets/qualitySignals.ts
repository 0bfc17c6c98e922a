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
 * The counts the heuristics are computed from. qualityFigures is the reference; the engine's
 * datanetTextSignals computes the same counts for ASCII texts (nativeTextSignals.ts), and both go
 * through qualityFromFigures, so the ratios and flags are the same arithmetic either way.
 */
export interface QualityFigures {
  /** Word and symbol tokens. */
  tokens: number;
  /** Tokens with a letter or digit. */
  words: number;
  /** Their summed length (UTF-16 code units). */
  wordChars: number;
  /** Tokens with a letter. */
  alphaTokens: number;
  /** '#', '…' and '...'. */
  symbols: number;
  /** Non-empty trimmed lines, and those of them that repeat an earlier one. */
  lines: number;
  dupLines: number;
  /** Length of the most frequent word 2-gram written "a b" (the first seen on ties), and its count. */
  topGramLength: number;
  topGramCount: number;
  stopWords: number;
  language: string;
}

/** The reference: the counts by regular expressions, Unicode-aware. */
export function qualityFigures(text: string): QualityFigures {
  const words = text.toLowerCase().match(/[\p{L}\p{N}'’_-]+|[^\s\p{L}\p{N}]+/gu) ?? [];
  const wordish = words.filter((w) => /[\p{L}\p{N}]/u.test(w));
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const seen = new Set<string>();
  let dupLines = 0;
  for (const l of lines) {
    if (seen.has(l)) dupLines++;
    else seen.add(l);
  }
  const grams = new Map<string, number>();
  for (let i = 0; i + 1 < wordish.length; i++) {
    const g = `${wordish[i]} ${wordish[i + 1]}`;
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  let topGram = '';
  let topCount = 0;
  for (const [g, c] of grams) if (c > topCount) [topGram, topCount] = [g, c];
  return {
    tokens: words.length,
    words: wordish.length,
    wordChars: wordish.reduce((s, w) => s + w.length, 0),
    alphaTokens: words.filter((w) => /\p{L}/u.test(w)).length,
    symbols: (text.match(/#|…|\.\.\./g) ?? []).length,
    lines: lines.length,
    dupLines,
    topGramLength: topGram.length,
    topGramCount: topCount,
    stopWords: wordish.filter((w) => ENGLISH_STOP_WORDS.has(w)).length,
    language: detectLanguage(wordish),
  };
}

/**
 * In the style of Gopher's and FineWeb's filters, with limits loosened for curated records (a
 * Q&A pair is shorter than a web page): too few or too many words, odd mean word length, many
 * symbols, few alphabetic words, repeated lines or 2-grams, no stop words in a long English text.
 */
export function qualitySignals(text: string): QualitySignals {
  return qualityFromFigures(qualityFigures(text));
}

/** The ratios and the flags of a text's counts. */
export function qualityFromFigures(f: QualityFigures): QualitySignals {
  const n = f.words;
  const meanWordLength = n === 0 ? 0 : f.wordChars / n;
  const symbolRatio = n === 0 ? (f.symbols > 0 ? 1 : 0) : f.symbols / n;
  const alphaRatio = f.tokens === 0 ? 0 : f.alphaTokens / f.tokens;
  const dupLineRatio = f.lines === 0 ? 0 : f.dupLines / f.lines;
  const topNgramRatio = f.topGramCount < 2 || f.wordChars === 0 ? 0 : ((f.topGramLength - 1) * f.topGramCount) / f.wordChars;
  const { stopWords, language } = f;
  const flags: string[] = [];
  if (n < 3) flags.push('too-short');
  if (n > 100_000) flags.push('too-long');
  if (n >= 3 && (meanWordLength < 2 || meanWordLength > 12)) flags.push('word-length');
  if (symbolRatio > 0.1) flags.push('symbols');
  if (f.tokens >= 3 && alphaRatio < 0.6) flags.push('non-alphabetic');
  if (f.lines >= 3 && dupLineRatio > 0.3) flags.push('repeated-lines');
  if (n >= 20 && topNgramRatio > 0.2) flags.push('repeated-ngrams');
  if (n >= 50 && (language === 'en' || language === 'und') && stopWords < 2) flags.push('no-stop-words');
  return { words: n, meanWordLength, symbolRatio, alphaRatio, dupLineRatio, topNgramRatio, stopWords, language, flags };
}
