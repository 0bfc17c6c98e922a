// Builds governance's writes as protocol calls for the two-step flow (chain.prepareWrite /
// chain.confirmWrite): a proposal from a parameter name and value, votes, queue, execute,
// delegate, wrap and unwrap. Bad input is refused here, before anything is prepared or sent:
// a proposed value is tried on ProtocolParams as the timelock (its owner) would call it, so a
// value out of range fails with the contract's own decoded custom error.
import { encodeFunctionData, getAddress, isAddress, keccak256, parseEther, toBytes, type Address, type Hex } from 'viem';
import { OpenGovernorAbi, ProtocolParamsAbi } from '../../contracts/generated/index.js';
import { ErrorCode, StudioError } from '../api/apiError';
import type { BuiltProposal, GovParam, GovWriteParams } from '../api/governanceSchemas';
import { invalidArgument } from '../chain/chainErrors';
import { decodeCallError, rpcError, type ChainExplorer } from '../chain/explorer/chainExplorer';
import { revertedError } from '../chain/writes/sendAsDevAccount';
import { decodeAction, proposalsCreated, type GovTarget } from './governanceReads';

/** What each parameter name sets, and its range in words (the contract is the judge). */
const PARAM_INFO: Record<GovParam, { label: string; range: string }> = {
  attributionThreshold: { label: 'attribution threshold', range: '0 to 10000 bps (uint16; above 10000 the contract reverts BpsOutOfRange)' },
  contributorFee: { label: 'contributor fee share', range: '0 to 10000 bps, with contributor + model owner at most 10000 (FeeSplitTooLarge)' },
  modelOwnerFee: { label: 'model owner fee share', range: '0 to 10000 bps, with contributor + model owner at most 10000 (FeeSplitTooLarge)' },
  slashRatio: { label: 'slash ratio (treasury share of a slashed stake)', range: '0 to 10000 bps (uint16; above 10000 the contract reverts BpsOutOfRange)' },
  treasury: { label: 'treasury', range: 'any address but 0x0 (ZeroTreasury)' },
};

export function paramRange(param: GovParam): string {
  return PARAM_INFO[param].range;
}

function parseBps(param: GovParam, value: string): number {
  const t = value.trim();
  if (!/^\d+$/.test(t) || Number(t) > 65_535) {
    throw invalidArgument(`value: ${JSON.stringify(value)} is not a whole number of basis points for ${param} (${PARAM_INFO[param].range})`, { field: 'value', param });
  }
  return Number(t);
}

async function readParam(explorer: ChainExplorer, fn: 'contributorFeeBps' | 'modelOwnerFeeBps' | 'attributionThresholdBps' | 'slashTreasuryBps' | 'treasury'): Promise<string> {
  const address = explorer.contract('ProtocolParams').address;
  try {
    return String(await explorer.client.readContract({ address, abi: ProtocolParamsAbi, functionName: fn }));
  } catch (err) {
    throw rpcError(err, `reading ProtocolParams.${fn}`);
  }
}

/** The ProtocolParams call that sets `param` to `value`, plus the value it replaces. */
async function setterFor(explorer: ChainExplorer, param: GovParam, value: string): Promise<{ functionName: string; args: unknown[]; current: string }> {
  switch (param) {
    case 'attributionThreshold':
      return { functionName: 'setAttributionThreshold', args: [parseBps(param, value)], current: await readParam(explorer, 'attributionThresholdBps') };
    case 'slashRatio':
      return { functionName: 'setSlashRatio', args: [parseBps(param, value)], current: await readParam(explorer, 'slashTreasuryBps') };
    case 'contributorFee': {
      const bps = parseBps(param, value);
      const owner = await readParam(explorer, 'modelOwnerFeeBps');
      return { functionName: 'setFeeSplit', args: [bps, Number(owner)], current: await readParam(explorer, 'contributorFeeBps') };
    }
    case 'modelOwnerFee': {
      const bps = parseBps(param, value);
      const contributor = await readParam(explorer, 'contributorFeeBps');
      return { functionName: 'setFeeSplit', args: [Number(contributor), bps], current: await readParam(explorer, 'modelOwnerFeeBps') };
    }
    case 'treasury':
      if (!isAddress(value.trim(), { strict: false })) throw invalidArgument(`value: ${JSON.stringify(value)} is not an address for treasury (0x and 40 hex digits)`, { field: 'value', param });
      return { functionName: 'setTreasury', args: [getAddress(value.trim())], current: await readParam(explorer, 'treasury') };
  }
}

export function defaultDescription(param: GovParam, value: string, current: string): string {
  return `# Set the ${PARAM_INFO[param].label} to ${value}\n\nChanges \`${param}\` from ${current} to ${value}.`;
}

/**
 * The proposal that sets `param` to `value`: calldata encoded, decoded back for review, and the
 * id the governor will give it. The setter is simulated as the timelock (ProtocolParams' owner)
 * would call it at execution, so an out-of-range value fails now with CHAIN_REVERTED and the
 * contract's error (BpsOutOfRange, FeeSplitTooLarge, ZeroTreasury).
 */
export async function buildProposal(target: GovTarget, req: { param: GovParam; value: string; description?: string | undefined }): Promise<BuiltProposal> {
  const { explorer } = target;
  const params = explorer.contract('ProtocolParams').address;
  const timelock = explorer.contract('OpenTimelock').address;
  const governor = explorer.contract('OpenGovernor').address;
  const setter = await setterFor(explorer, req.param, req.value);
  const calldata = encodeFunctionData({ abi: ProtocolParamsAbi, functionName: setter.functionName, args: setter.args } as never);
  try {
    await explorer.client.call({ account: timelock, to: params, data: calldata });
  } catch (err) {
    const decoded = decodeCallError(err);
    if (decoded) throw revertedError(`ProtocolParams.${setter.functionName} (as the timelock would execute it)`, decoded, { param: req.param });
    throw rpcError(err, `trying ProtocolParams.${setter.functionName}`);
  }
  const description = req.description?.trim() ? req.description : defaultDescription(req.param, req.value.trim(), setter.current);
  let proposalId: bigint;
  let snapshot: bigint;
  try {
    proposalId = await explorer.client.readContract({
      address: governor,
      abi: OpenGovernorAbi,
      functionName: 'hashProposal',
      args: [[params], [0n], [calldata], keccak256(toBytes(description))],
    });
    snapshot = await explorer.client.readContract({ address: governor, abi: OpenGovernorAbi, functionName: 'proposalSnapshot', args: [proposalId] });
  } catch (err) {
    throw rpcError(err, 'reading the governor');
  }
  const decoded = decodeAction(explorer, params, 0n, calldata);
  return {
    param: req.param,
    range: PARAM_INFO[req.param].range,
    current: setter.current,
    target: params,
    targetContract: 'ProtocolParams',
    calldata,
    decoded: { functionName: decoded.functionName ?? setter.functionName, signature: decoded.signature ?? setter.functionName, args: decoded.args },
    description,
    proposalId: proposalId.toString(),
    exists: snapshot !== 0n,
  };
}

/** The protocol call a governance write makes, for PreparedWriteService.prepare. */
export interface GovCall {
  contract: 'OpenGovernor' | 'WrappedOpen';
  functionName: string;
  args: unknown[];
  /** Native OPEN sent with the call (wrap), as a decimal string. */
  value?: string;
}

async function findProposal(target: GovTarget, id: string): Promise<{ targets: readonly Address[]; values: readonly bigint[]; calldatas: readonly Hex[]; descriptionHash: Hex }> {
  const found = (await proposalsCreated(target)).find((p) => p.id === BigInt(id));
  if (!found) throw new StudioError(ErrorCode.NotFound, `No proposal ${id} on ${target.network} (see \`studio gov proposals\`).`, { proposalId: id });
  return { targets: found.targets, values: found.values, calldatas: found.calldatas, descriptionHash: keccak256(toBytes(found.description)) };
}

function parseAmount(field: string, text: string): string {
  const t = text.trim();
  if (!/^\d+(\.\d{1,18})?$/.test(t) || parseEther(t) === 0n) {
    throw invalidArgument(`${field}: ${JSON.stringify(text)} is not an amount of OPEN above 0 (a decimal with at most 18 decimals, e.g. 1.5)`, { field });
  }
  return t;
}

/** Turns a governance write into its protocol call; `signer` is the address that will sign. */
export async function govCall(target: GovTarget, p: GovWriteParams, signer: Address): Promise<GovCall> {
  const json = (v: readonly unknown[]) => JSON.stringify(v.map((x) => (typeof x === 'bigint' ? x.toString() : x)));
  switch (p.action) {
    case 'propose': {
      const built = await buildProposal(target, p);
      return { contract: 'OpenGovernor', functionName: 'propose', args: [json([built.target]), json(['0']), json([built.calldata]), built.description] };
    }
    case 'vote': {
      const support = { against: 0, for: 1, abstain: 2 }[p.support];
      return p.reason
        ? { contract: 'OpenGovernor', functionName: 'castVoteWithReason', args: [p.proposalId, support, p.reason] }
        : { contract: 'OpenGovernor', functionName: 'castVote', args: [p.proposalId, support] };
    }
    case 'queue':
    case 'execute': {
      const found = await findProposal(target, p.proposalId);
      return { contract: 'OpenGovernor', functionName: p.action, args: [json(found.targets), json(found.values), json(found.calldatas), found.descriptionHash] };
    }
    case 'delegate':
      return { contract: 'WrappedOpen', functionName: 'delegate', args: [p.to ?? signer] };
    case 'wrap':
      return { contract: 'WrappedOpen', functionName: 'deposit', args: [], value: parseAmount('amount', p.amount) };
    case 'unwrap':
      return { contract: 'WrappedOpen', functionName: 'withdraw', args: [parseEther(parseAmount('amount', p.amount)).toString()] };
  }
}
