// The inference ledger on a real workspace (SQLite file): exact wei splits, the fee setting,
// refusals that store nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { StudioCore } from '../../core/studioCore';
import { epochFees, recordInference } from '../inferenceLedger';
import { splitWei } from '../splitWei';

const A = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const B = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const C = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const datanet = { name: 'notes', version: 1, root: `0x${'ab'.repeat(32)}` };

let core: StudioCore | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

describe('splitWei', () => {
  it('gives the leftover wei to the largest remainders, summing exactly', () => {
    const parts = splitWei(10n, new Map([[A, 1n], [B, 1n], [C, 1n]]));
    // 10 / 3 = 3 each and one wei over; the remainders tie, so it goes to the lowest address (B, 0x3c44…).
    expect([...parts.values()].reduce((s, v) => s + v, 0n)).toBe(10n);
    expect(parts.get(B)).toBe(4n);
    expect(parts.get(A)).toBe(3n);
    const odd = splitWei(10n ** 16n + 7n, new Map([[A, 333n], [B, 333n], [C, 334n]]));
    expect([...odd.values()].reduce((s, v) => s + v, 0n)).toBe(10n ** 16n + 7n);
    expect(() => splitWei(5n, new Map([[A, 0n]]))).toThrow(/no positive weight/);
  });
});

describe('recordInference', () => {
  it('records in the open epoch with the workspace fee, split to the wei', () => {
    core = StudioCore.open({ home: tempDir(), mode: 'embedded' });
    const db = core.workspace.db;
    const first = recordInference(db, { model: 'base', adapter: 'recipes', datanet, contributors: [{ address: A, share: 0.5 }, { address: B, share: 0.3 }, { address: C, share: 0.2 }] });
    expect(first).toEqual({ id: 1, epoch: 1, feeWei: '10000000000000000' });
    // Thirds of 7 wei cannot be exact: the leftovers go by the largest remainder.
    recordInference(db, { model: 'base', adapter: 'recipes', datanet, feeWei: '7', contributors: [{ address: A, share: 1 / 3 }, { address: B, share: 1 / 3 }, { address: C, share: 1 / 3 }] });
    const [fees] = epochFees(db, 1);
    expect(fees!.inferenceCount).toBe(2);
    expect(fees!.feesWei).toBe(10n ** 16n + 7n);
    expect([...fees!.byContributor.values()].reduce((s, v) => s + v, 0n)).toBe(fees!.feesWei);
    expect(fees!.byContributor.get(A)).toBe(5n * 10n ** 15n + 2n);
  });

  it('records shares rounded to millionths, as the attribution gives them, whose sum misses 1 by the rounding', () => {
    core = StudioCore.open({ home: tempDir(), mode: 'embedded' });
    const db = core.workspace.db;
    // Fifteen contributors (the demo datanet's presidents): 14 × 0.066667 + 0.066659 = 0.999997 (each rounding may miss by half a millionth).
    const addresses = Array.from({ length: 15 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}`);
    const contributors = addresses.map((address, i) => ({ address, share: i < 14 ? 0.066667 : 0.066659 }));
    expect(Math.abs(contributors.reduce((s, c) => s + c.share, 0) - 1)).toBeGreaterThan(1e-6);
    const recorded = recordInference(db, { model: 'demo-adapter', adapter: 'demo-adapter', datanet, contributors });
    expect(recorded).toEqual({ id: 1, epoch: 1, feeWei: '10000000000000000' });
    const [fees] = epochFees(db, 1);
    expect([...fees!.byContributor.values()].reduce((s, v) => s + v, 0n)).toBe(10n ** 16n);
  });

  it('refuses bad input naming the field and stores nothing; no contributors records nothing', () => {
    core = StudioCore.open({ home: tempDir(), mode: 'embedded' });
    const db = core.workspace.db;
    expect(() => recordInference(db, { model: 'm', adapter: null, datanet, contributors: [{ address: A, share: 0.5 }, { address: B, share: 0.4 }] })).toThrow(/contributors: the shares sum to 0.9/);
    expect(() => recordInference(db, { model: 'm', adapter: null, datanet, contributors: [{ address: '0x12', share: 1 }] })).toThrow(/contributors\[0\]\.address/);
    expect(() => recordInference(db, { model: 'm', adapter: null, datanet, feeWei: '0', contributors: [{ address: A, share: 1 }] })).toThrow(/feeWei/);
    expect(() => recordInference(db, { model: 'm', adapter: null, datanet, contributors: [{ address: A, share: 0.5 }, { address: A.toLowerCase(), share: 0.5 }] })).toThrow(/listed twice/);
    expect(recordInference(db, { model: 'm', adapter: null, datanet, contributors: [] })).toBeNull();
    expect(db.prepare('SELECT COUNT(*) FROM attribution_inferences').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM attribution_inference_shares').pluck().get()).toBe(0);
  });
});
