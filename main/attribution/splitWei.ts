// Splitting an integer amount of wei by weights, exactly: the parts always sum to the amount.
// The rule is the largest remainder (Hamilton's method): each part gets the floor of its exact
// proportional amount, then the wei left over (fewer than the number of parts) go one each to the
// parts with the largest fractional remainders; ties go to the earlier key in byte order of the
// lowercased address, so the split is reproducible whatever order the weights came in.

/** Float shares become integer weights at this scale (shares are at best ~1e-15 apart anyway). */
const SHARE_SCALE = 1_000_000_000_000;

export function shareWeight(share: number): bigint {
  return BigInt(Math.round(share * SHARE_SCALE));
}

/** `total` split over `weights` (keyed by address) by the largest remainder; keys with weight 0
 * get 0. Throws when no weight is positive. */
export function splitWei(total: bigint, weights: ReadonlyMap<string, bigint>): Map<string, bigint> {
  if (total < 0n) throw new RangeError(`splitWei: negative total ${total}`);
  let sum = 0n;
  for (const [key, w] of weights) {
    if (w < 0n) throw new RangeError(`splitWei: negative weight for ${key}`);
    sum += w;
  }
  if (sum === 0n) throw new RangeError('splitWei: no positive weight to split by');
  const keys = [...weights.keys()].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  const parts = new Map<string, bigint>();
  const remainders: { key: string; rem: bigint }[] = [];
  let given = 0n;
  for (const key of keys) {
    const exact = total * weights.get(key)!;
    const part = exact / sum;
    parts.set(key, part);
    given += part;
    remainders.push({ key, rem: exact % sum });
  }
  // Stable sort: equal remainders keep the address order.
  remainders.sort((a, b) => (a.rem === b.rem ? 0 : a.rem > b.rem ? -1 : 1));
  let left = total - given;
  for (const { key } of remainders) {
    if (left === 0n) break;
    if (weights.get(key) === 0n) continue;
    parts.set(key, parts.get(key)! + 1n);
    left -= 1n;
  }
  return parts;
}
