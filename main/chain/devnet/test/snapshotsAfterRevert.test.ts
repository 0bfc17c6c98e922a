import { describe, expect, it } from 'vitest';
import type { SnapshotInfo } from '../../../api/chainSchemas';
import { snapshotsAfterRevert } from '../snapshotsAfterRevert';

const snap = (id: string): SnapshotInfo => ({ id, block: 1, takenAt: '2026-01-01T00:00:00.000Z' });
const ids = (list: SnapshotInfo[]) => list.map((s) => s.id);

describe('snapshotsAfterRevert (Anvil: the snapshot reverted to and every later one go)', () => {
  it('drops the one reverted to and later ones (newest first)', () => {
    expect(ids(snapshotsAfterRevert([snap('0xa'), snap('0x3'), snap('0x2'), snap('0x1')], '0x3'))).toEqual(['0x2', '0x1']);
    expect(ids(snapshotsAfterRevert([snap('0x1'), snap('0x0')], '0x0'))).toEqual([]);
  });

  it('compares ids as numbers, so a snapshot it never held still drops later ones', () => {
    // 0x5 was taken by `studio devnet snapshot`, not through the API.
    expect(ids(snapshotsAfterRevert([snap('0x7'), snap('0x6'), snap('0x4')], '0x5'))).toEqual(['0x4']);
    expect(ids(snapshotsAfterRevert([snap('0x1')], '0x9'))).toEqual(['0x1']);
  });

  it('falls back to list order for an id that is not a number', () => {
    expect(ids(snapshotsAfterRevert([snap('b'), snap('a')], 'b'))).toEqual(['a']);
    expect(ids(snapshotsAfterRevert([snap('b'), snap('a')], 'zz'))).toEqual(['b', 'a']);
  });
});
