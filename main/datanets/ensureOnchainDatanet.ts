import type { DevnetService } from '../chain/devnet/devnetService';
import { sendAsDevAccount } from '../chain/writes/sendAsDevAccount';
import type { Db } from '../workspace/openDatabase';

/** The stake each submission to a datanet the app creates on chain must lock: 0.01 OPEN. */
export const DEFAULT_SUBMISSION_STAKE = 10n ** 16n;

/**
 * The datanet's id on the devnet's DatanetRegistry, created (owned by dev account #0, the
 * curator) the first time this registry needs it. Remembered per chain id and registry address:
 * a reset or redeploy gives a new registry, which gets its own.
 */
export async function ensureOnchainDatanet(db: Db, devnet: DevnetService, datanet: { id: number; name: string }): Promise<{ onchainId: string; chainId: number; registry: string }> {
  const explorer = devnet.explorer();
  const chainId = devnet.devnetChainId;
  const registry = explorer.contracts().find((c) => c.name === 'DatanetRegistry')!.address;
  const known = db.prepare('SELECT onchain_id FROM datanet_chain WHERE datanet_id = ? AND chain_id = ? AND registry = ?').pluck().get(datanet.id, chainId, registry) as string | undefined;
  if (known !== undefined) return { onchainId: known, chainId, registry };
  const created = await sendAsDevAccount(explorer, {
    contract: 'DatanetRegistry',
    functionName: 'createDatanet',
    args: [`studio:datanet/${datanet.name}`, DEFAULT_SUBMISSION_STAKE.toString()],
    from: 0,
    devnetChainId: chainId,
  });
  const onchainId = String(created.result);
  db.prepare('INSERT INTO datanet_chain (datanet_id, chain_id, registry, onchain_id, created_at) VALUES (?, ?, ?, ?, ?)').run(datanet.id, chainId, registry, onchainId, new Date().toISOString());
  return { onchainId, chainId, registry };
}
