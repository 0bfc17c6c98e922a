// Reads of protocol governance from one network's contracts: the governed parameters and their
// history, voting power, and proposals with their state, tallies, quorum and time left. The core
// (API) and the CLI's lock-free commands both read through here, so they say the same thing.
import { decodeFunctionData, formatEther, getAddress, type Address, type Hex } from 'viem';
import { OpenGovernorAbi, OpenTimelockAbi, ProtocolParamsAbi, WrappedOpenAbi, protocolAbi } from '../../contracts/generated/index.js';
import type { GovParams, Proposal, ProposalList, ProposalState, VotingPower } from '../api/governanceSchemas';
import { ProposalStateSchema } from '../api/governanceSchemas';
import type { ChainExplorer } from '../chain/explorer/chainExplorer';
import { rpcError } from '../chain/explorer/chainExplorer';
import { toJson } from '../chain/explorer/toJson';
import { devAccountByAddress } from '../chain/keys/devKeys';

/** The governor's ProposalState enum, in Solidity's order. */
const STATES = ProposalStateSchema.options;

const PARAM_EVENTS = ['AttributionThresholdChanged', 'FeeSplitChanged', 'SlashRatioChanged', 'TreasuryChanged'] as const;

/** Reads wrapped so an RPC failure names what was being read. */
async function reading<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw rpcError(err, `reading ${what}`);
  }
}

export interface GovTarget {
  explorer: ChainExplorer;
  network: string;
  /** Where the protocol's events start (its deployment block); 0 when unknown. */
  fromBlock: number;
}

export async function readParams({ explorer, network, fromBlock }: GovTarget): Promise<GovParams> {
  const params = explorer.contract('ProtocolParams').address;
  const governor = explorer.contract('OpenGovernor').address;
  const timelock = explorer.contract('OpenTimelock').address;
  const c = explorer.batchClient;
  const p = { address: params, abi: ProtocolParamsAbi } as const;
  const g = { address: governor, abi: OpenGovernorAbi } as const;
  return reading('the protocol parameters', async () => {
    const [block, threshold, contributor, owner, treasuryFee, slash, treasury, delay, period, numerator, denominator, proposalThreshold, minDelay, logs] = await Promise.all([
      c.getBlockNumber({ cacheTime: 0 }),
      c.readContract({ ...p, functionName: 'attributionThresholdBps' }),
      c.readContract({ ...p, functionName: 'contributorFeeBps' }),
      c.readContract({ ...p, functionName: 'modelOwnerFeeBps' }),
      c.readContract({ ...p, functionName: 'treasuryFeeBps' }),
      c.readContract({ ...p, functionName: 'slashTreasuryBps' }),
      c.readContract({ ...p, functionName: 'treasury' }),
      c.readContract({ ...g, functionName: 'votingDelay' }),
      c.readContract({ ...g, functionName: 'votingPeriod' }),
      c.readContract({ ...g, functionName: 'quorumNumerator', args: [] }),
      c.readContract({ ...g, functionName: 'quorumDenominator' }),
      c.readContract({ ...g, functionName: 'proposalThreshold' }),
      c.readContract({ address: timelock, abi: OpenTimelockAbi, functionName: 'getMinDelay' }),
      c.getContractEvents({ address: params, abi: ProtocolParamsAbi, fromBlock: BigInt(fromBlock), toBlock: 'latest' }),
    ]);
    const changes = logs.filter((l) => (PARAM_EVENTS as readonly string[]).includes(l.eventName));
    const blockTimes = new Map<bigint, number>();
    await Promise.all(
      [...new Set(changes.map((l) => l.blockNumber))].map(async (n) => blockTimes.set(n, Number((await c.getBlock({ blockNumber: n })).timestamp))),
    );
    return {
      network,
      block: Number(block),
      params: {
        attributionThresholdBps: threshold,
        contributorFeeBps: contributor,
        modelOwnerFeeBps: owner,
        treasuryFeeBps: treasuryFee,
        slashTreasuryBps: slash,
        treasury: getAddress(treasury),
      },
      rules: {
        votingDelayBlocks: Number(delay),
        votingPeriodBlocks: Number(period),
        quorumPercent: (Number(numerator) * 100) / Number(denominator),
        proposalThreshold: proposalThreshold.toString(),
        timelockDelaySeconds: Number(minDelay),
      },
      history: changes
        .map((l) => ({
          blockNumber: Number(l.blockNumber),
          txHash: l.transactionHash,
          timestamp: blockTimes.get(l.blockNumber) ?? 0,
          eventName: l.eventName,
          args: toJson(l.args) as Record<string, never>,
          logIndex: l.logIndex,
        }))
        .sort((a, b) => b.blockNumber - a.blockNumber || b.logIndex - a.logIndex)
        .map(({ logIndex: _, ...rest }) => rest),
    };
  });
}

export async function readVotingPower(explorer: ChainExplorer, accounts: { address: Address; label?: string }[]): Promise<VotingPower[]> {
  const w = { address: explorer.contract('WrappedOpen').address, abi: WrappedOpenAbi } as const;
  const c = explorer.batchClient;
  return reading('voting power', () =>
    Promise.all(
      accounts.map(async ({ address, label }) => {
        const [balance, wrapped, delegate, votes] = await Promise.all([
          c.getBalance({ address }),
          c.readContract({ ...w, functionName: 'balanceOf', args: [address] }),
          c.readContract({ ...w, functionName: 'delegates', args: [address] }),
          c.readContract({ ...w, functionName: 'getVotes', args: [address] }),
        ]);
        return {
          address: getAddress(address),
          label: label ?? devAccountByAddress(address)?.label ?? '',
          balance: balance.toString(),
          balanceFormatted: formatEther(balance),
          wrapped: wrapped.toString(),
          wrappedFormatted: formatEther(wrapped),
          delegate: /^0x0{40}$/.test(delegate) ? null : getAddress(delegate),
          votes: votes.toString(),
          votesFormatted: formatEther(votes),
        };
      }),
    ),
  );
}

/** The first line of a Markdown description, without heading marks: the proposal's title. */
export function proposalTitle(description: string): string {
  const first = description.split('\n').find((l) => l.trim() !== '') ?? '';
  return first.replace(/^#+\s*/, '').trim().slice(0, 200) || '(no description)';
}

export interface ProposalCreated {
  id: bigint;
  proposer: Address;
  targets: readonly Address[];
  values: readonly bigint[];
  calldatas: readonly Hex[];
  description: string;
  blockNumber: bigint;
  txHash: Hex;
}

/** Every ProposalCreated event of the governor, oldest first. */
export async function proposalsCreated({ explorer, fromBlock }: GovTarget): Promise<ProposalCreated[]> {
  const governor = explorer.contract('OpenGovernor').address;
  const logs = await reading('proposals', () =>
    explorer.client.getContractEvents({ address: governor, abi: OpenGovernorAbi, eventName: 'ProposalCreated', fromBlock: BigInt(fromBlock), toBlock: 'latest' }),
  );
  return logs.map((l) => ({
    id: l.args.proposalId!,
    proposer: getAddress(l.args.proposer!),
    targets: l.args.targets!,
    values: l.args.values!,
    calldatas: l.args.calldatas!,
    description: l.args.description!,
    blockNumber: l.blockNumber,
    txHash: l.transactionHash,
  }));
}

/** The calldata decoded with the target's protocol ABI (or all of them). */
export function decodeAction(explorer: ChainExplorer, target: Address, value: bigint, calldata: Hex): Proposal['actions'][number] {
  const contractName = explorer.contractNameOf(target);
  let functionName: string | null = null;
  let signature: string | null = null;
  let args: Record<string, never> = {};
  try {
    const abi = contractName ? explorer.contract(contractName).abi : protocolAbi;
    const d = decodeFunctionData({ abi, data: calldata });
    const fn = (abi as readonly { type: string; name?: string; inputs?: readonly { name?: string; type: string }[] }[]).find(
      (i) => i.type === 'function' && i.name === d.functionName && (i.inputs?.length ?? 0) === (d.args?.length ?? 0),
    );
    functionName = d.functionName;
    signature = `${d.functionName}(${(fn?.inputs ?? []).map((p) => `${p.type} ${p.name ?? ''}`.trim()).join(', ')})`;
    args = Object.fromEntries((d.args ?? []).map((v, i) => [fn?.inputs?.[i]?.name || String(i), toJson(v)])) as Record<string, never>;
  } catch {
    // Calldata no protocol ABI decodes: shown raw.
  }
  return { target: getAddress(target), contractName, value: value.toString(), calldata, functionName, signature, args };
}

export async function readProposals(target: GovTarget, only?: bigint): Promise<ProposalList> {
  const { explorer, network } = target;
  const created = (await proposalsCreated(target)).filter((p) => only === undefined || p.id === only);
  const g = { address: explorer.contract('OpenGovernor').address, abi: OpenGovernorAbi } as const;
  const c = explorer.batchClient;
  const head = await reading('the head block', () => c.getBlock({ blockTag: 'latest' }));
  const headNumber = Number(head.number);
  const now = Number(head.timestamp);
  const proposals = await reading('proposal states', () =>
    Promise.all(
      created.map(async (p): Promise<Proposal> => {
        const [stateIndex, [against, forVotes, abstain], snapshot, deadline, eta] = await Promise.all([
          c.readContract({ ...g, functionName: 'state', args: [p.id] }),
          c.readContract({ ...g, functionName: 'proposalVotes', args: [p.id] }),
          c.readContract({ ...g, functionName: 'proposalSnapshot', args: [p.id] }),
          c.readContract({ ...g, functionName: 'proposalDeadline', args: [p.id] }),
          c.readContract({ ...g, functionName: 'proposalEta', args: [p.id] }),
        ]);
        // quorum() only answers for past blocks: before the snapshot has passed, the quorum as of
        // the last mined block is the best estimate.
        const quorumAt = snapshot < head.number! ? snapshot : head.number! - 1n;
        const quorum = await c.readContract({ ...g, functionName: 'quorum', args: [quorumAt < 0n ? 0n : quorumAt] });
        const state: ProposalState = STATES[stateIndex] ?? 'pending';
        const blocksLeft = state === 'pending' ? Math.max(0, Number(snapshot) - headNumber) : state === 'active' ? Math.max(0, Number(deadline) - headNumber) : null;
        const etaSeconds = eta > 0n ? Number(eta) : null;
        return {
          id: p.id.toString(),
          proposer: p.proposer,
          description: p.description,
          title: proposalTitle(p.description),
          actions: p.targets.map((t, i) => decodeAction(explorer, t, p.values[i] ?? 0n, p.calldatas[i] ?? '0x')),
          state,
          votes: { for: forVotes.toString(), against: against.toString(), abstain: abstain.toString() },
          votesFormatted: { for: formatEther(forVotes), against: formatEther(against), abstain: formatEther(abstain) },
          quorum: quorum.toString(),
          quorumFormatted: formatEther(quorum),
          quorumReached: forVotes + abstain >= quorum,
          createdBlock: Number(p.blockNumber),
          createdTx: p.txHash,
          snapshotBlock: Number(snapshot),
          deadlineBlock: Number(deadline),
          blocksLeft,
          eta: etaSeconds,
          secondsLeft: state === 'queued' && etaSeconds !== null ? Math.max(0, etaSeconds - now) : null,
        };
      }),
    ),
  );
  // Newest first, as every list in the explorer.
  return { network, block: headNumber, timestamp: now, proposals: proposals.reverse() };
}
