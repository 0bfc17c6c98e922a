/**
 * A small language identifier by stop words: each language's most frequent function words; the
 * language with the most hits wins when it has at least 2 and a third of all hits. 'und' (ISO
 * 639 "undetermined") otherwise: short texts, code, tables, other languages.
 */
const STOP_WORDS: Record<string, readonly string[]> = {
  en: ['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with', 'is', 'it', 'for', 'not', 'on', 'as', 'you', 'this', 'was', 'are', 'by', 'from', 'they', 'we', 'his', 'her', 'at', 'or', 'which', 'were', 'has', 'been'],
  de: ['der', 'die', 'und', 'das', 'ist', 'nicht', 'mit', 'sich', 'des', 'ein', 'eine', 'auf', 'dem', 'den', 'zu', 'von', 'für', 'auch', 'wird', 'sind'],
  fr: ['le', 'la', 'les', 'et', 'des', 'est', 'un', 'une', 'du', 'dans', 'que', 'qui', 'pour', 'pas', 'sur', 'au', 'avec', 'ce', 'il', 'sont'],
  es: ['el', 'la', 'los', 'las', 'y', 'que', 'del', 'en', 'un', 'una', 'por', 'con', 'para', 'es', 'se', 'no', 'su', 'al', 'lo', 'como'],
  it: ['il', 'di', 'che', 'e', 'la', 'per', 'un', 'una', 'sono', 'non', 'del', 'della', 'con', 'si', 'gli', 'le', 'da', 'nel', 'al', 'anche'],
  nl: ['de', 'het', 'een', 'en', 'van', 'ik', 'te', 'dat', 'die', 'niet', 'zijn', 'op', 'voor', 'met', 'als', 'maar', 'ook', 'wat', 'er', 'aan'],
  pt: ['o', 'os', 'as', 'de', 'que', 'e', 'do', 'da', 'em', 'um', 'uma', 'para', 'com', 'não', 'por', 'mais', 'dos', 'das', 'se', 'ao'],
};
const LOOKUP = new Map<string, string[]>();
for (const [lang, words] of Object.entries(STOP_WORDS)) for (const w of words) LOOKUP.set(w, [...(LOOKUP.get(w) ?? []), lang]);

export const ENGLISH_STOP_WORDS = new Set(STOP_WORDS['en']);

/** The languages detectLanguage can name, in the order their votes are counted. */
export const STOP_WORD_LANGUAGES: readonly string[] = Object.keys(STOP_WORDS);

/** Each stop word with the languages (indices in STOP_WORD_LANGUAGES) it votes for: the engine's copy. */
export function stopWordTable(): [string, number[]][] {
  return [...LOOKUP].map(([w, langs]) => [w, langs.map((l) => STOP_WORD_LANGUAGES.indexOf(l))]);
}

/** Language of lower-cased words, by stop-word votes. */
export function detectLanguage(words: readonly string[]): string {
  const votes = new Map<string, number>();
  let total = 0;
  for (const w of words) {
    const langs = LOOKUP.get(w);
    if (!langs) continue;
    total++;
    for (const l of langs) votes.set(l, (votes.get(l) ?? 0) + 1);
  }
  let best = 'und';
  let bestVotes = 0;
  for (const [l, v] of votes) if (v > bestVotes) [best, bestVotes] = [l, v];
  return bestVotes >= 2 && bestVotes * 3 >= total ? best : 'und';
}
