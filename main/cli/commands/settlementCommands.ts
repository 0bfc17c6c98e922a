// `studio attribution epochs|settle|claims|claim`: settlement of attributed inferences on the
// devnet (main/attribution). `settle` and `claim` need the devnet running (`studio devnet start`).
// A claim is signed by the demo contributor's dev-only key by default (Studio holds those keys
// for the devnet only), by Anvil's dev account `--from N`, or by a stored key `--key ID` after the
// prepared call is shown (asked on a terminal or accepted with --yes); the OPEN always goes to the
// contributor. A claim the ledger would refuse is refused before sending, with the reason.
import readline from 'node:readline/promises';
import { formatEther } from 'viem';
import type { ConfirmWriteResult, PreparedWrite } from '../../api/networkSchemas';
import type { z } from 'zod';
import type { ClaimResultSchema, ClaimsSchema, EpochSummary, SettledModelSchema } from '../../api/settlementSchemas';
import { addressProblem } from '../../api/checkAddress';
import { callCore } from '../callCore';
import { UsageError, type Command, type CommandContext } from '../command';
import { formatTable } from '../formatTable';
import { readPassphrase } from '../readSecret';
import { describePrepared } from '../sendWithKey';
import { withCore } from '../withCore';

type ClaimResult = z.infer<typeof ClaimResultSchema>;
type Claims = z.infer<typeof ClaimsSchema>;
type SettledModel = z.infer<typeof SettledModelSchema>;

const open = (wei: string | null) => (wei === null ? '-' : `${formatEther(BigInt(wei))} OPEN`);

function contributorOption(ctx: CommandContext, usage: string): string {
  const c = ctx.values.contributor;
  if (typeof c !== 'string') throw new UsageError(`${usage} needs --contributor 0x.. (the contributor's address)`);
  const problem = addressProblem(c);
  if (problem) throw new UsageError(`--contributor ${c}: ${problem}`);
  return c;
}

export const attributionEpochs: Command = {
  path: ['attribution', 'epochs'],
  usage: 'studio attribution epochs [--workspace NAME] [--json]',
  summary: 'Settlement epochs: inferences, fees and each model’s batch, newest first',
  run: (ctx) => withCore(ctx, (core) => callCore(core, 'attribution.epochs', {})),
  human: (epochs: EpochSummary[]) =>
    formatTable(
      ['epoch', 'status', 'model', 'inferences', 'fees', 'state', 'batch', 'tx'],
      epochs.flatMap((e) =>
        e.models.length === 0
          ? [[String(e.epoch), e.status, '-', '0', '-', '-', '-', '-']]
          : e.models.map((m) => [String(e.epoch), e.status, m.modelKey, String(m.inferenceCount), open(m.feesWei), m.state ?? 'open', m.batchId ?? '-', m.postTx ?? m.payTx ?? '-']),
      ),
    ),
};

export const attributionSettle: Command = {
  path: ['attribution', 'settle'],
  usage: 'studio attribution settle [--epoch N] [--workspace NAME] [--json]',
  summary: 'Close the epoch (default: the open one), pay its fees in and post one attribution batch per model',
  options: { epoch: { type: 'string' } },
  run: async (ctx) => {
    const text = ctx.values.epoch;
    if (text !== undefined && (typeof text !== 'string' || !/^[1-9][0-9]{0,8}$/.test(text))) throw new UsageError(`--epoch must be an epoch number (1 or more), got ${String(text)}`);
    return withCore(ctx, async (core) => {
      await core.chain.start({ detached: true, adoptOnly: true });
      return callCore(core, 'attribution.settle', text !== undefined ? { epoch: Number(text) } : {});
    });
  },
  human: (r: { epoch: number; models: SettledModel[] }) =>
    r.models.length === 0
      ? `Epoch ${r.epoch} has no attributed inferences: nothing to settle.`
      : [
          `Epoch ${r.epoch}:`,
          ...r.models.map((m) =>
            [
              `  ${m.modelKey} (model ${m.onchainModelId ?? '?'}): ${m.inferenceCount} inferences, fees ${open(m.feesWei)}, contributors' pool ${open(m.poolWei)}`,
              m.batchId ? `    batch ${m.batchId} ${m.state}, root ${m.root}, tx ${m.postTx}` : `    ${m.state}${m.note ? `: ${m.note}` : ''}`,
              ...m.contributors.map((c) => `    ${c.address}  ${open(c.amountWei)}`),
              ...m.folded.map((f) => `    ${f.address}  folded into the others (under the ${m.thresholdBps} bps threshold)`),
            ].join('\n'),
          ),
        ].join('\n'),
};

export const attributionClaims: Command = {
  path: ['attribution', 'claims'],
  usage: 'studio attribution claims --contributor 0x.. [--workspace NAME] [--json]',
  summary: 'What a contributor can claim from posted batches (amounts, claimed or not)',
  options: { contributor: { type: 'string' } },
  run: async (ctx) => {
    const contributor = contributorOption(ctx, 'attribution claims');
    return withCore(ctx, async (core) => {
      await core.chain.start({ detached: true, adoptOnly: true });
      return callCore(core, 'attribution.claims', { contributor });
    });
  },
  human: (r: Claims) =>
    [
      `${r.contributor}${r.demoLabel ? ` (${r.demoLabel})` : ''}: balance ${open(r.balanceWei)}`,
      r.batches.length === 0 ? '  no leaf in any posted batch' : formatTable(['batch', 'epoch', 'model', 'amount', 'claimed'], r.batches.map((b) => [b.batchId, String(b.epoch), b.modelKey, open(b.amountWei), b.claimed ? 'yes' : 'no'])),
    ].join('\n'),
};

async function askOnTty(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

interface KeyClaim {
  prepared: PreparedWrite;
  sent: ConfirmWriteResult | null;
}

export const attributionClaim: Command = {
  path: ['attribution', 'claim'],
  usage: 'studio attribution claim --contributor 0x.. [--batch N] [--from N | --key ID [--passphrase-file FILE] [--yes]] [--workspace NAME] [--json]',
  summary: 'Claim a contributor’s rewards (every unclaimed batch, or --batch N), proofs made and checked locally',
  options: { contributor: { type: 'string' }, batch: { type: 'string' }, from: { type: 'string' }, key: { type: 'string' }, 'passphrase-file': { type: 'string' }, yes: { type: 'boolean', default: false } },
  run: async (ctx) => {
    const contributor = contributorOption(ctx, 'attribution claim');
    const batch = ctx.values.batch;
    if (batch !== undefined && (typeof batch !== 'string' || !/^[1-9][0-9]{0,19}$/.test(batch))) throw new UsageError(`--batch must be a batch id (1 or more), got ${String(batch)}`);
    const keyId = typeof ctx.values.key === 'string' ? ctx.values.key : undefined;
    const from = ctx.values.from;
    if (keyId !== undefined && from !== undefined) throw new UsageError('--from picks a dev account; with --key the stored key signs. Give one or the other.');
    if (from !== undefined && (typeof from !== 'string' || !/^\d$/.test(from))) throw new UsageError(`--from must be a dev account index 0..9, got ${String(from)}`);
    if (keyId === undefined) {
      return withCore(ctx, async (core) => {
        await core.chain.start({ detached: true, adoptOnly: true });
        return callCore(core, 'attribution.claim', { contributor, ...(batch !== undefined ? { batchId: batch } : {}), ...(from !== undefined ? { devAccount: Number(from) } : {}) });
      });
    }
    const yes = ctx.values.yes === true;
    if (!yes && !process.stdin.isTTY) throw new UsageError('stdin is not a terminal, so nobody can confirm: pass --yes to send without asking.');
    const passphrase = readPassphrase(ctx);
    return withCore(ctx, async (core) => {
      await core.chain.start({ detached: true, adoptOnly: true });
      const ids = batch !== undefined ? [batch] : (await callCore(core, 'attribution.claims', { contributor })).batches.filter((b) => !b.claimed).map((b) => b.batchId);
      if (ids.length === 0) throw new UsageError(`${contributor} has nothing left to claim`);
      const keyClaims: KeyClaim[] = [];
      for (const batchId of ids) {
        const prepared = await callCore(core, 'attribution.prepareClaim', { contributor, batchId, keyId });
        ctx.info(describePrepared(prepared));
        if (!yes && !(await askOnTty('Sign and send this claim? [y/N] '))) {
          await callCore(core, 'chain.discardWrite', { preparedId: prepared.preparedId });
          keyClaims.push({ prepared, sent: null });
          continue;
        }
        keyClaims.push({ prepared, sent: await callCore(core, 'chain.confirmWrite', { preparedId: prepared.preparedId, passphrase }) });
      }
      return { keyClaims };
    });
  },
  human: (r: { claims?: ClaimResult[]; keyClaims?: KeyClaim[] }) =>
    r.claims
      ? r.claims
          .map(
            (c) =>
              `Claimed ${open(c.amountWei)} from batch ${c.batchId} for ${c.contributor} (signed by ${c.signerLabel}; tx ${c.hash})\n` +
              `  balance ${open(c.balanceBeforeWei)} -> ${open(c.balanceAfterWei)}${BigInt(c.receivedWei) !== BigInt(c.balanceAfterWei) - BigInt(c.balanceBeforeWei) ? ` (gas paid ${open(c.gasFeeWei)}; received ${open(c.receivedWei)})` : ''}`,
          )
          .join('\n')
      : r.keyClaims!.map((k) => (k.sent ? `Claim ${k.sent.status} in block ${k.sent.blockNumber}: ${k.sent.hash}` : 'Not sent.')).join('\n'),
};

export const settlementCommands: Command[] = [attributionEpochs, attributionSettle, attributionClaims, attributionClaim];
