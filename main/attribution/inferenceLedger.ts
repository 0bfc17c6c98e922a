// The inference ledger: every attributed inference records its fee and its contributors' part of
// it, in wei, in the current open epoch. Settlement (settleEpoch.ts) closes the epoch and pays each
// model's fees in, then posts one Merkle batch per model.
//
// The fee is the workspace setting `attribution.feeWeiPerInference` (default 0.01 OPEN), flat per
// inference: a per-token price would make long answers pay more for the same attribution work,
// and a flat fee keeps what a user is charged predictable. A caller may pass its own fee.
//
// Exactness: each inference's fee is split over its contributors' shares (already thresholded and
// renormalised by the attribution) by the largest remainder (splitWei.ts), so the parts of one
// inference sum to its fee to the wei, and an epoch's per-contributor totals, summed as bigints,
// sum to the epoch's fees. No float is ever added up.
import { getAddress, isAddress } from 'viem';
import { ErrorCode, StudioError } from '../api/apiError';
import { readSettings } from '../workspace/settingsStore';
import type { Db } from '../workspace/openDatabase';
import { shareWeight, splitWei } from './splitWei';

export interface InferenceToRecord {
  /** The served model name (the base, or the adapter's name as /v1 knows it). */
  model: string;
  adapter: string | null;
  /** The model's id on the devnet's ModelRegistry, when the caller knows it. */
  onchainModelId?: string | null;
  datanet: { name: string; version: number; root: string };
  /** Shares after the threshold, summing to 1 (ResponseAttribution.contributors). */
  contributors: readonly { address: string; share: number }[];
  /** Wei, decimal digits; the workspace setting when absent. */
  feeWei?: string;
}

/** What ResponseAttribution.inference holds. */
export interface RecordedInference {
  id: number;
  epoch: number;
  feeWei: string;
}

/**
 * Shares come from float arithmetic, each rounded to millionths by the attribution
 * (attributeResponse.ts), so their sum may miss 1 by up to half a millionth per contributor: with
 * 15 demo contributors 0.999999 is a correct sum. The fee is split by the shares' weights, so
 * the tolerance only decides what counts as "sums to 1", never who gets what.
 */
const shareSumTolerance = (contributors: number): number => 1e-6 + contributors * 5e-7;

function bad(field: string, message: string): StudioError {
  return new StudioError(ErrorCode.InvalidRequest, `recordInference: ${field}: ${message}`, { field });
}

/** The open epoch's number, opening epoch 1 in a workspace that has none. */
export function currentEpoch(db: Db): number {
  const open = db.prepare("SELECT epoch FROM attribution_epochs WHERE status = 'open'").pluck().get() as number | undefined;
  if (open !== undefined) return open;
  const last = (db.prepare('SELECT MAX(epoch) FROM attribution_epochs').pluck().get() as number | null) ?? 0;
  db.prepare("INSERT INTO attribution_epochs (epoch, status, opened_at) VALUES (?, 'open', ?)").run(last + 1, new Date().toISOString());
  return last + 1;
}

/** The key an inference settles under: one on-chain model per adapter, or per base model. */
export function modelKeyOf(model: string, adapter: string | null): string {
  return adapter ?? model;
}

/**
 * Records one attributed inference in the current epoch and returns its id, epoch and fee. An
 * inference with no contributors (nothing in the datanet shaped it) has nobody to pay: it is not
 * recorded and null comes back. Bad input throws INVALID_REQUEST naming the field; nothing is
 * stored then.
 */
export function recordInference(db: Db, input: InferenceToRecord): RecordedInference | null {
  if (!input.model.trim()) throw bad('model', 'empty model name');
  if (input.onchainModelId != null && !/^[1-9][0-9]*$/.test(input.onchainModelId)) throw bad('onchainModelId', `${JSON.stringify(input.onchainModelId)} is not a model id (a whole number above 0)`);
  if (!Number.isInteger(input.datanet.version) || input.datanet.version < 1) throw bad('datanet.version', `${input.datanet.version} is not a version (1 or more)`);
  const feeText = input.feeWei ?? readSettings(db).attribution.feeWeiPerInference;
  if (!/^[1-9][0-9]{0,30}$/.test(feeText)) throw bad('feeWei', `${JSON.stringify(feeText)} is not a fee in wei (a whole number above 0)`);
  const fee = BigInt(feeText);
  if (input.contributors.length === 0) return null;

  const weights = new Map<string, bigint>();
  const shares = new Map<string, number>();
  let sum = 0;
  input.contributors.forEach((c, i) => {
    if (!isAddress(c.address, { strict: false })) throw bad(`contributors[${i}].address`, `${JSON.stringify(c.address)} is not an address`);
    if (!Number.isFinite(c.share) || c.share <= 0 || c.share > 1) throw bad(`contributors[${i}].share`, `${c.share} is not a share in (0, 1]`);
    const address = getAddress(c.address);
    if (weights.has(address)) throw bad(`contributors[${i}].address`, `${address} is listed twice`);
    weights.set(address, shareWeight(c.share));
    shares.set(address, c.share);
    sum += c.share;
  });
  if (Math.abs(sum - 1) > shareSumTolerance(input.contributors.length)) throw bad('contributors', `the shares sum to ${sum}, not 1 (they are the shares after the threshold, renormalised)`);
  const parts = splitWei(fee, weights);

  const now = new Date().toISOString();
  return db.transaction((): RecordedInference => {
    const epoch = currentEpoch(db);
    const id = Number(
      db
        .prepare(
          `INSERT INTO attribution_inferences (epoch, model_key, model, adapter, onchain_model_id, datanet, datanet_root, fee_wei, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(epoch, modelKeyOf(input.model, input.adapter), input.model, input.adapter, input.onchainModelId ?? null, `${input.datanet.name}@${input.datanet.version}`, input.datanet.root, fee.toString(), now).lastInsertRowid,
    );
    const insert = db.prepare('INSERT INTO attribution_inference_shares (inference_id, contributor, share, fee_wei) VALUES (?, ?, ?, ?)');
    for (const [address, part] of parts) insert.run(id, address, shares.get(address)!, part.toString());
    return { id, epoch, feeWei: fee.toString() };
  })();
}

/** One model's fees in one epoch: per contributor and in total, exact. */
export interface EpochModelFees {
  modelKey: string;
  inferenceCount: number;
  feesWei: bigint;
  /** Each contributor's part of the fees, summed over the epoch's inferences. */
  byContributor: Map<string, bigint>;
  /** The on-chain id the inferences named, if any did (the latest one). */
  onchainModelId: string | null;
}

/** The fees of every model recorded in `epoch`, summed as bigints. */
export function epochFees(db: Db, epoch: number): EpochModelFees[] {
  const out = new Map<string, EpochModelFees>();
  const inferences = db.prepare('SELECT id, model_key, onchain_model_id, fee_wei FROM attribution_inferences WHERE epoch = ? ORDER BY id').all(epoch) as {
    id: number;
    model_key: string;
    onchain_model_id: string | null;
    fee_wei: string;
  }[];
  for (const inf of inferences) {
    const m = out.get(inf.model_key) ?? { modelKey: inf.model_key, inferenceCount: 0, feesWei: 0n, byContributor: new Map<string, bigint>(), onchainModelId: null };
    m.inferenceCount += 1;
    m.feesWei += BigInt(inf.fee_wei);
    if (inf.onchain_model_id) m.onchainModelId = inf.onchain_model_id;
    out.set(inf.model_key, m);
  }
  const shares = db
    .prepare('SELECT i.model_key, s.contributor, s.fee_wei FROM attribution_inference_shares s JOIN attribution_inferences i ON i.id = s.inference_id WHERE i.epoch = ?')
    .all(epoch) as { model_key: string; contributor: string; fee_wei: string }[];
  for (const s of shares) {
    const m = out.get(s.model_key)!;
    m.byContributor.set(s.contributor, (m.byContributor.get(s.contributor) ?? 0n) + BigInt(s.fee_wei));
  }
  return [...out.values()].sort((a, b) => (a.modelKey < b.modelKey ? -1 : a.modelKey > b.modelKey ? 1 : 0));
}
