import { INPUT_LIMITS, readJsonFile } from '../../files/readInputFile';
import { DEVNET_NETWORK, type Network, type NetworkCheck } from '../../api/networkSchemas';
import { checkRpc, RPC_CHECK_TIMEOUT_MS } from '../../chain/networks/checkRpc';
import { chainNotRunning } from '../../chain/chainErrors';
import { listNetworks } from '../../chain/networks/networksRepository';
import { ErrorCode, StudioError } from '../../api/apiError';
import { maskRpcUrl } from '../../api/redactSecrets';
import { shownNetwork } from '../../core/networkHandlers';
import { callCore } from '../callCore';
import { readChainTarget } from '../chainTarget';
import { UsageError, type Command, type CommandContext } from '../command';
import { formatTable } from '../formatTable';
import { withCore } from '../withCore';
import { withReadonlyWorkspace } from '../withReadonlyWorkspace';

/** The devnet and the stored networks, read without the workspace lock (beside a running serve). */
function readNetworks(ctx: CommandContext): Network[] {
  const t = readChainTarget(ctx);
  const devnet: Network = {
    name: DEVNET_NETWORK,
    builtIn: true,
    rpcUrl: t.devnet?.rpcUrl ?? null,
    chainId: t.settings.chainId,
    currencySymbol: t.settings.currencySymbol,
    contracts: t.contracts,
    createdAt: null,
  };
  const stored = withReadonlyWorkspace(ctx, (db) => {
    try {
      return listNetworks(db);
    } catch {
      // A workspace not yet migrated to the networks table has none.
      return [];
    }
  });
  return [devnet, ...stored].map(shownNetwork);
}

function wholeNumber(flag: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new UsageError(`--${flag} must be a whole number, got ${String(v)}`);
  return Number(v);
}

export const networkList: Command = {
  path: ['network', 'list'],
  usage: 'studio network list [--workspace NAME] [--json]',
  summary: 'List networks: the built-in local devnet and the remote RPCs added to this workspace',
  run: async (ctx) => readNetworks(ctx),
  human: (list: Network[]) =>
    formatTable(
      ['NAME', 'CHAIN', 'CURRENCY', 'CONTRACTS', 'RPC'],
      list.map((n) => [n.name + (n.builtIn ? ' (built in)' : ''), n.chainId, n.currencySymbol, Object.keys(n.contracts).length, n.rpcUrl ?? '(not running)']),
    ),
};

export const networkAdd: Command = {
  path: ['network', 'add'],
  usage: 'studio network add NAME --rpc URL --chain-id N [--currency SYMBOL] [--contracts FILE.json] [--workspace NAME] [--json]',
  summary: 'Add a remote EVM or OP Stack network (FILE.json: {"ContractName": "0x..."} where the protocol is deployed)',
  options: { rpc: { type: 'string' }, 'chain-id': { type: 'string' }, currency: { type: 'string' }, contracts: { type: 'string' } },
  async run(ctx) {
    const [name] = ctx.positionals;
    if (!name) throw new UsageError('network add needs a NAME, e.g. `studio network add openledger --rpc https://rpc.example --chain-id 1612`');
    const rpcUrl = ctx.values.rpc;
    if (typeof rpcUrl !== 'string') throw new UsageError('network add needs --rpc URL');
    const chainId = wholeNumber('chain-id', ctx.values['chain-id']);
    if (chainId === undefined) throw new UsageError('network add needs --chain-id N');
    let contracts: Record<string, string> | undefined;
    if (typeof ctx.values.contracts === 'string') {
      try {
        contracts = readJsonFile(ctx.values.contracts, INPUT_LIMITS.smallJson) as Record<string, string>;
      } catch (err) {
        // Names the file and what is wrong with it, never its bytes.
        throw new UsageError(`--contracts: ${(err as Error).message}`);
      }
    }
    return withCore(ctx, (core) =>
      callCore(core, 'networks.add', {
        name,
        rpcUrl,
        chainId,
        ...(typeof ctx.values.currency === 'string' ? { currencySymbol: ctx.values.currency } : {}),
        ...(contracts ? { contracts } : {}),
      }),
    );
  },
  human: (n: Network) => `Added network ${n.name} (chain ${n.chainId}, ${n.currencySymbol}) at ${n.rpcUrl}. Check it with \`studio network check ${n.name}\`.`,
};

export const networkRemove: Command = {
  path: ['network', 'remove'],
  usage: 'studio network remove NAME [--workspace NAME] [--json]',
  summary: 'Remove a remote network (the built-in devnet stays)',
  async run(ctx) {
    const [name] = ctx.positionals;
    if (!name) throw new UsageError('network remove needs a NAME');
    return withCore(ctx, (core) => callCore(core, 'networks.remove', { name }));
  },
  human: (n: Network) => `Removed network ${n.name}.`,
};

export const networkCheck: Command = {
  path: ['network', 'check'],
  usage: 'studio network check NAME [--timeout MS] [--workspace NAME] [--json]',
  summary: 'Ask the network its chain id (it must match) and latest block, within a timeout',
  options: { timeout: { type: 'string' } },
  async run(ctx): Promise<NetworkCheck> {
    const [name] = ctx.positionals;
    if (!name) throw new UsageError('network check needs a NAME (see `studio network list`)');
    const timeoutMs = wholeNumber('timeout', ctx.values.timeout) ?? RPC_CHECK_TIMEOUT_MS;
    const all = readNetworks(ctx);
    const n = all.find((x) => x.name === name);
    if (!n) throw new StudioError(ErrorCode.NotFound, `No network named "${name}". Known: ${all.map((x) => x.name).join(', ')}.`);
    if (n.rpcUrl === null) throw chainNotRunning();
    // Lock-free (works beside a running serve), so it leaves publications to the app's check.
    return { name: n.name, rpcUrl: maskRpcUrl(n.rpcUrl), chainId: n.chainId, ...(await checkRpc(n.rpcUrl, n.chainId, timeoutMs)), publicationsUpdated: null };
  },
  human: (c: NetworkCheck) => `${c.name}: chain ${c.reportedChainId} at ${c.rpcUrl}, block ${c.block} (${c.latencyMs} ms)`,
};
