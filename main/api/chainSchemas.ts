import { z } from 'zod';
import { addressProblem } from './checkAddress';

/**
 * Shapes of the chain capability (local devnet, explorer, publications). Numbers that can pass
 * 2^53 (wei amounts, gas prices, uint256 results) cross as decimal strings; block numbers and gas
 * used stay numbers (a devnet never gets near 2^53 blocks). Addresses are checksummed 0x strings.
 */

export const AddressSchema = z.string().superRefine((text, ctx) => {
  const problem = addressProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export const TxHashSchema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a transaction hash: 0x followed by 64 hex digits');

/** Any JSON value: decoded arguments, results and event fields (bigints as decimal strings). */
export const JsonValueSchema: z.ZodType<unknown> = z.unknown();

export const ChainStateSchema = z.enum(['starting', 'running', 'stopped', 'error']);

export const ChainStatusSchema = z.object({
  state: ChainStateSchema,
  running: z.boolean(),
  rpcUrl: z.string().nullable(),
  chainId: z.number().int(),
  /** Latest block number, null while stopped. */
  block: z.number().int().nullable(),
  /** Protocol contract name → address of the current deployment on this chain. */
  contracts: z.record(z.string(), AddressSchema),
  currencySymbol: z.string(),
  /** 0 = a block per transaction. */
  blockTimeSeconds: z.number().int(),
  /** child: this process runs and supervises Anvil; detached: left running by `studio devnet
   * start`; adopted: a detached devnet this process found running and uses. */
  managedBy: z.enum(['child', 'detached', 'adopted']).nullable(),
  pid: z.number().int().nullable(),
  restarts: z.number().int(),
  deployment: z.object({ id: z.number().int(), block: z.number().int(), deployedAt: z.string(), reason: z.string() }).nullable(),
  /** Why state is 'error' (or the last problem), for people. */
  error: z.string().nullable(),
});
export type ChainStatus = z.infer<typeof ChainStatusSchema>;

export const BlockSummarySchema = z.object({
  number: z.number().int(),
  hash: z.string(),
  /** Unix seconds. */
  timestamp: z.number().int(),
  transactionCount: z.number().int(),
  gasUsed: z.number().int(),
  baseFeePerGas: z.string().nullable(),
});
export type BlockSummary = z.infer<typeof BlockSummarySchema>;

export const TransactionSummarySchema = z.object({
  hash: TxHashSchema,
  from: AddressSchema,
  to: AddressSchema.nullable(),
  /** Protocol contract name of `to`, when it is one. */
  contractName: z.string().nullable(),
  /** Decoded function name when `to` is a protocol contract, else null. */
  functionName: z.string().nullable(),
  /** Wei, decimal string. */
  value: z.string(),
});
export type TransactionSummary = z.infer<typeof TransactionSummarySchema>;

export const BlockDetailSchema = BlockSummarySchema.extend({
  parentHash: z.string(),
  miner: z.string(),
  gasLimit: z.number().int(),
  transactions: z.array(TransactionSummarySchema),
});
export type BlockDetail = z.infer<typeof BlockDetailSchema>;

export const DecodedLogSchema = z.object({
  blockNumber: z.number().int(),
  transactionHash: z.string(),
  logIndex: z.number().int(),
  address: AddressSchema,
  contractName: z.string().nullable(),
  /** Null when no protocol ABI knows the event. */
  eventName: z.string().nullable(),
  /** Named fields (bigints as decimal strings); raw topics and data when not decoded. */
  args: z.record(z.string(), JsonValueSchema),
  /** The Solidity type of each field in `args` ("uint256", "address", "(uint256,bytes32)[]"),
   * keyed like `args`; absent when the event was not decoded. */
  argTypes: z.record(z.string(), z.string()).optional(),
});
export type DecodedLog = z.infer<typeof DecodedLogSchema>;

export const DecodedRevertSchema = z.object({
  errorName: z.string(),
  /** Positional, as declared. */
  args: z.array(JsonValueSchema),
  /** The same values by input name (index when unnamed); empty when the error is unknown. */
  namedArgs: z.record(z.string(), JsonValueSchema).optional(),
  /** e.g. "InsufficientWrapped(address,uint256,uint256)"; null when no ABI knows the error. */
  signature: z.string().nullable().optional(),
  message: z.string(),
});
export type DecodedRevertData = z.infer<typeof DecodedRevertSchema>;

export const TransactionDetailSchema = z.object({
  hash: TxHashSchema,
  status: z.enum(['success', 'reverted', 'pending']),
  blockNumber: z.number().int().nullable(),
  from: AddressSchema,
  fromLabel: z.string().nullable(),
  to: AddressSchema.nullable(),
  toLabel: z.string().nullable(),
  contractName: z.string().nullable(),
  /** The contract a deployment created. */
  createdContract: AddressSchema.nullable(),
  value: z.string(),
  nonce: z.number().int(),
  gasLimit: z.number().int(),
  gasUsed: z.number().int().nullable(),
  effectiveGasPrice: z.string().nullable(),
  /** gasUsed × effectiveGasPrice in wei (L2 execution fee; the L1 data fee is not included). */
  fee: z.string().nullable(),
  /** Decoded with the protocol ABIs; null for plain transfers and unknown calls. */
  call: z.object({ functionName: z.string(), args: z.record(z.string(), JsonValueSchema) }).nullable(),
  input: z.string(),
  events: z.array(DecodedLogSchema),
  /** For a reverted transaction: the custom error re-derived by replaying the call. */
  revert: DecodedRevertSchema.nullable(),
});
export type TransactionDetail = z.infer<typeof TransactionDetailSchema>;

export const AccountInfoSchema = z.object({
  address: AddressSchema,
  /** Wei, decimal string; balanceFormatted is in the native currency (OPEN). */
  balance: z.string(),
  balanceFormatted: z.string(),
  nonce: z.number().int(),
  isContract: z.boolean(),
  contractName: z.string().nullable(),
  /** e.g. "Anvil dev account #0 (public key, devnet only)" or "DatanetRegistry (protocol contract)". */
  label: z.string().nullable(),
  devAccountIndex: z.number().int().nullable(),
});
export type AccountInfo = z.infer<typeof AccountInfoSchema>;

/** A dev account on the local devnet (chain.devAccounts). */
export const DevAccountInfoSchema = z.object({
  index: z.number().int(),
  address: AddressSchema,
  /** e.g. "Anvil dev account #0 (public key, devnet only)". */
  label: z.string(),
  /** Wei, decimal string; balanceFormatted is in the native currency (OPEN). */
  balance: z.string(),
  balanceFormatted: z.string(),
  nonce: z.number().int(),
});
export type DevAccountInfo = z.infer<typeof DevAccountInfoSchema>;

/** A row of chain.transactions: a block's transaction with its outcome, decoded and labelled. */
export const TransactionListItemSchema = TransactionSummarySchema.extend({
  blockNumber: z.number().int(),
  /** The block's, in seconds since the epoch. */
  timestamp: z.number().int(),
  fromLabel: z.string().nullable(),
  toLabel: z.string().nullable(),
  status: z.enum(['success', 'reverted']),
});
export type TransactionListItem = z.infer<typeof TransactionListItemSchema>;

export const TransactionPageSchema = z.object({
  /** Newest first; whole blocks, so a page can pass `limit` by the rest of its last block. */
  transactions: z.array(TransactionListItemSchema),
  /** Pass as `before` for the next (older) page; null once block 0 was scanned. A page may be
   * short, even empty, when it scanned its block budget without filling up: go on with it. */
  nextBefore: z.number().int().nullable(),
});
export type TransactionPage = z.infer<typeof TransactionPageSchema>;

/** A snapshot taken through chain.snapshot (held in the core's memory, like Anvil's). */
export const SnapshotInfoSchema = z.object({
  id: z.string(),
  /** The head when it was taken. */
  block: z.number().int(),
  /** ISO 8601. */
  takenAt: z.string(),
  label: z.string().optional(),
});
export type SnapshotInfo = z.infer<typeof SnapshotInfoSchema>;

export const ContractInfoSchema = z.object({
  name: z.string(),
  address: AddressSchema,
  /** The JSON ABI: read forms list view/pure functions, write forms the others. */
  abi: z.array(z.record(z.string(), z.unknown())),
});
export type ContractInfo = z.infer<typeof ContractInfoSchema>;

/** A protocol contract's ABI alone (no address): chain.abis. */
export const ContractAbiSchema = ContractInfoSchema.omit({ address: true });
export type ContractAbi = z.infer<typeof ContractAbiSchema>;

/** Arguments for read/write: JSON values or strings, converted per ABI type by the core
 * (integers as numbers or decimal/hex strings, arrays and tuples as arrays or JSON text). */
export const ContractCallParamsSchema = z
  .object({
    contract: z.string().min(1).max(64),
    functionName: z.string().min(1).max(128),
    args: z.array(z.unknown()).max(32).default([]),
  })
  .strict();

export const ContractWriteParamsSchema = ContractCallParamsSchema.extend({
  /** Native currency to send, in OPEN as a decimal string ("1.5"). */
  value: z.string().max(80).optional(),
  /** Dev account index; accepted on the local devnet only. */
  from: z.number().int().min(0).max(9).default(0),
}).strict();

export const WriteResultSchema = z.object({
  hash: TxHashSchema,
  status: z.enum(['success', 'reverted']),
  blockNumber: z.number().int(),
  gasUsed: z.number().int(),
  /** What the function returned in the simulation right before sending. */
  result: JsonValueSchema,
  events: z.array(DecodedLogSchema),
});
export type WriteResult = z.infer<typeof WriteResultSchema>;

export const PublicationKindSchema = z.enum(['datanet.version', 'datanet.submission', 'datanet.submissionReview', 'model.base', 'model.adapter', 'attribution.batch', 'rewards.claim']);
export type PublicationKind = z.infer<typeof PublicationKindSchema>;
export const PublicationStatusSchema = z.enum(['pending', 'confirmed', 'failed', 'lost']);
export type PublicationStatus = z.infer<typeof PublicationStatusSchema>;

export const PublicationSchema = z.object({
  id: z.string(),
  kind: PublicationKindSchema,
  title: z.string(),
  status: PublicationStatusSchema,
  /** Shown as published only when confirmed; 'lost' means the chain no longer has it. */
  published: z.boolean(),
  chainId: z.number().int(),
  contract: z.string(),
  functionName: z.string(),
  params: JsonValueSchema,
  txHash: z.string().nullable(),
  blockNumber: z.number().int().nullable(),
  /** What the call returned (e.g. the new model id), bigints as strings. */
  result: JsonValueSchema.nullable(),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Publication = z.infer<typeof PublicationSchema>;

const Bytes32Schema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a 32-byte hex value: 0x followed by 64 hex digits');
const UintSchema = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'a whole number as decimal digits')]);

/** What other capabilities publish; each kind maps to one protocol function. */
export const PublishRequestSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('datanet.version'),
      from: z.number().int().min(0).max(9).default(0),
      datanetId: UintSchema,
      merkleRoot: Bytes32Schema,
      snapshotSha256: Bytes32Schema,
      recordCount: UintSchema,
    })
    .strict(),
  /** A contributor's staked record batch (sent from the contributor's dev account `from`). */
  z
    .object({
      kind: z.literal('datanet.submission'),
      from: z.number().int().min(0).max(9).default(0),
      datanetId: UintSchema,
      recordBatchHash: Bytes32Schema,
      uri: z.string().max(2048),
      /** Wei, decimal string: exactly the datanet's submission stake. */
      stake: UintSchema,
    })
    .strict(),
  /** A curator's decision on a pending submission; 'slash' is reject(id, adversarial = true). */
  z
    .object({
      kind: z.literal('datanet.submissionReview'),
      from: z.number().int().min(0).max(9).default(0),
      submissionId: UintSchema,
      decision: z.enum(['accept', 'reject', 'slash']),
    })
    .strict(),
  z.object({ kind: z.literal('model.base'), from: z.number().int().min(0).max(9).default(0), filesHash: Bytes32Schema, uri: z.string().max(2048) }).strict(),
  z
    .object({
      kind: z.literal('model.adapter'),
      from: z.number().int().min(0).max(9).default(0),
      baseModelId: UintSchema,
      filesHash: Bytes32Schema,
      configHash: Bytes32Schema,
      datanetVersions: z.array(z.object({ datanetId: UintSchema, version: UintSchema }).strict()).max(256),
      uri: z.string().max(2048),
    })
    .strict(),
  z
    .object({
      kind: z.literal('attribution.batch'),
      from: z.number().int().min(0).max(9).default(0),
      merkleRoot: Bytes32Schema,
      modelId: UintSchema,
      /** Wei, decimal string. */
      total: UintSchema,
      inferenceCount: UintSchema,
      uri: z.string().max(2048),
    })
    .strict(),
  z
    .object({
      kind: z.literal('rewards.claim'),
      from: z.number().int().min(0).max(9).default(0),
      batchId: UintSchema,
      contributor: AddressSchema,
      /** Wei, decimal string. */
      amount: UintSchema,
      proof: z.array(Bytes32Schema).max(64),
    })
    .strict(),
]);
export type PublishRequest = z.input<typeof PublishRequestSchema>;
