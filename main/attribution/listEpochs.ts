import type { EpochSummary } from '../api/settlementSchemas';
import type { Db } from '../workspace/openDatabase';
import { currentEpoch, epochFees } from './inferenceLedger';
import { settledModel } from './settleEpoch';
import { listSettlements } from './settlementsRepository';

/** Every epoch, newest first: the open one with what it has recorded so far, the closed ones
 * with each model's settlement. */
export function listEpochs(db: Db): EpochSummary[] {
  currentEpoch(db);
  const epochs = db.prepare('SELECT epoch, status, opened_at, closed_at FROM attribution_epochs ORDER BY epoch DESC').all() as { epoch: number; status: 'open' | 'closed'; opened_at: string; closed_at: string | null }[];
  return epochs.map((e) => ({
    epoch: e.epoch,
    status: e.status,
    openedAt: e.opened_at,
    closedAt: e.closed_at,
    models:
      e.status === 'open'
        ? epochFees(db, e.epoch).map((m) => ({
            modelKey: m.modelKey,
            inferenceCount: m.inferenceCount,
            feesWei: m.feesWei.toString(),
            state: null,
            onchainModelId: m.onchainModelId,
            poolWei: null,
            batchId: null,
            payTx: null,
            postTx: null,
            publicationId: null,
            contributorCount: m.byContributor.size,
          }))
        : listSettlements(db, e.epoch).map((row) => {
            const s = settledModel(row);
            return {
              modelKey: s.modelKey,
              inferenceCount: s.inferenceCount,
              feesWei: s.feesWei,
              state: s.state,
              onchainModelId: s.onchainModelId,
              poolWei: s.poolWei,
              batchId: s.batchId,
              payTx: s.payTx,
              postTx: s.postTx,
              publicationId: s.publicationId,
              contributorCount: s.contributors.length,
            };
          }),
  }));
}
