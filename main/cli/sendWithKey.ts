// `studio chain send ... --network NAME --key ID`: prepare, show the decoded call and the fee,
// ask (on a terminal) or require --yes, then confirm with the key's passphrase.
import readline from 'node:readline/promises';
import type { ConfirmWriteResult, PreparedWrite } from '../api/networkSchemas';
import { DEVNET_NETWORK } from '../api/networkSchemas';
import { callCore } from './callCore';
import { UsageError, type CommandContext } from './command';
import { readPassphrase } from './readSecret';
import { withCore } from './withCore';

export interface KeySendOutput {
  prepared: PreparedWrite;
  /** Null when the user declined. */
  sent: ConfirmWriteResult | null;
}

/** What a person reads before saying yes: every argument, the destination and the most it costs. */
export function describePrepared(p: PreparedWrite): string {
  const args = Object.entries(p.call.args).map(([k, v]) => `            ${k} = ${JSON.stringify(v)}`);
  const fee = p.fee;
  const feeParts = [`execution at most ${fee.maxExecutionFee} wei`, fee.l1DataFee !== null ? `L1 data ${fee.l1DataFee} wei` : null].filter(Boolean).join(', ');
  return [
    `Network     ${p.network} (chain ${p.chainId}) ${p.rpcUrl}`,
    `From        ${p.from} (${p.fromLabel})`,
    `Call        ${p.contractName}.${p.call.signature}`,
    ...args,
    `To          ${p.to}`,
    `Value       ${p.valueFormatted}`,
    `Gas limit   ${p.gasLimit}`,
    `Max fee     ${fee.totalFormatted} (${feeParts})`,
    ...(p.publicationKind ? [`Records     a ${p.publicationKind} publication`] : []),
  ].join('\n');
}

async function askOnTty(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export async function sendWithKey(ctx: CommandContext, contract: string, functionName: string, args: string[]): Promise<KeySendOutput> {
  const keyId = ctx.values.key;
  if (typeof keyId !== 'string') throw new UsageError('--network needs --key ID (see `studio key list`)');
  const network = typeof ctx.values.network === 'string' ? ctx.values.network : DEVNET_NETWORK;
  const yes = ctx.values.yes === true;
  // Refuse before doing any work: a pipe cannot answer the question.
  if (!yes && !process.stdin.isTTY) throw new UsageError('stdin is not a terminal, so nobody can confirm: pass --yes to send without asking.');
  const passphrase = readPassphrase(ctx);
  const target = /^0x[0-9a-fA-F]{40}$/.test(contract)
    ? { address: contract, abi: typeof ctx.values.abi === 'string' ? ctx.values.abi : '' }
    : { contract };
  if ('abi' in target && !target.abi) throw new UsageError('An address as CONTRACT needs --abi NAME (a protocol contract whose ABI to use)');
  return withCore(ctx, async (core) => {
    if (network === DEVNET_NETWORK) await core.chain.start({ detached: true, adoptOnly: true });
    const prepared = await callCore(core, 'chain.prepareWrite', {
      network,
      ...target,
      functionName,
      args,
      from: keyId,
      ...(typeof ctx.values.value === 'string' ? { value: ctx.values.value } : {}),
    });
    ctx.info(describePrepared(prepared));
    if (!yes && !(await askOnTty('Sign and send this transaction? [y/N] '))) {
      ctx.info('Not sent.');
      return { prepared, sent: null };
    }
    return { prepared, sent: await callCore(core, 'chain.confirmWrite', { preparedId: prepared.preparedId, passphrase }) };
  });
}
