import { z } from 'zod';
import { AddressSchema, JsonValueSchema, TxHashSchema } from './chainSchemas';
import { NetworkNameSchema } from './networkSchemas';

/**
 * Shapes of protocol governance (main/governance): the governed parameters and their history,
 * voting power, proposals, and the writes (propose, vote, queue, execute, delegate, wrap,
 * unwrap) that go through the two-step chain.prepareWrite / chain.confirmWrite flow. Token
 * amounts are wei as decimal strings, with a `...Formatted` twin in OPEN.
 */

/** The parameters a proposal can change, by the names the CLI and the form use. */
export const GOV_PARAMS = ['attributionThreshold', 'contributorFee', 'modelOwnerFee', 'slashRatio', 'treasury'] as const;
export const GovParamSchema = z.enum(GOV_PARAMS);
export type GovParam = z.infer<typeof GovParamSchema>;

export const ProposalStateSchema = z.enum(['pending', 'active', 'canceled', 'defeated', 'succeeded', 'queued', 'expired', 'executed']);
export type ProposalState = z.infer<typeof ProposalStateSchema>;

export const VoteSupportSchema = z.enum(['against', 'for', 'abstain']);
export type VoteSupport = z.infer<typeof VoteSupportSchema>;

const NetworkParam = { network: NetworkNameSchema.default('devnet') };

export const ParamChangeSchema = z.object({
  blockNumber: z.number().int(),
  txHash: TxHashSchema,
  /** Block time, seconds since the epoch. */
  timestamp: z.number().int(),
  eventName: z.string(),
  args: z.record(z.string(), JsonValueSchema),
});
export type ParamChange = z.infer<typeof ParamChangeSchema>;

export const GovParamsSchema = z.object({
  network: z.string(),
  block: z.number().int(),
  params: z.object({
    attributionThresholdBps: z.number().int(),
    contributorFeeBps: z.number().int(),
    modelOwnerFeeBps: z.number().int(),
    /** Derived: 10 000 - contributor - model owner. */
    treasuryFeeBps: z.number().int(),
    slashTreasuryBps: z.number().int(),
    treasury: AddressSchema,
  }),
  /** How a proposal goes through: the governor's and the timelock's settings. */
  rules: z.object({
    votingDelayBlocks: z.number().int(),
    votingPeriodBlocks: z.number().int(),
    quorumPercent: z.number(),
    proposalThreshold: z.string(),
    timelockDelaySeconds: z.number().int(),
  }),
  /** Every change event, newest first (the constructor's included). */
  history: z.array(ParamChangeSchema),
});
export type GovParams = z.infer<typeof GovParamsSchema>;

export const VotingPowerSchema = z.object({
  address: AddressSchema,
  label: z.string(),
  /** Native OPEN (wei). */
  balance: z.string(),
  balanceFormatted: z.string(),
  /** Wrapped OPEN (WOPEN) held. */
  wrapped: z.string(),
  wrappedFormatted: z.string(),
  /** Who this account's votes count for; null until it delegates (or wraps: the first deposit self-delegates). */
  delegate: AddressSchema.nullable(),
  /** Votes delegated to this account now. */
  votes: z.string(),
  votesFormatted: z.string(),
});
export type VotingPower = z.infer<typeof VotingPowerSchema>;

export const ProposalActionSchema = z.object({
  target: AddressSchema,
  contractName: z.string().nullable(),
  value: z.string(),
  calldata: z.string(),
  /** Decoded with the protocol ABIs; null when the calldata matches none. */
  functionName: z.string().nullable(),
  signature: z.string().nullable(),
  args: z.record(z.string(), JsonValueSchema),
});
export type ProposalAction = z.infer<typeof ProposalActionSchema>;

export const ProposalSchema = z.object({
  id: z.string(),
  proposer: AddressSchema,
  description: z.string(),
  /** The first line of the description without Markdown heading marks. */
  title: z.string(),
  actions: z.array(ProposalActionSchema),
  state: ProposalStateSchema,
  votes: z.object({ for: z.string(), against: z.string(), abstain: z.string() }),
  votesFormatted: z.object({ for: z.string(), against: z.string(), abstain: z.string() }),
  /** Votes needed at the snapshot (for + abstain must reach it). */
  quorum: z.string(),
  quorumFormatted: z.string(),
  quorumReached: z.boolean(),
  createdBlock: z.number().int(),
  createdTx: TxHashSchema,
  /** Votes are read at this block; voting opens after it and closes at deadlineBlock. */
  snapshotBlock: z.number().int(),
  deadlineBlock: z.number().int(),
  /** Blocks until voting opens (pending) or closes (active); null in other states. */
  blocksLeft: z.number().int().nullable(),
  /** Queued: when execute becomes possible (seconds since the epoch) and how long from the head's time. */
  eta: z.number().int().nullable(),
  secondsLeft: z.number().int().nullable(),
});
export type Proposal = z.infer<typeof ProposalSchema>;

export const ProposalListSchema = z.object({
  network: z.string(),
  block: z.number().int(),
  /** The head block's time: what the timelock compares eta with. */
  timestamp: z.number().int(),
  proposals: z.array(ProposalSchema),
});
export type ProposalList = z.infer<typeof ProposalListSchema>;

export const VotingPowerParamsSchema = z
  .object({
    ...NetworkParam,
    /** Replaces the default list: dev accounts #0-#3 on the devnet, plus every stored key. */
    addresses: z.array(AddressSchema).max(50).optional(),
    /** Added to the list (the view's current signer, say); an address listed already is not repeated. */
    include: z.array(AddressSchema).max(10).optional(),
  })
  .strict();

export const BuildProposalParamsSchema = z
  .object({
    ...NetworkParam,
    param: GovParamSchema,
    /** Basis points as a decimal integer (fee split: "contributor,modelOwner"), or an address for the treasury. */
    value: z.string().min(1).max(80),
    description: z.string().max(20_000).optional(),
  })
  .strict();
export type BuildProposalParams = z.input<typeof BuildProposalParamsSchema>;

export const BuiltProposalSchema = z.object({
  param: GovParamSchema,
  /** The allowed range, in words (e.g. "0 to 10000 bps"). */
  range: z.string(),
  current: z.string(),
  target: AddressSchema,
  targetContract: z.string(),
  calldata: z.string(),
  /** The calldata decoded back with the ABI, for review. */
  decoded: z.object({ functionName: z.string(), signature: z.string(), args: z.record(z.string(), JsonValueSchema) }),
  description: z.string(),
  /** hashProposal(targets, values, calldatas, keccak(description)): the same change with the same
   * description is the same proposal. */
  proposalId: z.string(),
  /** The governor already has a proposal with this id. */
  exists: z.boolean(),
});
export type BuiltProposal = z.infer<typeof BuiltProposalSchema>;

/** Who signs: a dev account index (devnet only) or a stored key id (any network). */
const SignerParams = {
  ...NetworkParam,
  devAccount: z.number().int().min(0).max(9).optional(),
  keyId: z.string().min(1).max(64).optional(),
};

export const GovWriteParamsSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('propose'), param: GovParamSchema, value: z.string().min(1).max(80), description: z.string().max(20_000).optional(), ...SignerParams }).strict(),
  z.object({ action: z.literal('vote'), proposalId: z.string().regex(/^\d{1,78}$/), support: VoteSupportSchema, reason: z.string().max(2_000).optional(), ...SignerParams }).strict(),
  z.object({ action: z.literal('queue'), proposalId: z.string().regex(/^\d{1,78}$/), ...SignerParams }).strict(),
  z.object({ action: z.literal('execute'), proposalId: z.string().regex(/^\d{1,78}$/), ...SignerParams }).strict(),
  /** `to` defaults to the signer itself. */
  z.object({ action: z.literal('delegate'), to: AddressSchema.optional(), ...SignerParams }).strict(),
  z.object({ action: z.literal('wrap'), amount: z.string().min(1).max(80), ...SignerParams }).strict(),
  z.object({ action: z.literal('unwrap'), amount: z.string().min(1).max(80), ...SignerParams }).strict(),
]);
export type GovWriteParams = z.input<typeof GovWriteParamsSchema>;

export const DevnetAdvanceParamsSchema = z
  .object({
    network: NetworkNameSchema.default('devnet'),
    blocks: z.number().int().min(0).max(10_000),
    seconds: z.number().int().min(0).max(10 * 365 * 86_400).optional(),
  })
  .strict();

export const DevnetAdvanceResultSchema = z.object({ block: z.number().int(), timestamp: z.number().int(), minedBlocks: z.number().int(), increasedSeconds: z.number().int() });
export type DevnetAdvanceResult = z.infer<typeof DevnetAdvanceResultSchema>;
