// The one way other capabilities put protocol facts on chain: a datanet version, a base model or
// adapter, an attribution batch, a reward claim. Each call is a row in `publications`, written
// 'pending' before sending and settled from the receipt. Bad input fails before any row exists;
// a revert leaves a 'failed' row with the decoded custom error, never a published one.
import { toApiError, StudioError } from '../../api/apiError';
import { PublishRequestSchema, type Publication, type PublishRequest } from '../../api/chainSchemas';
import type { Db } from '../../workspace/openDatabase';
import { retryWhileBusy } from '../../workspace/retryWhileBusy';
import { convertArgs } from '../writes/convertArgs';
import type { DevnetService } from '../devnet/devnetService';
import { insertPending, publicPublication, updatePublication } from './publicationsRepository';
import { sendAsDevAccount } from '../writes/sendAsDevAccount';

interface Planned {
  contract: string;
  functionName: string;
  args: unknown[];
  title: string;
  /** Wei sent with the call (a submission's stake). */
  value?: bigint;
}

const short = (hex: string) => `${hex.slice(0, 10)}…`;

function plan(req: ReturnType<typeof PublishRequestSchema.parse>): Planned {
  switch (req.kind) {
    case 'datanet.version':
      return {
        contract: 'DatanetRegistry',
        functionName: 'commitVersion',
        args: [req.datanetId, req.merkleRoot, req.snapshotSha256, req.recordCount],
        title: `Datanet ${req.datanetId}: version with ${req.recordCount} records (root ${short(req.merkleRoot)})`,
      };
    case 'datanet.submission':
      return {
        contract: 'DatanetRegistry',
        functionName: 'submit',
        args: [req.datanetId, req.recordBatchHash, req.uri],
        value: BigInt(req.stake),
        title: `Datanet ${req.datanetId}: submission of batch ${short(req.recordBatchHash)}`,
      };
    case 'datanet.submissionReview':
      return req.decision === 'accept'
        ? { contract: 'DatanetRegistry', functionName: 'accept', args: [req.submissionId], title: `Submission ${req.submissionId} accepted` }
        : {
            contract: 'DatanetRegistry',
            functionName: 'reject',
            args: [req.submissionId, req.decision === 'slash'],
            title: `Submission ${req.submissionId} ${req.decision === 'slash' ? 'rejected as adversarial (slashed)' : 'rejected'}`,
          };
    case 'model.base':
      return { contract: 'ModelRegistry', functionName: 'registerBaseModel', args: [req.filesHash, req.uri], title: `Base model ${req.uri || short(req.filesHash)}` };
    case 'model.adapter':
      return {
        contract: 'ModelRegistry',
        functionName: 'registerAdapter',
        args: [req.baseModelId, req.filesHash, req.configHash, req.datanetVersions, req.uri],
        title: `Adapter on model ${req.baseModelId} (${req.uri || short(req.filesHash)})`,
      };
    case 'attribution.batch':
      return {
        contract: 'AttributionLedger',
        functionName: 'postBatch',
        args: [req.merkleRoot, req.modelId, req.total, req.inferenceCount, req.uri],
        title: `Attribution batch for model ${req.modelId}: ${req.inferenceCount} inferences`,
      };
    case 'rewards.claim':
      return {
        contract: 'AttributionLedger',
        functionName: 'claim',
        args: [req.batchId, req.contributor, req.amount, req.proof],
        title: `Claim of batch ${req.batchId} for ${req.contributor}`,
      };
  }
}

export class PublishingService {
  constructor(
    private readonly db: Db,
    private readonly devnet: DevnetService,
    private readonly announce: (p: Publication) => void,
  ) {}

  async publish(input: PublishRequest): Promise<Publication> {
    const req = PublishRequestSchema.parse(input);
    const explorer = this.devnet.explorer();
    const planned = plan(req);
    // Validate every argument against the ABI before anything is recorded or sent.
    convertArgs(explorer.abiFunction(planned.contract, planned.functionName, planned.args.length), planned.args);
    const row = insertPending(this.db, {
      kind: req.kind,
      title: planned.title,
      chainId: this.devnet.devnetChainId,
      contract: planned.contract,
      functionName: planned.functionName,
      params: req,
    });
    this.announce(publicPublication(row));
    let hashWritten: Promise<void> = Promise.resolve();
    try {
      const outcome = await sendAsDevAccount(
        explorer,
        {
          contract: planned.contract,
          functionName: planned.functionName,
          args: planned.args,
          from: req.from,
          devnetChainId: this.devnet.devnetChainId,
          ...(planned.value !== undefined ? { value: planned.value } : {}),
        },
        // Sent: from here the row must record what happened even if an import's commit holds the
        // write lock just now (retryWhileBusy waits for it without blocking the core).
        (hash) => void (hashWritten = retryWhileBusy(() => this.announce(updatePublication(this.db, row.id, { txHash: hash })))),
      );
      await hashWritten;
      const done = await retryWhileBusy(() =>
        updatePublication(this.db, row.id, {
          status: 'confirmed',
          blockNumber: Number(outcome.receipt.blockNumber),
          blockHash: outcome.receipt.blockHash,
          result: outcome.result,
        }),
      );
      this.announce(done);
      return done;
    } catch (err) {
      const error = toApiError(err);
      await hashWritten.catch(() => {});
      const failed = await retryWhileBusy(() => updatePublication(this.db, row.id, { status: 'failed', error }));
      this.announce(failed);
      const details = { ...(typeof error.details === 'object' && error.details !== null ? error.details : {}), publicationId: row.id };
      throw new StudioError(error.code, error.message, details);
    }
  }
}
