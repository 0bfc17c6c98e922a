import { english } from 'viem/accounts';
import { loadNativeEngine, type NativeEngine } from '../engine/native';
import { ENGLISH_STOP_WORDS, STOP_WORD_LANGUAGES, stopWordTable } from './detectLanguage';
import { qualityFromFigures, type QualitySignals } from './qualitySignals';

/** What the engine decided for one text: its heuristics and which PII detectors may match. */
export interface NativeTextSignals {
  quality: QualitySignals;
  piiCandidates: number;
}

/** int32 per text in datanetTextSignals' answer (TextFigures in native/src/datanet_text.h). */
const FIELDS = 13;

let engine: { native: NativeEngine; tables: object } | null | undefined;

/** The engine and its copy of the word lists, once per thread; null when the addon lacks them. */
export function nativeText(): { native: NativeEngine; tables: object } | null {
  if (engine !== undefined) return engine;
  try {
    const native = loadNativeEngine();
    engine = typeof native.datanetTextSignals === 'function' ? { native, tables: native.datanetTextTables(stopWordTable(), [...ENGLISH_STOP_WORDS], [...english]) } : null;
  } catch {
    engine = null;
  }
  return engine;
}

/** Whether the engine has the text signals (STUDIO_DATANET_HASHES=reference turns it off, as for the hashes). */
export function nativeTextSignalsAvailable(): boolean {
  return process.env.STUDIO_DATANET_HASHES !== 'reference' && nativeText() !== null;
}

/**
 * The heuristics and PII candidates of a batch of texts in one native call; null for a text the
 * engine does not handle (any non-ASCII code unit), which the caller computes with the reference
 * (qualitySignals, detectPii with every detector). Equal to the reference wherever it answers
 * (main/datanets/test/nativeTextSignals.test.ts).
 */
export function nativeTextSignals(texts: readonly string[]): (NativeTextSignals | null)[] {
  const e = nativeText();
  if (!e) throw new Error('nativeTextSignals: the native engine is not built with datanetTextSignals (run npm run build:native)');
  const f = e.native.datanetTextSignals(texts as string[], e.tables);
  return texts.map((_, i) => textSignalsAt(f, i));
}

/** The i-th text's answer in the engine's figures (FIELDS int32 per text); null when not handled. */
export function textSignalsAt(f: Int32Array, i: number): NativeTextSignals | null {
  const o = i * FIELDS;
  if (f[o] === 0) return null;
  const lang = f[o + 11]!;
  return {
    quality: qualityFromFigures({
      tokens: f[o + 1]!,
      words: f[o + 2]!,
      wordChars: f[o + 3]!,
      alphaTokens: f[o + 4]!,
      symbols: f[o + 5]!,
      lines: f[o + 6]!,
      dupLines: f[o + 7]!,
      topGramLength: f[o + 8]!,
      topGramCount: f[o + 9]!,
      stopWords: f[o + 10]!,
      language: lang < 0 ? 'und' : STOP_WORD_LANGUAGES[lang]!,
    }),
    piiCandidates: f[o + 12]!,
  };
}
