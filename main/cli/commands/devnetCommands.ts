import type { ChainStatus } from '../../api/chainSchemas';
import { rpcCall } from '../../chain/devnet/anvilProcess';
import { snapshot } from '../../chain/devnet/devnetControl';
import { chainNotRunning } from '../../chain/chainErrors';
import { UsageError, type Command } from '../command';
import { readChainTarget } from '../chainTarget';
import { withCore } from '../withCore';

/** What `devnet status` reports; the start/stop/reset commands print the same shape. */
export interface DevnetStatusOutput {
  running: boolean;
  state: ChainStatus['state'];
  rpcUrl: string | null;
  chainId: number;
  block: number | null;
  contracts: Record<string, string>;
  currencySymbol: string;
  pid: number | null;
  managedBy: ChainStatus['managedBy'];
}

function fromStatus(s: ChainStatus): DevnetStatusOutput {
  return {
    running: s.running,
    state: s.state,
    rpcUrl: s.rpcUrl,
    chainId: s.chainId,
    block: s.block,
    contracts: s.contracts,
    currencySymbol: s.currencySymbol,
    pid: s.pid,
    managedBy: s.managedBy,
  };
}

const human = (s: DevnetStatusOutput) =>
  s.running
    ? [
        `Devnet running at ${s.rpcUrl} (chain ${s.chainId}, block ${s.block}, pid ${s.pid}, ${s.managedBy})`,
        ...Object.entries(s.contracts).map(([n, a]) => `  ${n.padEnd(18)} ${a}`),
      ].join('\n')
    : `Devnet ${s.state} (chain ${s.chainId}).`;

export const devnetStart: Command = {
  path: ['devnet', 'start'],
  usage: 'studio devnet start [--workspace NAME] [--json]',
  summary: 'Start the workspace devnet in the background (deploys the protocol on first start); returns once it answers',
  async run(ctx) {
    return withCore(ctx, async (core) => fromStatus(await core.chain.start({ detached: true })));
  },
  human,
};

export const devnetStop: Command = {
  path: ['devnet', 'stop'],
  usage: 'studio devnet stop [--workspace NAME] [--json]',
  summary: 'Stop the workspace devnet (its state stays saved in the workspace)',
  async run(ctx) {
    return withCore(ctx, async (core) => fromStatus(await core.chain.stop()));
  },
  human,
};

export const devnetStatus: Command = {
  path: ['devnet', 'status'],
  usage: 'studio devnet status [--workspace NAME] [--json]',
  summary: 'Is the devnet running: RPC URL, chain id, block, protocol contract addresses',
  async run(ctx) {
    const t = readChainTarget(ctx);
    const out: DevnetStatusOutput = {
      running: false,
      state: 'stopped',
      rpcUrl: null,
      chainId: t.settings.chainId,
      block: null,
      contracts: t.contracts,
      currencySymbol: t.settings.currencySymbol,
      pid: null,
      managedBy: null,
    };
    if (!t.devnet) return out;
    try {
      const chainId = Number(BigInt(await rpcCall<string>(t.devnet.rpcUrl, 'eth_chainId')));
      if (chainId !== t.settings.chainId) return { ...out, state: 'error' as const };
      const block = Number(BigInt(await rpcCall<string>(t.devnet.rpcUrl, 'eth_blockNumber')));
      return {
        ...out,
        running: true,
        state: 'running' as const,
        rpcUrl: t.devnet.rpcUrl,
        block,
        pid: t.devnet.pid,
        managedBy: t.devnet.mode === 'detached' ? ('detached' as const) : ('child' as const),
      };
    } catch {
      return { ...out, state: 'error' as const };
    }
  },
  human,
};

export const devnetReset: Command = {
  path: ['devnet', 'reset'],
  usage: 'studio devnet reset [--workspace NAME] [--json]',
  summary: 'Empty the running devnet and redeploy the protocol; confirmed publications become lost',
  async run(ctx) {
    return withCore(ctx, async (core) => {
      await core.chain.start({ detached: true, adoptOnly: true });
      return fromStatus(await core.chain.reset());
    });
  },
  human,
};

export const devnetSnapshot: Command = {
  path: ['devnet', 'snapshot'],
  usage: 'studio devnet snapshot [--workspace NAME] [--json]',
  summary: 'Take an in-memory snapshot of the running devnet; prints its id for `devnet revert`',
  async run(ctx) {
    const t = readChainTarget(ctx);
    if (!t.devnet) throw chainNotRunning();
    return { id: await snapshot(t.devnet.rpcUrl) };
  },
  human: (r: { id: string }) => `Snapshot ${r.id} (lives until the devnet stops or is reverted past it)`,
};

export const devnetRevert: Command = {
  path: ['devnet', 'revert'],
  usage: 'studio devnet revert ID [--workspace NAME] [--json]',
  summary: 'Return the running devnet to a snapshot; publications after it become lost',
  async run(ctx) {
    const [id] = ctx.positionals;
    if (!id) throw new UsageError('devnet revert needs a snapshot ID (from `studio devnet snapshot`)');
    return withCore(ctx, async (core) => {
      await core.chain.start({ detached: true, adoptOnly: true });
      return fromStatus(await core.chain.revert(id));
    });
  },
  human,
};
