// Area under the ROC curve for "is this record corrupted?" from a score where higher means
// more suspicious: the probability that a random corrupted record scores above a random clean
// one, ties counting one half (the Mann-Whitney U statistic divided by n_pos * n_neg). Computed
// by ranking once (average ranks for ties), O(n log n).

export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  if (scores.length !== positive.length) throw new Error(`rocAuc: ${scores.length} scores but ${positive.length} labels`);
  const nPos = positive.filter(Boolean).length;
  const nNeg = positive.length - nPos;
  if (nPos === 0 || nNeg === 0) throw new Error('rocAuc needs at least one corrupted and one clean record');
  if (scores.some((s) => !Number.isFinite(s))) throw new Error('rocAuc: every score must be finite');
  const ranks = averageRanks(scores);
  let rankSumPos = 0;
  positive.forEach((p, i) => {
    if (p) rankSumPos += ranks[i]!;
  });
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** 1-based ranks in ascending order of value; tied values share the mean of their ranks. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const mean = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = mean;
    i = j + 1;
  }
  return ranks;
}

/**
 * Detection rate when a curator inspects the top `fraction` of records by score: the share of
 * all corrupted records found among the ceil(fraction * n) most suspicious ones.
 */
export function detectionRateAt(scores: readonly number[], positive: readonly boolean[], fraction: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`fraction must be in (0, 1], not ${fraction}`);
  const nPos = positive.filter(Boolean).length;
  if (nPos === 0) throw new Error('detectionRateAt needs at least one corrupted record');
  const k = Math.ceil(fraction * scores.length);
  const top = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k);
  return top.filter(([, i]) => positive[i]).length / nPos;
}
