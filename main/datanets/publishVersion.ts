import type { Publication } from '../api/chainSchemas';
import type { DevnetService } from '../chain/devnet/devnetService';
import type { PublishingService } from '../chain/publishing/publishingService';
import type { Db } from '../workspace/openDatabase';
import { ensureOnchainDatanet } from './ensureOnchainDatanet';
import { getVersionRow } from './versionsRepository';

/**
 * Publishes a version on the devnet's DatanetRegistry through the publishing service (a
 * `publications` row: pending, then confirmed or failed). The datanet is created on chain first
 * when this registry does not know it yet (ensureOnchainDatanet).
 */
export async function publishVersion(
  db: Db,
  deps: { devnet: DevnetService; publishing: PublishingService },
  datanet: { id: number; name: string },
  version: number | undefined,
): Promise<{ publication: Publication; onchainDatanetId: string; version: number }> {
  const v = getVersionRow(db, datanet.id, datanet.name, version);
  const { onchainId } = await ensureOnchainDatanet(db, deps.devnet, datanet);
  const publication = await deps.publishing.publish({
    kind: 'datanet.version',
    datanetId: onchainId,
    merkleRoot: v.merkle_root,
    snapshotSha256: `0x${v.jsonl_sha256}`,
    recordCount: v.records,
  });
  return { publication, onchainDatanetId: onchainId, version: v.version };
}
