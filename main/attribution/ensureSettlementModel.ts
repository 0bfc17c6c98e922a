// The on-chain model an attribution batch is posted for. Settlement needs a ModelRegistry id:
// the one the inferences named when the adapter was published with its lineage (`studio adapters
// publish`), else one registered here, minimally: a base-model entry whose uri names the model key
// (studio:model/KEY) and whose files hash is keccak256 of that uri, published through the
// publishing service so it shows in publications and the explorer. It is remembered per chain id
// and registry, and checked against the registry on each use: a devnet reset redeploys the
// registry at the same address, empty, and the entry must then be registered again.
import { keccak256, toBytes, type Address } from 'viem';
import { ModelRegistryAbi } from '../../contracts/generated/index.js';
import type { DevnetService } from '../chain/devnet/devnetService';
import type { PublishingService } from '../chain/publishing/publishingService';
import type { Db } from '../workspace/openDatabase';

export function settlementModelUri(modelKey: string): string {
  return `studio:model/${modelKey}`;
}

async function readModel(devnet: DevnetService, id: string): Promise<{ uri: string } | null> {
  const explorer = devnet.explorer();
  try {
    const m = await explorer.client.readContract({ address: explorer.contract('ModelRegistry').address, abi: ModelRegistryAbi, functionName: 'getModel', args: [BigInt(id)] });
    return { uri: m.uri };
  } catch {
    return null;
  }
}

export async function ensureSettlementModel(db: Db, deps: { devnet: DevnetService; publishing: PublishingService }, modelKey: string, named: string | null): Promise<{ onchainId: string; registered: boolean }> {
  const explorer = deps.devnet.explorer();
  const chainId = deps.devnet.devnetChainId;
  const registry: Address = explorer.contract('ModelRegistry').address;
  // An id the inferences named (factory-core's publication) is trusted if the registry has it.
  if (named !== null && (await readModel(deps.devnet, named))) return { onchainId: named, registered: false };
  const uri = settlementModelUri(modelKey);
  const known = db.prepare('SELECT onchain_id FROM attribution_models WHERE model_key = ? AND chain_id = ? AND registry = ?').pluck().get(modelKey, chainId, registry) as string | undefined;
  if (known !== undefined && (await readModel(deps.devnet, known))?.uri === uri) return { onchainId: known, registered: false };
  const publication = await deps.publishing.publish({ kind: 'model.base', filesHash: keccak256(toBytes(uri)), uri });
  const onchainId = String(publication.result);
  db.prepare(
    `INSERT INTO attribution_models (model_key, chain_id, registry, onchain_id, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (model_key, chain_id, registry) DO UPDATE SET onchain_id = excluded.onchain_id, created_at = excluded.created_at`,
  ).run(modelKey, chainId, registry, onchainId, new Date().toISOString());
  return { onchainId, registered: true };
}
