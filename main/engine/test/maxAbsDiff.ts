// Largest |a - b| over two lists of logit rows (a loop: spreading 50k-wide rows overflows the stack).
export function maxAbsDiff(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let m = 0;
  a.forEach((row, t) => {
    const other = b[t]!;
    for (let i = 0; i < row.length; i++) m = Math.max(m, Math.abs(row[i]! - other[i]!));
  });
  return m;
}
