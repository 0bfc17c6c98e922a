// The evidences attributeResponse combines. Exact spans come from the span index
// (findSpans.ts); gradient influence from main/attribution/gradientEvidence.ts when the adapter
// has a gradient store.

/** Gradient influence of training records on each response token (main/attribution/gradientEvidence.ts computes it). */
export interface GradientEvidence {
  method: 'datainf' | 'tracin';
  /** One entry per response token, in order: the records with the highest influence, score >= 0, each token's scores normalised so its top record scores 1. */
  perToken: Array<Array<{ record: string; score: number }>>;
  ms: number;
}
