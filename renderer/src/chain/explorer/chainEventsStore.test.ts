import { describe, expect, it } from 'vitest';
import type { DecodedLog } from '../../../../main/api/chainSchemas';
import { mergeEvents, placePastEvents } from './chainEventsStore';

const log = (blockNumber: number, logIndex: number, tx = `0x${blockNumber}`): DecodedLog => ({
  blockNumber,
  transactionHash: tx,
  logIndex,
  address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  contractName: 'WrappedOpen',
  eventName: 'Deposited',
  args: {},
});

describe('mergeEvents', () => {
  it('keeps events newest first, once each', () => {
    const merged = mergeEvents([log(1, 0), log(2, 0)], [log(2, 1), log(2, 0), log(3, 0)]);
    expect(merged.map((e) => `${e.blockNumber}.${e.logIndex}`)).toEqual(['3.0', '2.1', '2.0', '1.0']);
  });
  it('keeps at most max', () => {
    expect(mergeEvents([], [log(1, 0), log(2, 0), log(3, 0)], 2).map((e) => e.blockNumber)).toEqual([3, 2]);
  });
});

describe('placePastEvents', () => {
  it('shows past events when live, and holds the ones not on screen while paused', () => {
    expect(placePastEvents({ events: [log(1, 0)], held: [], paused: false, stale: false }, [log(1, 0), log(2, 0)]).events.map((e) => e.blockNumber)).toEqual([2, 1]);
    const paused = placePastEvents({ events: [log(1, 0)], held: [log(3, 0)], paused: true, stale: false }, [log(1, 0), log(2, 0)]);
    expect(paused.events.map((e) => e.blockNumber)).toEqual([1]);
    expect(paused.held.map((e) => e.blockNumber)).toEqual([3, 2]);
    // After the chain changed under a paused feed, everything read back waits for the resume.
    const stale = placePastEvents({ events: [log(1, 0)], held: [], paused: true, stale: true }, [log(1, 0), log(2, 0)]);
    expect(stale.events.map((e) => e.blockNumber)).toEqual([1]);
    expect(stale.held.map((e) => e.blockNumber)).toEqual([2, 1]);
  });
});
