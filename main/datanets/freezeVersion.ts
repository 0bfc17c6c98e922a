import { ErrorCode, StudioError } from '../api/apiError';
import type { DatanetVersion } from '../api/datanetSchemas';
import { ArtifactStore } from '../artifacts/artifactStore';
import { recordArtifact } from '../artifacts/artifactsRepository';
import type { Db } from '../workspace/openDatabase';
import { versionMerkle } from './versionMerkle';
import { getVersionRow, toVersion, versionRecords } from './versionsRepository';
import { writeSnapshotFiles } from './writeSnapshotFiles';

/**
 * Freezes the datanet's accepted records into version N+1: the record list, the Merkle root
 * over (contributor, recordHash) leaves, and JSONL and Parquet snapshots in the artifact store.
 * One transaction: a failure leaves no version behind. Records never change after insert, so a
 * version's content is fixed by its record ids.
 */
export function freezeVersion(db: Db, datanet: { id: number; name: string }, artifactsRoot: string): DatanetVersion {
  const store = new ArtifactStore(artifactsRoot);
  return db.transaction(() => {
    const accepted = (db.prepare("SELECT COUNT(*) AS n FROM datanet_records WHERE datanet_id = ? AND status = 'accepted'").get(datanet.id) as { n: number }).n;
    if (accepted === 0) throw new StudioError(ErrorCode.Conflict, `Datanet ${datanet.name} has no accepted records to freeze; accept some first (datanet review).`, { datanet: datanet.name });
    const next = ((db.prepare('SELECT MAX(version) AS v FROM datanet_versions WHERE datanet_id = ?').get(datanet.id) as { v: number | null }).v ?? 0) + 1;
    const versionId = Number(
      db
        .prepare("INSERT INTO datanet_versions (datanet_id, version, merkle_root, records, jsonl_sha256, parquet_sha256, created_at) VALUES (?, ?, '', ?, '', '', ?)")
        .run(datanet.id, next, accepted, new Date().toISOString()).lastInsertRowid,
    );
    db.prepare("INSERT INTO datanet_version_records (version_id, record_id) SELECT ?, id FROM datanet_records WHERE datanet_id = ? AND status = 'accepted'").run(versionId, datanet.id);
    const { root } = versionMerkle(db, versionId);
    const files = writeSnapshotFiles(store, () => versionRecords(db, versionId));
    recordArtifact(db, { ...files.jsonl, name: `${datanet.name}-v${next}.jsonl`, mediaType: 'application/x-ndjson' });
    recordArtifact(db, { ...files.parquet, name: `${datanet.name}-v${next}.parquet`, mediaType: 'application/vnd.apache.parquet' });
    db.prepare('UPDATE datanet_versions SET merkle_root = ?, jsonl_sha256 = ?, parquet_sha256 = ? WHERE id = ?').run(root, files.jsonl.sha256, files.parquet.sha256, versionId);
    return toVersion(getVersionRow(db, datanet.id, datanet.name, next));
  })();
}
