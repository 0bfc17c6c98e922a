import { useState } from 'react';
import type { GovParams } from '../../../main/api/governanceSchemas';
import { Codicon } from '../components/Codicon';
import { reportError } from '../workbench/toastStore';
import { governanceStore } from './governanceStore';

/**
 * Devnet-only time control (Anvil's evm_mine and evm_increaseTime): the voting delay, the voting
 * period and the timelock delay pass on screen. Clearly marked, and never shown for another network.
 */
export function DevnetAdvance({ rules }: { rules: GovParams['rules'] | null }) {
  const [blocks, setBlocks] = useState('1');
  const [seconds, setSeconds] = useState('0');
  const [busy, setBusy] = useState(false);
  const valid = /^\d{1,5}$/.test(blocks.trim()) && /^\d{1,9}$/.test(seconds.trim());

  const advance = async (b: number, s: number) => {
    setBusy(true);
    try {
      await governanceStore.getState().advance(b, s);
    } catch (err) {
      reportError(err, 'Advancing the devnet');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="gov-advance" data-testid="devnet-advance" aria-label="Advance the devnet">
      <div className="gov-advance__title">
        <span className="tag tag--warn">
          <Codicon name="beaker" /> devnet only
        </span>
        Advance blocks and time
      </div>
      <div className="gov-inline">
        {rules ? (
          <>
            <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => void advance(rules.votingDelayBlocks + 1, 0)}>
              Open voting (+{rules.votingDelayBlocks + 1} blocks)
            </button>
            <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => void advance(rules.votingPeriodBlocks + 1, 0)}>
              Close voting (+{rules.votingPeriodBlocks + 1} blocks)
            </button>
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={busy}
              onClick={() => void advance(1, rules.timelockDelaySeconds + 1)}
            >
              Pass timelock (+{rules.timelockDelaySeconds + 1} s)
            </button>
          </>
        ) : null}
      </div>
      <form
        className="gov-inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && !busy) void advance(Number(blocks), Number(seconds));
        }}
      >
        <label className="gov-inline__label" htmlFor="advance-blocks">
          blocks
        </label>
        <input id="advance-blocks" className="input input--small mono" value={blocks} inputMode="numeric" onChange={(e) => setBlocks(e.target.value)} />
        <label className="gov-inline__label" htmlFor="advance-seconds">
          seconds
        </label>
        <input id="advance-seconds" className="input input--small mono" value={seconds} inputMode="numeric" onChange={(e) => setSeconds(e.target.value)} />
        <button type="submit" className="button button--small" disabled={!valid || busy}>
          <Codicon name={busy ? 'loading' : 'debug-step-over'} spin={busy} />
          Advance
        </button>
      </form>
    </div>
  );
}
