import type { Publication } from '../api/chainSchemas';
import type { DevnetService } from '../chain/devnetService';
import type { PublishingService } from '../chain/publishingService';
import { sendAsDevAccount } from '../chain/sendAsDevAccount';
import type { Db } from '../workspace/openDatabase';
import { getVersionRow } from './versionsRepository';

/**
 * Publishes a version on the devnet's DatanetRegistry through the publishing service (a
 * `publications` row: pending, then confirmed or failed). The datanet is created on chain first
 * when this registry does not know it yet (remembered per chain and registry address, so a
 * redeployed protocol gets its own).
 */
export async function publishVersion(
  db: Db,
  deps: { devnet: DevnetService; publishing: PublishingService },
  datanet: { id: number; name: string },
  version: number | undefined,
): Promise<{ publication: Publication; onchainDatanetId: string; version: number }> {
  const v = getVersionRow(db, datanet.id, datanet.name, version);
  const explorer = deps.devnet.explorer();
  const chainId = deps.devnet.devnetChainId;
  const registry = explorer.contracts().find((c) => c.name === 'DatanetRegistry')!.address;
  const known = db.prepare('SELECT onchain_id FROM datanet_chain WHERE datanet_id = ? AND chain_id = ? AND registry = ?').pluck().get(datanet.id, chainId, registry) as string | undefined;
  let onchainId = known;
  if (onchainId === undefined) {
    const created = await sendAsDevAccount(explorer, { contract: 'DatanetRegistry', functionName: 'createDatanet', args: [`studio:datanet/${datanet.name}`, '0'], from: 0, devnetChainId: chainId });
    onchainId = String(created.result);
    db.prepare('INSERT INTO datanet_chain (datanet_id, chain_id, registry, onchain_id, created_at) VALUES (?, ?, ?, ?, ?)').run(datanet.id, chainId, registry, onchainId, new Date().toISOString());
  }
  const publication = await deps.publishing.publish({
    kind: 'datanet.version',
    datanetId: onchainId,
    merkleRoot: v.merkle_root,
    snapshotSha256: `0x${v.jsonl_sha256}`,
    recordCount: v.records,
  });
  return { publication, onchainDatanetId: onchainId, version: v.version };
}
