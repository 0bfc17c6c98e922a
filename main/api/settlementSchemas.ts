import { z } from 'zod';
import { AddressSchema, PublicationSchema } from './chainSchemas';
import { PreparedWriteSchema } from './networkSchemas';

// Settlement of Proof of Attribution (main/attribution): attributed inferences recorded per
// epoch, each epoch settled on the devnet's AttributionLedger as one Merkle batch per model, and
// contributors' claims with proofs made locally. Kept apart from attributionSchemas.ts (the
// attribution result) so the two capabilities grow without touching each other.

const WeiSchema = z.string().regex(/^[0-9]+$/, 'wei as decimal digits');
const BatchIdSchema = z.string().regex(/^[1-9][0-9]{0,19}$/, 'a batch id: a whole number above 0');

export const SettlementStateSchema = z.enum(['closed', 'paying', 'paid', 'posting', 'posted']);

/** One model's settlement in one epoch. */
export const SettledModelSchema = z.object({
  epoch: z.number().int().positive(),
  /** The adapter's name, or the model's when no adapter served. */
  modelKey: z.string(),
  /** closed: amounts fixed; paying/paid: the fees transaction; posting/posted: the batch. */
  state: SettlementStateSchema,
  onchainModelId: z.string().nullable(),
  inferenceCount: z.number().int().nonnegative(),
  feesWei: WeiSchema,
  /** The contributors' part of the fees (contributorFeeBps), what the batch splits. */
  poolWei: WeiSchema.nullable(),
  thresholdBps: z.number().int().nullable(),
  root: z.string().nullable(),
  batchId: z.string().nullable(),
  payTx: z.string().nullable(),
  postTx: z.string().nullable(),
  publicationId: z.string().nullable(),
  /** The batch's leaves: each contributor's amount, summing exactly to poolWei. */
  contributors: z.array(z.object({ address: AddressSchema, amountWei: WeiSchema })),
  /** Contributors whose epoch total fell under the threshold, folded into the others. */
  folded: z.array(z.object({ address: AddressSchema, feeWei: WeiSchema })),
  note: z.string().nullable(),
});

export const EpochSummarySchema = z.object({
  epoch: z.number().int().positive(),
  status: z.enum(['open', 'closed']),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  /** The open epoch's models so far (state null), or each model's settlement. */
  models: z.array(
    z.object({
      modelKey: z.string(),
      inferenceCount: z.number().int().nonnegative(),
      feesWei: WeiSchema,
      state: SettlementStateSchema.nullable(),
      onchainModelId: z.string().nullable(),
      poolWei: WeiSchema.nullable(),
      batchId: z.string().nullable(),
      payTx: z.string().nullable(),
      postTx: z.string().nullable(),
      publicationId: z.string().nullable(),
      contributorCount: z.number().int().nonnegative(),
    }),
  ),
});
export type EpochSummary = z.infer<typeof EpochSummarySchema>;

export const ClaimableBatchSchema = z.object({
  batchId: z.string(),
  epoch: z.number().int().positive(),
  modelKey: z.string(),
  onchainModelId: z.string(),
  amountWei: WeiSchema,
  /** Read from the ledger's hasClaimed. */
  claimed: z.boolean(),
  proof: z.array(z.string()),
  root: z.string(),
});

export const ClaimsSchema = z.object({
  contributor: AddressSchema,
  /** The dev-only label when it is a demo contributor (Studio can sign its claims on the devnet). */
  demoLabel: z.string().nullable(),
  balanceWei: WeiSchema,
  batches: z.array(ClaimableBatchSchema),
});

export const ClaimResultSchema = z.object({
  batchId: z.string(),
  contributor: AddressSchema,
  amountWei: WeiSchema,
  hash: z.string(),
  publication: PublicationSchema.nullable(),
  signer: AddressSchema,
  signerLabel: z.string(),
  balanceBeforeWei: WeiSchema,
  balanceAfterWei: WeiSchema,
  gasFeeWei: WeiSchema,
  /** After minus before, plus the gas the contributor paid when it signed: the amount claimed. */
  receivedWei: WeiSchema,
  gasTopUpWei: WeiSchema.nullable(),
});

const m = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R) => ({ params, result });

/** The settlement API methods, spread into contract.ts's `methods`. Devnet only: settlement
 * pays and posts as dev account #0, the devnet's attribution operator. */
export const settlementMethods = {
  /** Every epoch, newest first, with each model's inferences, fees and settlement state. */
  'attribution.epochs': m(z.object({}).strict(), z.array(EpochSummarySchema)),
  /** Settles `epoch` (default: the open one), finishing any earlier one a crash interrupted. */
  'attribution.settle': m(z.object({ epoch: z.number().int().positive().optional() }).strict(), z.object({ epoch: z.number().int().positive(), models: z.array(SettledModelSchema) })),
  /** What `contributor` can claim: posted batches holding its leaf, with proofs and claimed flags. */
  'attribution.claims': m(z.object({ contributor: AddressSchema }).strict(), ClaimsSchema),
  /** Claims batch `batchId` (default: every unclaimed one) for `contributor`, signed by the demo
   * contributor's dev-only key, or by dev account `devAccount` (the OPEN goes to the contributor
   * either way). A claim the ledger would refuse fails with CLAIM_REFUSED (details.reason: the
   * contract's error name) before anything is sent. */
  'attribution.claim': m(
    z.object({ contributor: AddressSchema, batchId: BatchIdSchema.optional(), devAccount: z.number().int().min(0).max(9).optional() }).strict(),
    z.object({ claims: z.array(ClaimResultSchema) }),
  ),
  /** A claim as a prepared write, signed by a stored key (`keyId`) or a dev account, to send with
   * chain.confirmWrite. Checked like attribution.claim first (CLAIM_REFUSED). */
  'attribution.prepareClaim': m(
    z.object({ contributor: AddressSchema, batchId: BatchIdSchema, keyId: z.string().min(1).max(64).optional(), devAccount: z.number().int().min(0).max(9).optional() }).strict(),
    PreparedWriteSchema,
  ),
};
