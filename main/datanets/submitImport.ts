import { ErrorCode, StudioError } from '../api/apiError';
import type { DevnetService } from '../chain/devnet/devnetService';
import { devAccountByAddress } from '../chain/keys/devKeys';
import type { PublishingService } from '../chain/publishing/publishingService';
import type { Db } from '../workspace/openDatabase';
import { ensureOnchainDatanet } from './ensureOnchainDatanet';
import type { RecordLeaf } from './recordLeaf';
import { reviewRecords } from './reviewRecords';
import { merkleOf } from './versionMerkle';

export interface SubmissionRow {
  id: number;
  importId: number;
  contributor: string;
  records: number;
  batchRoot: string;
  onchainDatanetId: string;
  onchainSubmissionId: string | null;
  stake: string;
  status: 'pending' | 'accepted' | 'rejected' | 'slashed';
  publicationId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The batch hash of an import's records from one contributor: the Merkle root of their
 * (contributor, contentHash) leaves in record order, the same leaves versions use. */
export function batchRoot(db: Db, importId: number, contributor: string): { root: string; records: number } {
  const leaves = db.prepare('SELECT contributor, content_hash FROM datanet_records WHERE import_id = ? AND contributor = ? ORDER BY id').raw().iterate(importId, contributor) as Iterable<RecordLeaf>;
  const { root, leaves: records } = merkleOf(leaves);
  return { root, records };
}

/**
 * Submits an import on chain as staked submissions, one per contributor (the registry records
 * msg.sender as the contributor, so each batch is sent from its contributor's account: on the
 * devnet, a dev account). Each goes through the publishing service with the datanet's stake.
 */
export async function submitImport(db: Db, deps: { devnet: DevnetService; publishing: PublishingService }, datanet: { id: number; name: string }, importId: number): Promise<SubmissionRow[]> {
  const imp = db.prepare('SELECT id FROM datanet_imports WHERE id = ? AND datanet_id = ?').get(importId, datanet.id);
  if (!imp) throw new StudioError(ErrorCode.NotFound, `Datanet ${datanet.name} has no import ${importId}.`);
  const contributors = db.prepare('SELECT DISTINCT contributor FROM datanet_records WHERE import_id = ? ORDER BY contributor').pluck().all(importId) as string[];
  if (contributors.length === 0) throw new StudioError(ErrorCode.Conflict, `Import ${importId} has no records to submit.`);
  const signers = contributors.map((c) => ({ c, dev: devAccountByAddress(c) }));
  const foreign = signers.filter((s) => !s.dev).map((s) => s.c);
  if (foreign.length > 0) {
    throw new StudioError('DATANET_CONTRIBUTOR_KEY', `On the devnet a submission is sent from its contributor's dev account; ${foreign.join(', ')} is not one. Remote networks need the contributor's own key.`, {
      contributors: foreign,
    });
  }
  const done = db.prepare('SELECT contributor FROM datanet_submissions WHERE import_id = ? AND status != ?').pluck().all(importId, 'rejected') as string[];
  const chain = await ensureOnchainDatanet(db, deps.devnet, datanet);
  const stake = String((await deps.devnet.explorer().read('DatanetRegistry', 'getDatanet', [chain.onchainId]) as { submissionStake: string }).submissionStake);
  const out: SubmissionRow[] = [];
  for (const { c, dev } of signers) {
    if (done.includes(c)) continue;
    const batch = batchRoot(db, importId, c);
    const now = new Date().toISOString();
    const id = Number(
      db
        .prepare(
          `INSERT INTO datanet_submissions (datanet_id, import_id, contributor, records, batch_root, chain_id, registry, onchain_id, stake, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
        )
        .run(datanet.id, importId, c, batch.records, batch.root, chain.chainId, chain.registry, chain.onchainId, stake, now, now).lastInsertRowid,
    );
    try {
      const pub = await deps.publishing.publish({ kind: 'datanet.submission', from: dev!.index, datanetId: chain.onchainId, recordBatchHash: batch.root, uri: `studio:datanet/${datanet.name}/import/${importId}`, stake });
      db.prepare('UPDATE datanet_submissions SET publication_id = ?, updated_at = ? WHERE id = ?').run(pub.id, new Date().toISOString(), id);
    } catch (err) {
      // The publication row keeps the failure; the submission row goes as it never reached chain.
      db.prepare('DELETE FROM datanet_submissions WHERE id = ?').run(id);
      throw err;
    }
    out.push(listSubmissions(db, datanet.id).find((s) => s.id === id)!);
  }
  return out;
}

export function listSubmissions(db: Db, datanetId: number): SubmissionRow[] {
  const rows = db
    .prepare(
      `SELECT s.*, p.result_json FROM datanet_submissions s LEFT JOIN publications p ON p.id = s.publication_id WHERE s.datanet_id = ? ORDER BY s.id`,
    )
    .all(datanetId) as { id: number; import_id: number; contributor: string; records: number; batch_root: string; onchain_id: string; stake: string; status: SubmissionRow['status']; publication_id: string | null; result_json: string | null; created_at: string; updated_at: string }[];
  return rows.map((r) => ({
    id: r.id,
    importId: r.import_id,
    contributor: r.contributor,
    records: r.records,
    batchRoot: r.batch_root,
    onchainDatanetId: r.onchain_id,
    onchainSubmissionId: r.result_json ? String(JSON.parse(r.result_json)) : null,
    stake: r.stake,
    status: r.status,
    publicationId: r.publication_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/**
 * The curator's decision on a pending submission, through the publishing service from dev
 * account #0 (the datanet's on-chain owner). Rejecting or slashing also rejects the batch's
 * records here (a review action, undoable like any other).
 */
export async function decideSubmission(
  db: Db,
  deps: { publishing: PublishingService },
  datanet: { id: number; name: string },
  submissionId: number,
  decision: 'accept' | 'reject' | 'slash',
): Promise<SubmissionRow> {
  const s = listSubmissions(db, datanet.id).find((x) => x.id === submissionId);
  if (!s) throw new StudioError(ErrorCode.NotFound, `Datanet ${datanet.name} has no submission ${submissionId}.`);
  if (s.status !== 'pending' || s.onchainSubmissionId === null) throw new StudioError(ErrorCode.Conflict, `Submission ${submissionId} is ${s.status}, not pending.`);
  await deps.publishing.publish({ kind: 'datanet.submissionReview', from: 0, submissionId: s.onchainSubmissionId, decision });
  const status = decision === 'accept' ? 'accepted' : decision === 'reject' ? 'rejected' : 'slashed';
  db.prepare('UPDATE datanet_submissions SET status = ?, updated_at = ? WHERE id = ?').run(status, new Date().toISOString(), submissionId);
  if (decision !== 'accept') {
    const ids = db.prepare('SELECT id FROM datanet_records WHERE import_id = ? AND contributor = ?').pluck().all(s.importId, s.contributor) as number[];
    reviewRecords(db, { datanetId: datanet.id, recordIds: ids, action: 'reject', reason: `submission ${submissionId} ${decision === 'slash' ? 'slashed as adversarial' : 'rejected'}`, actor: 'curator' });
  }
  return listSubmissions(db, datanet.id).find((x) => x.id === submissionId)!;
}
