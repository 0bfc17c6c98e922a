import type { SnapshotInfo } from '../../api/chainSchemas';

/** Anvil's snapshot ids count up from 0x0 and are never reused; undefined for anything else. */
function idNumber(id: string): bigint | undefined {
  try {
    return /^(0x[0-9a-fA-F]+|\d+)$/.test(id) ? BigInt(id) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The snapshots left after evm_revert to `id` (lists newest first): Anvil drops the one reverted
 * to and every later one, including later ones this list never held (taken by `studio devnet
 * snapshot`), so ids are compared as numbers; an id that is not a number falls back to list order.
 */
export function snapshotsAfterRevert(held: readonly SnapshotInfo[], id: string): SnapshotInfo[] {
  const target = idNumber(id);
  if (target === undefined) {
    const index = held.findIndex((s) => s.id === id);
    return index < 0 ? [...held] : held.slice(index + 1);
  }
  return held.filter((s) => {
    const n = idNumber(s.id);
    return n !== undefined && n < target;
  });
}
