import type { DecodedLog, WriteResult } from '../../api/chainSchemas';
import { parseOpen } from '../../chain/writes/convertArgs';
import { sendAsDevAccount } from '../../chain/writes/sendAsDevAccount';
import { UsageError, type Command } from '../command';
import { formatTable } from '../formatTable';
import { assertChainId, requireExplorer } from '../chainTarget';
import { sendWithKey, type KeySendOutput } from '../sendWithKey';
import { withCore } from '../withCore';

export const chainDeploy: Command = {
  path: ['chain', 'deploy'],
  usage: 'studio chain deploy [--workspace NAME] [--json]',
  summary: 'Deploy the protocol again on the running devnet and record the new addresses',
  async run(ctx) {
    return withCore(ctx, async (core) => {
      await core.chain.start({ detached: true, adoptOnly: true });
      const s = await core.chain.redeploy();
      return { chainId: s.chainId, block: s.block, contracts: s.contracts, deployment: s.deployment };
    });
  },
  human: (r: { contracts: Record<string, string> }) => Object.entries(r.contracts).map(([n, a]) => `${n.padEnd(18)} ${a}`).join('\n'),
};

function nonNegativeInt(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number >= 0, got ${String(v)}`);
  return n;
}

export const chainCall: Command = {
  path: ['chain', 'call'],
  usage: 'studio chain call CONTRACT FUNCTION [ARGS...] [--workspace NAME] [--json]',
  summary: 'Read a protocol contract (view function); arrays and tuples as JSON',
  async run(ctx) {
    const [contract, functionName, ...args] = ctx.positionals;
    if (!contract || !functionName) throw new UsageError('chain call needs CONTRACT and FUNCTION, e.g. `studio chain call ProtocolParams attributionThresholdBps`');
    const { explorer } = requireExplorer(ctx);
    await assertChainId(explorer);
    return { result: await explorer.read(contract, functionName, args) };
  },
  human: (r: { result: unknown }) => (typeof r.result === 'string' ? r.result : JSON.stringify(r.result, null, 2)),
};

export const chainSend: Command = {
  path: ['chain', 'send'],
  usage:
    'studio chain send CONTRACT FUNCTION [ARGS...] [--value AMOUNT] [--from N | --network NAME --key ID [--abi NAME] [--passphrase-file FILE] [--yes]] [--workspace NAME] [--json]',
  summary: 'Send a protocol transaction from dev account N (devnet only), or with a stored key after showing the call and fee',
  options: {
    value: { type: 'string' },
    from: { type: 'string' },
    network: { type: 'string' },
    key: { type: 'string' },
    abi: { type: 'string' },
    'passphrase-file': { type: 'string' },
    yes: { type: 'boolean', default: false },
  },
  async run(ctx) {
    const [contract, functionName, ...args] = ctx.positionals;
    if (!contract || !functionName) throw new UsageError('chain send needs CONTRACT and FUNCTION, e.g. `studio chain send DatanetRegistry createDatanet ipfs://x 0 --from 1`');
    if (ctx.values.network !== undefined || ctx.values.key !== undefined) {
      if (ctx.values.from !== undefined) throw new UsageError('--from picks a dev account; with --network/--key the key signs. Give one or the other.');
      return sendWithKey(ctx, contract, functionName, args);
    }
    const from = nonNegativeInt('from', ctx.values.from) ?? 0;
    if (from > 9) throw new UsageError(`--from must be a dev account index 0..9, got ${from}`);
    const { explorer, settings } = requireExplorer(ctx);
    const out = await sendAsDevAccount(explorer, {
      contract,
      functionName,
      args,
      from,
      devnetChainId: settings.chainId,
      ...(ctx.values.value !== undefined ? { value: parseOpen('--value', String(ctx.values.value)) } : {}),
    });
    const result: WriteResult = {
      hash: out.hash,
      status: out.receipt.status,
      blockNumber: Number(out.receipt.blockNumber),
      gasUsed: Number(out.receipt.gasUsed),
      result: out.result,
      events: out.events,
    };
    return result;
  },
  human: (r: WriteResult | KeySendOutput) => {
    if ('prepared' in r) {
      if (!r.sent) return 'Not sent.';
      const s = r.sent;
      return [
        `${s.status} on ${s.network} in block ${s.blockNumber}: ${s.hash} (gas ${s.gasUsed}, fee ${s.fee} wei)`,
        `returned ${JSON.stringify(s.result)}`,
        ...s.events.map(formatEvent),
        ...(s.publication ? [`recorded publication ${s.publication.id} (${s.publication.status})`] : []),
      ].join('\n');
    }
    return [`${r.status} in block ${r.blockNumber}: ${r.hash} (gas ${r.gasUsed})`, `returned ${JSON.stringify(r.result)}`, ...r.events.map(formatEvent)].join('\n');
  },
};

function formatEvent(l: DecodedLog): string {
  return `  ${l.contractName ?? l.address}.${l.eventName ?? '(unknown event)'} ${JSON.stringify(l.args)}`;
}

export const chainLogs: Command = {
  path: ['chain', 'logs'],
  usage: 'studio chain logs [--from-block N] [--contract NAME] [--workspace NAME] [--json]',
  summary: 'Print decoded protocol events (oldest first)',
  options: { 'from-block': { type: 'string' }, contract: { type: 'string' } },
  async run(ctx) {
    const { explorer } = requireExplorer(ctx);
    await assertChainId(explorer);
    const fromBlock = nonNegativeInt('from-block', ctx.values['from-block']);
    return explorer.logs({
      ...(fromBlock !== undefined ? { fromBlock } : {}),
      ...(ctx.values.contract !== undefined ? { contract: String(ctx.values.contract) } : {}),
    });
  },
  human: (logs: DecodedLog[]) =>
    logs.length === 0
      ? 'No protocol events.'
      : formatTable(
          ['BLOCK', 'CONTRACT', 'EVENT', 'ARGS'],
          logs.map((l) => [l.blockNumber, l.contractName ?? l.address, l.eventName ?? '?', JSON.stringify(l.args)]),
        ),
};
