import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PreparedWrite } from '../../../../main/api/networkSchemas';

const call = vi.fn((_method: string, _params: unknown) => Promise.resolve({ discarded: true }));
vi.mock('../../api/client', () => ({ api: () => ({ call }) }));

const { preparedWriteStore } = await import('./preparedWriteStore');

const prepared = (preparedId: string) => ({ preparedId }) as unknown as PreparedWrite;

describe('preparedWriteStore', () => {
  beforeEach(() => call.mockClear());

  it('discards the prepared write in the core when the dialog is cancelled', async () => {
    const outcome = preparedWriteStore.getState().review(prepared('a'));
    preparedWriteStore.getState().cancel();
    expect(await outcome).toEqual({ kind: 'cancelled' });
    expect(call).toHaveBeenCalledWith('chain.discardWrite', { preparedId: 'a' });
    expect(preparedWriteStore.getState().prepared).toBeNull();
  });

  it('discards the one on screen when a second review replaces it', async () => {
    const first = preparedWriteStore.getState().review(prepared('b'));
    void preparedWriteStore.getState().review(prepared('c'));
    expect(await first).toEqual({ kind: 'cancelled' });
    expect(call.mock.calls).toEqual([['chain.discardWrite', { preparedId: 'b' }]]);
    preparedWriteStore.getState().cancel();
  });
});
