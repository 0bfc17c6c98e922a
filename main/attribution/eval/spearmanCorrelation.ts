// Spearman's rank correlation: Pearson's correlation of the average ranks, so ties are handled
// (the 1 - 6 sum d^2 / (n (n^2 - 1)) shortcut is exact only without ties). The linear datamodeling
// score is this between predicted and measured losses over the retrained subsets.
import { averageRanks } from './rocAuc';

export function spearmanCorrelation(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new Error(`spearmanCorrelation: ${x.length} values against ${y.length}`);
  if (x.length < 2) throw new Error('spearmanCorrelation needs at least two pairs');
  return pearson(averageRanks(x), averageRanks(y));
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  // A constant side has no ranking to agree with: say so rather than divide by zero.
  if (saa === 0 || sbb === 0) return Number.NaN;
  return sab / Math.sqrt(saa * sbb);
}
