// `studio gov ...`: protocol governance from the terminal, and `studio devnet advance`.
//
// Where and as whom, as `chain send`: on the devnet (the default) a write is signed by Anvil's
// dev account `--from N` (default 0; #1-#3 hold the demo's wrapped OPEN) and sent at once; with
// `--network NAME --key ID` a stored key signs after the decoded call and fee are shown, asked
// on a terminal or accepted with `--yes`, the passphrase from STUDIO_KEY_PASSPHRASE or
// --passphrase-file. Every write is prepared first (gov.prepareWrite simulates it, so a bad
// vote, queue or execute fails with the contract's decoded error before anything is sent) and
// then confirmed (chain.confirmWrite). Reads on the devnet need no workspace lock.
import readline from 'node:readline/promises';
import { StudioError } from '../../api/apiError';
import type { BuiltProposal, DevnetAdvanceResult, GovParams, GovWriteParams, ProposalList, VotingPower } from '../../api/governanceSchemas';
import { GOV_PARAMS, type GovParam } from '../../api/governanceSchemas';
import type { ConfirmWriteResult, PreparedWrite } from '../../api/networkSchemas';
import { DEVNET_NETWORK } from '../../api/networkSchemas';
import { DEVNET_ONLY } from '../../core/governanceHandlers';
import { advanceDevnet } from '../../governance/advanceDevnet';
import { readParams, readProposals } from '../../governance/governanceReads';
import { callCore } from '../callCore';
import { assertChainId, readChainTarget, requireExplorer } from '../chainTarget';
import { UsageError, type Command, type CommandContext, type OptionSpec } from '../command';
import { formatTable } from '../formatTable';
import { readPassphrase } from '../readSecret';
import { describePrepared } from '../sendWithKey';
import { withCore } from '../withCore';

const networkOption: OptionSpec = { network: { type: 'string' } };
const signerOptions: OptionSpec = {
  ...networkOption,
  from: { type: 'string' },
  key: { type: 'string' },
  'passphrase-file': { type: 'string' },
  yes: { type: 'boolean', default: false },
};
const SIGNER_USAGE = '[--from N | --network NAME --key ID [--passphrase-file FILE] [--yes]] [--workspace NAME] [--json]';

const networkOf = (ctx: CommandContext): string => (typeof ctx.values.network === 'string' ? ctx.values.network : DEVNET_NETWORK);

/** A read: lock-free on the devnet (beside a running serve); through the core elsewhere. */
async function govRead<T>(ctx: CommandContext, onDevnet: (t: Parameters<typeof readParams>[0]) => Promise<T>, viaCore: (network: string) => Promise<T>): Promise<T> {
  const network = networkOf(ctx);
  if (network !== DEVNET_NETWORK) return viaCore(network);
  const { explorer } = requireExplorer(ctx);
  await assertChainId(explorer);
  return onDevnet({ explorer, network, fromBlock: readChainTarget(ctx).deployment?.fromBlock ?? 0 });
}

export interface GovWriteOutput {
  prepared: PreparedWrite;
  /** Null when the user declined. */
  sent: ConfirmWriteResult | null;
}

async function askOnTty(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Prepares a governance write, shows it, and confirms it (see the header for who signs). */
async function govWrite(ctx: CommandContext, write: Record<string, unknown> & { action: GovWriteParams['action'] }): Promise<GovWriteOutput> {
  const network = networkOf(ctx);
  const keyId = typeof ctx.values.key === 'string' ? ctx.values.key : undefined;
  if (keyId !== undefined && ctx.values.from !== undefined) throw new UsageError('--from picks a dev account; with --key the stored key signs. Give one or the other.');
  if (network !== DEVNET_NETWORK && keyId === undefined) throw new UsageError(`--network ${network} needs --key ID (Anvil's dev accounts sign on the devnet only; see \`studio key list\`)`);
  let devAccount: number | undefined;
  if (keyId === undefined) {
    const from = ctx.values.from === undefined ? '0' : String(ctx.values.from);
    if (!/^\d$/.test(from)) throw new UsageError(`--from must be a dev account index 0..9, got ${from}`);
    devAccount = Number(from);
  }
  const yes = ctx.values.yes === true;
  if (keyId !== undefined && !yes && !process.stdin.isTTY) throw new UsageError('stdin is not a terminal, so nobody can confirm: pass --yes to send without asking.');
  const passphrase = keyId !== undefined ? readPassphrase(ctx) : undefined;
  return withCore(ctx, async (core) => {
    if (network === DEVNET_NETWORK) await core.chain.start({ detached: true, adoptOnly: true });
    const params = { ...write, network, ...(keyId !== undefined ? { keyId } : { devAccount }) } as GovWriteParams;
    const prepared = await callCore(core, 'gov.prepareWrite', params);
    ctx.info(describePrepared(prepared));
    if (keyId !== undefined && !yes && !(await askOnTty('Sign and send this transaction? [y/N] '))) {
      ctx.info('Not sent.');
      await callCore(core, 'chain.discardWrite', { preparedId: prepared.preparedId });
      return { prepared, sent: null };
    }
    const sent = await callCore(core, 'chain.confirmWrite', { preparedId: prepared.preparedId, ...(passphrase !== undefined ? { passphrase } : {}) });
    return { prepared, sent };
  });
}

function humanWrite(r: GovWriteOutput): string {
  if (!r.sent) return 'Not sent.';
  const s = r.sent;
  return [
    `${s.status} on ${s.network} in block ${s.blockNumber}: ${s.hash} (gas ${s.gasUsed})`,
    ...s.events.map((l) => `  ${l.contractName ?? l.address}.${l.eventName ?? '(unknown event)'} ${JSON.stringify(l.args)}`),
  ].join('\n');
}

function proposalIdArg(ctx: CommandContext, what: string): string {
  const [id] = ctx.positionals;
  if (!id || !/^\d{1,78}$/.test(id)) throw new UsageError(`gov ${what} needs a proposal ID (a decimal number, from \`studio gov proposals\`), got ${id ?? 'nothing'}`);
  return id;
}

const bps = (n: number) => `${n} bps (${(n / 100).toFixed(2)}%)`;

export const govParams: Command = {
  path: ['gov', 'params'],
  usage: 'studio gov params [--network NAME] [--workspace NAME] [--json]',
  summary: 'Protocol parameters (attribution threshold, fee split, slash ratio, treasury), governance rules and the change history',
  options: networkOption,
  run: (ctx) => govRead(ctx, readParams, (network) => withCore(ctx, (core) => callCore(core, 'gov.params', { network }))),
  human: (r: GovParams) =>
    [
      `Protocol parameters on ${r.network} (block ${r.block})`,
      `  attributionThreshold  ${bps(r.params.attributionThresholdBps)}`,
      `  contributorFee        ${bps(r.params.contributorFeeBps)}`,
      `  modelOwnerFee         ${bps(r.params.modelOwnerFeeBps)}`,
      `  treasuryFee           ${bps(r.params.treasuryFeeBps)} (the rest)`,
      `  slashRatio            ${bps(r.params.slashTreasuryBps)}`,
      `  treasury              ${r.params.treasury}`,
      `Rules: voting delay ${r.rules.votingDelayBlocks} blocks, voting period ${r.rules.votingPeriodBlocks} blocks, quorum ${r.rules.quorumPercent}% of wrapped OPEN, timelock ${r.rules.timelockDelaySeconds} s`,
      'History (newest first):',
      ...r.history.map((h) => `  block ${h.blockNumber}  ${h.eventName} ${JSON.stringify(h.args)}`),
    ].join('\n'),
};

export const govProposals: Command = {
  path: ['gov', 'proposals'],
  usage: 'studio gov proposals [--network NAME] [--workspace NAME] [--json]',
  summary: 'Proposals, newest first: state, votes for/against/abstain, quorum, blocks or time left',
  options: networkOption,
  run: (ctx) => govRead(ctx, (t) => readProposals(t), (network) => withCore(ctx, (core) => callCore(core, 'gov.proposals', { network }))),
  human: (r: ProposalList) =>
    r.proposals.length === 0
      ? `No proposals on ${r.network}.`
      : formatTable(
          ['ID', 'STATE', 'FOR', 'AGAINST', 'ABSTAIN', 'QUORUM', 'LEFT', 'TITLE'],
          r.proposals.map((p) => [
            p.id,
            p.state,
            p.votesFormatted.for,
            p.votesFormatted.against,
            p.votesFormatted.abstain,
            `${p.quorumReached ? 'reached' : 'not reached'} (${p.quorumFormatted})`,
            p.blocksLeft !== null ? `${p.blocksLeft} blocks` : p.secondsLeft !== null ? `${p.secondsLeft} s` : '',
            p.title,
          ]),
        ),
};

export const govPropose: Command = {
  path: ['gov', 'propose'],
  usage: `studio gov propose --param ${GOV_PARAMS.join('|')} --value VALUE [--description TEXT] [--dry-run] ${SIGNER_USAGE}`,
  summary: 'Propose a parameter change (bps, or an address for treasury); --dry-run shows the calldata decoded back without sending',
  options: { ...signerOptions, param: { type: 'string' }, value: { type: 'string' }, description: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  async run(ctx) {
    const param = ctx.values.param;
    if (typeof param !== 'string' || !(GOV_PARAMS as readonly string[]).includes(param)) {
      throw new UsageError(`--param must be one of ${GOV_PARAMS.join(', ')}, got ${param === undefined ? 'nothing' : String(param)}`);
    }
    if (typeof ctx.values.value !== 'string') throw new UsageError('--value is needed: basis points (0-10000), or an address for --param treasury');
    const req = { param: param as GovParam, value: ctx.values.value, ...(typeof ctx.values.description === 'string' ? { description: ctx.values.description } : {}) };
    if (ctx.values['dry-run'] === true) {
      const network = networkOf(ctx);
      return withCore(ctx, async (core) => {
        if (network === DEVNET_NETWORK) await core.chain.start({ detached: true, adoptOnly: true });
        return callCore(core, 'gov.buildProposal', { ...req, network });
      });
    }
    return govWrite(ctx, { action: 'propose', ...req });
  },
  human: (r: GovWriteOutput | BuiltProposal) =>
    'calldata' in r
      ? [`Proposal ${r.proposalId}${r.exists ? ' (exists already)' : ''}`, `  ${r.targetContract}.${r.decoded.signature}`, `  args ${JSON.stringify(r.decoded.args)}`, `  calldata ${r.calldata}`, '', r.description].join('\n')
      : humanWrite(r) + (r.sent ? `\nproposal ${String(r.sent.result)}` : ''),
};

export const govVote: Command = {
  path: ['gov', 'vote'],
  usage: `studio gov vote ID for|against|abstain [--reason TEXT] ${SIGNER_USAGE}`,
  summary: 'Vote on a proposal during its voting period, with an optional reason',
  options: { ...signerOptions, reason: { type: 'string' } },
  run(ctx) {
    const id = proposalIdArg(ctx, 'vote');
    const support = ctx.positionals[1];
    if (support !== 'for' && support !== 'against' && support !== 'abstain') throw new UsageError(`gov vote needs for, against or abstain after the ID, got ${support ?? 'nothing'}`);
    return govWrite(ctx, { action: 'vote', proposalId: id, support, ...(typeof ctx.values.reason === 'string' ? { reason: ctx.values.reason } : {}) });
  },
  human: humanWrite,
};

export const govQueue: Command = {
  path: ['gov', 'queue'],
  usage: `studio gov queue ID ${SIGNER_USAGE}`,
  summary: 'Queue a succeeded proposal in the timelock',
  options: signerOptions,
  run: (ctx) => govWrite(ctx, { action: 'queue', proposalId: proposalIdArg(ctx, 'queue') }),
  human: humanWrite,
};

export const govExecute: Command = {
  path: ['gov', 'execute'],
  usage: `studio gov execute ID ${SIGNER_USAGE}`,
  summary: "Execute a queued proposal once the timelock's delay has passed",
  options: signerOptions,
  run: (ctx) => govWrite(ctx, { action: 'execute', proposalId: proposalIdArg(ctx, 'execute') }),
  human: humanWrite,
};

export const govDelegate: Command = {
  path: ['gov', 'delegate'],
  usage: `studio gov delegate [--to 0x..] ${SIGNER_USAGE}`,
  summary: "Delegate the signer's wrapped-OPEN votes (to itself by default)",
  options: { ...signerOptions, to: { type: 'string' } },
  run(ctx) {
    const to = ctx.values.to;
    if (to !== undefined && (typeof to !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(to))) throw new UsageError(`--to must be an address (0x and 40 hex digits), got ${String(to)}`);
    return govWrite(ctx, { action: 'delegate', ...(typeof to === 'string' ? { to } : {}) });
  },
  human: humanWrite,
};

function amountCommand(action: 'wrap' | 'unwrap', summary: string): Command {
  return {
    path: ['gov', action],
    usage: `studio gov ${action} AMOUNT ${SIGNER_USAGE}`,
    summary,
    options: signerOptions,
    run(ctx) {
      const [amount] = ctx.positionals;
      if (!amount) throw new UsageError(`gov ${action} needs an AMOUNT of OPEN, e.g. 10 or 0.5`);
      return govWrite(ctx, { action, amount });
    },
    human: humanWrite,
  };
}

export const govWrap = amountCommand('wrap', 'Wrap native OPEN into WOPEN (voting weight; the first wrap self-delegates)');
export const govUnwrap = amountCommand('unwrap', 'Unwrap WOPEN back into native OPEN');

export const govPower: Command = {
  path: ['gov', 'power'],
  usage: 'studio gov power [--network NAME] [--workspace NAME] [--json]',
  summary: 'Voting power of dev accounts #0-#3 (devnet) and stored keys: OPEN, wrapped OPEN, delegate, votes',
  options: networkOption,
  run: (ctx) =>
    withCore(ctx, async (core) => {
      const network = networkOf(ctx);
      if (network === DEVNET_NETWORK) await core.chain.start({ detached: true, adoptOnly: true });
      return callCore(core, 'gov.votingPower', { network });
    }),
  human: (rows: VotingPower[]) =>
    formatTable(
      ['ADDRESS', 'LABEL', 'OPEN', 'WOPEN', 'VOTES', 'DELEGATE'],
      rows.map((r) => [r.address, r.label, r.balanceFormatted, r.wrappedFormatted, r.votesFormatted, r.delegate ?? '(none)']),
    ),
};

export const devnetAdvance: Command = {
  path: ['devnet', 'advance'],
  usage: 'studio devnet advance --blocks N [--seconds S] [--workspace NAME] [--json]',
  summary: "Devnet only: move Anvil's clock S seconds and mine N blocks (voting delays, periods and the timelock pass at once)",
  options: { blocks: { type: 'string' }, seconds: { type: 'string' }, network: { type: 'string' } },
  async run(ctx) {
    const network = networkOf(ctx);
    if (network !== DEVNET_NETWORK) throw new StudioError(DEVNET_ONLY, `devnet advance moves the local devnet only; ${network} keeps its own clock.`, { network });
    const whole = (name: string, v: unknown, max: number): number => {
      const n = Number(v);
      if (typeof v !== 'string' || !/^\d+$/.test(v) || n > max) throw new UsageError(`--${name} must be a whole number 0..${max}, got ${v === undefined ? 'nothing' : String(v)}`);
      return n;
    };
    const blocks = whole('blocks', ctx.values.blocks, 10_000);
    const seconds = ctx.values.seconds === undefined ? 0 : whole('seconds', ctx.values.seconds, 10 * 365 * 86_400);
    const { explorer } = requireExplorer(ctx);
    await assertChainId(explorer);
    return advanceDevnet(explorer, blocks, seconds);
  },
  human: (r: DevnetAdvanceResult) => `Mined ${r.minedBlocks} block(s)${r.increasedSeconds ? ` after moving the clock ${r.increasedSeconds} s` : ''}: head ${r.block}, time ${new Date(r.timestamp * 1000).toISOString()}`,
};
