import { z } from 'zod';
import { AddressSchema, DecodedLogSchema, JsonValueSchema, PublicationKindSchema, PublicationSchema, TxHashSchema } from './chainSchemas';

/**
 * Shapes of remote networks, keys and two-step writes (prepare, show, confirm). Wei amounts are
 * decimal strings; `...Formatted` fields are in the network's currency. No shape here ever
 * carries a private key out of the core.
 */

// Defined in the schema-free constants module so the renderer can import it without zod.
export { DEVNET_NETWORK } from './constants';

export const NetworkNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'a network name: 1-40 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');

export const RpcUrlSchema = z
  .string()
  .max(2048)
  .refine((u) => {
    try {
      const url = new URL(u);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'an http:// or https:// URL of a JSON-RPC endpoint');

export const ChainIdSchema = z.number().int('a whole number').min(1, 'at least 1').max(Number.MAX_SAFE_INTEGER);

export const NetworkSchema = z.object({
  name: z.string(),
  /** The local devnet: always listed, cannot be removed; rpcUrl is null while it is stopped. */
  builtIn: z.boolean(),
  rpcUrl: z.string().nullable(),
  chainId: z.number().int(),
  currencySymbol: z.string(),
  /** Protocol contract name → address on this network (empty when not deployed there). */
  contracts: z.record(z.string(), AddressSchema),
  createdAt: z.string().nullable(),
});
export type Network = z.infer<typeof NetworkSchema>;

export const NetworkAddParamsSchema = z
  .object({
    name: NetworkNameSchema,
    rpcUrl: RpcUrlSchema,
    chainId: ChainIdSchema,
    currencySymbol: z.string().regex(/^[A-Za-z0-9]{1,12}$/, '1-12 letters or digits, e.g. OPEN or ETH').default('ETH'),
    contracts: z.record(z.string().max(64), AddressSchema).default({}),
  })
  .strict();
export type NetworkAddParams = z.input<typeof NetworkAddParamsSchema>;

export const NetworkCheckSchema = z.object({
  name: z.string(),
  rpcUrl: z.string(),
  chainId: z.number().int(),
  /** What eth_chainId answered (equal to chainId, or the check fails with CHAIN_ID_MISMATCH). */
  reportedChainId: z.number().int(),
  block: z.number().int(),
  latencyMs: z.number(),
  /** Publications on this network whose status the check brought up to date (a pending one
   * left by a crash is confirmed or failed; a confirmed one whose transaction is gone is lost).
   * Null where the check did not reconcile: the devnet (it does on every start), the CLI's
   * lock-free `network check`. */
  publicationsUpdated: z.number().int().nullable(),
});
export type NetworkCheck = z.infer<typeof NetworkCheckSchema>;

export const KeyInfoSchema = z.object({
  id: z.string(),
  address: AddressSchema,
  label: z.string(),
  /** Which backend sealed it: 'keystore-v3' (passphrase) or, in the desktop app, the OS keychain. */
  backend: z.string(),
  /** One of Anvil's published dev keys: refused on every network but the local devnet. */
  devAccount: z.boolean(),
  createdAt: z.string(),
});
export type KeyInfo = z.infer<typeof KeyInfoSchema>;

// Optional at the boundary: the passphrase keystore backend refuses a missing one, the OS-keychain
// backend of the desktop app needs none.
const PassphraseSchema = z.string().min(1).max(1024);
export const KeyLabelSchema = z.string().min(1).max(80);

export const KeyCreateParamsSchema = z.object({ label: KeyLabelSchema.optional(), passphrase: PassphraseSchema.optional() }).strict();
/** The private key is checked without ever being echoed in an error. */
export const KeyImportParamsSchema = z
  .object({
    privateKey: z.string().regex(/^(0x)?[0-9a-fA-F]{64}$/, 'a private key: 64 hex digits, optionally after 0x'),
    label: KeyLabelSchema.optional(),
    passphrase: PassphraseSchema.optional(),
  })
  .strict();

export const PrepareWriteParamsSchema = z
  .object({
    network: NetworkNameSchema,
    /** A protocol contract recorded for the network… */
    contract: z.string().min(1).max(64).optional(),
    /** …or any address, with the protocol ABI (a contract name) to encode and decode with. */
    address: AddressSchema.optional(),
    abi: z.string().min(1).max(64).optional(),
    functionName: z.string().min(1).max(128),
    args: z.array(z.unknown()).max(32).default([]),
    /** Native currency to send, as a decimal string in the network's currency ("1.5"). */
    value: z.string().max(80).optional(),
    /** Key id (keys.list). */
    from: z.string().min(1).max(64),
  })
  .strict();
export type PrepareWriteParams = z.input<typeof PrepareWriteParamsSchema>;

export const FeeEstimateSchema = z.object({
  /** gasLimit × maxFeePerGas (or gasPrice): the most the execution can cost, in wei. */
  maxExecutionFee: z.string(),
  /** OP Stack L1 data fee from the GasPriceOracle predeploy; null where the chain has none. */
  l1DataFee: z.string().nullable(),
  /** maxExecutionFee + l1DataFee, in wei, and formatted in the network's currency. */
  total: z.string(),
  totalFormatted: z.string(),
  currencySymbol: z.string(),
  /** EIP-1559 caps (wei), or gasPrice on legacy chains. */
  maxFeePerGas: z.string().nullable(),
  maxPriorityFeePerGas: z.string().nullable(),
  gasPrice: z.string().nullable(),
});
export type FeeEstimate = z.infer<typeof FeeEstimateSchema>;

/** What a confirm dialog shows. Nothing has been signed or sent yet. */
export const PreparedWriteSchema = z.object({
  preparedId: z.string(),
  network: z.string(),
  chainId: z.number().int(),
  rpcUrl: z.string(),
  from: AddressSchema,
  fromLabel: z.string(),
  /** The stored key that signs, or "dev:N" when devAccount is set. */
  keyId: z.string(),
  /** Set when Anvil's dev account N signs (the devnet only; governance's writes there): confirming
   * needs no passphrase. */
  devAccount: z.number().int().nullable(),
  to: AddressSchema,
  contractName: z.string(),
  call: z.object({
    functionName: z.string(),
    /** e.g. "createDatanet(string metadataURI, uint256 submissionStake)". */
    signature: z.string(),
    /** Named arguments as encoded (bigints as decimal strings). */
    args: z.record(z.string(), JsonValueSchema),
  }),
  /** Wei, and formatted in the network's currency. */
  value: z.string(),
  valueFormatted: z.string(),
  gasLimit: z.string(),
  fee: FeeEstimateSchema,
  /** What the simulation returned (bigints as strings). */
  simulatedResult: JsonValueSchema,
  /** When set, confirming records a publication of this kind. */
  publicationKind: PublicationKindSchema.nullable(),
  /** After this (ISO time) confirmWrite refuses it: fees and state move. */
  expiresAt: z.string(),
});
export type PreparedWrite = z.infer<typeof PreparedWriteSchema>;

export const DiscardWriteParamsSchema = z.object({ preparedId: z.string().min(1).max(64) }).strict();
/** discarded is false when the id was unknown, expired or already being confirmed. */
export const DiscardWriteResultSchema = z.object({ discarded: z.boolean() });

export const ConfirmWriteParamsSchema = z.object({ preparedId: z.string().min(1).max(64), passphrase: z.string().max(1024).optional() }).strict();

export const ConfirmWriteResultSchema = z.object({
  hash: TxHashSchema,
  status: z.enum(['success', 'reverted']),
  network: z.string(),
  chainId: z.number().int(),
  blockNumber: z.number().int(),
  gasUsed: z.number().int(),
  /** Wei actually paid for execution (gasUsed × effectiveGasPrice). */
  fee: z.string(),
  result: JsonValueSchema,
  events: z.array(DecodedLogSchema),
  publication: PublicationSchema.nullable(),
});
export type ConfirmWriteResult = z.infer<typeof ConfirmWriteResultSchema>;
