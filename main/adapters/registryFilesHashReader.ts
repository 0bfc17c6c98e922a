import type { Address } from 'viem';
import { DatanetRegistryAbi, ModelRegistryAbi } from '../../contracts/generated/index.js';
import type { DevnetService } from '../chain/devnet/devnetService';
import { ChainExplorer } from '../chain/explorer/chainExplorer';
import type { Network } from '../api/networkSchemas';
import type { RegistryEntryReader, RegistryFilesHashReader } from './adapterVerification';

/**
 * The workspace's devnet as the registry readers see it: the running devnet's explorer when
 * `chainId` is the devnet's (throwing when it is not running), undefined for another chain. The
 * core passes its DevnetService; the CLI, which has no devnet of its own, the recorded one. Other
 * chains are read through the workspace's configured networks (`networks`).
 */
export type DevnetExplorerFor = (chainId: number) => ChainExplorer | undefined;

/** DevnetExplorerFor over the core's DevnetService. */
export function devnetServiceExplorer(devnet: () => DevnetService): DevnetExplorerFor {
  return (chainId) => {
    const d = devnet();
    if (chainId !== d.devnetChainId) return undefined;
    if (!d.running) throw new Error('the devnet is not running (studio devnet start)');
    return d.explorer();
  };
}

/** The explorer of the chain a model was published on: the devnet, else the configured network
 * with that chain id and a ModelRegistry address. */
function registryExplorer(devnet: DevnetExplorerFor, networks: () => Network[], chainId: number): ChainExplorer {
  const onDevnet = devnet(chainId);
  if (onDevnet) return onDevnet;
  const net = networks().find((n) => n.chainId === chainId && n.contracts['ModelRegistry']);
  if (!net?.rpcUrl) throw new Error(`no configured network has chain id ${chainId} and a ModelRegistry address (studio network add)`);
  return new ChainExplorer({ rpcUrl: net.rpcUrl, chainId, contracts: net.contracts as Record<string, Address> });
}

const readModel = (explorer: ChainExplorer, modelId: string) =>
  explorer.client.readContract({ address: explorer.contract('ModelRegistry').address, abi: ModelRegistryAbi, functionName: 'getModel', args: [BigInt(modelId)] });

/**
 * Reads a model's files hash from the ModelRegistry where it was published. Every call reads the
 * chain (no cache): a devnet reset may reuse a model id.
 */
export function registryFilesHashReader(devnet: DevnetExplorerFor, networks: () => Network[]): RegistryFilesHashReader {
  return async (chainId, modelId) => (await readModel(registryExplorer(devnet, networks, chainId), modelId)).filesHash;
}

/**
 * Reads a published adapter's whole entry for its page: the model, its lineage, the base model's
 * files hash and each datanet version's Merkle root. The lineage reads after the model's own are
 * best effort (null when one fails): the files hash alone decides the match.
 */
export function registryEntryReader(devnet: DevnetExplorerFor, networks: () => Network[]): RegistryEntryReader {
  return async (chainId, modelId) => {
    const explorer = registryExplorer(devnet, networks, chainId);
    const m = await readModel(explorer, modelId);
    const registry = explorer.contract('ModelRegistry').address;
    const [, versions] = await explorer.client.readContract({ address: registry, abi: ModelRegistryAbi, functionName: 'lineage', args: [BigInt(modelId)] });
    const baseFilesHash = m.baseModelId === 0n ? null : await readModel(explorer, String(m.baseModelId)).then((b) => b.filesHash, () => null);
    const datanets = explorer.target.contracts['DatanetRegistry'];
    const datanetVersions = await Promise.all(
      versions.map(async (v) => ({
        datanetId: String(v.datanetId),
        version: String(v.version),
        merkleRoot: datanets
          ? await explorer.client.readContract({ address: datanets, abi: DatanetRegistryAbi, functionName: 'getVersion', args: [v.datanetId, v.version] }).then((x) => x.merkleRoot, () => null)
          : null,
      })),
    );
    return { owner: m.owner, uri: m.uri, filesHash: m.filesHash, trainingConfigHash: m.trainingConfigHash, baseModelId: String(m.baseModelId), baseFilesHash, datanetVersions };
  };
}
