import type { Address } from 'viem';
import { ModelRegistryAbi } from '../../contracts/generated/index.js';
import type { DevnetService } from '../chain/devnet/devnetService';
import { ChainExplorer } from '../chain/explorer/chainExplorer';
import { listNetworks } from '../chain/networks/networksRepository';
import type { Db } from '../workspace/openDatabase';
import type { RegistryFilesHashReader } from './adapterVerification';

/**
 * Reads a model's files hash from the ModelRegistry where it was published: the running devnet
 * for the devnet's chain id, else the configured network with that chain id and a ModelRegistry
 * address. Every call reads the chain (no cache): a devnet reset may reuse a model id.
 */
export function registryFilesHashReader(devnet: () => DevnetService, db: () => Db): RegistryFilesHashReader {
  return async (chainId, modelId) => {
    const d = devnet();
    let explorer: ChainExplorer;
    if (chainId === d.devnetChainId) {
      if (!d.running) throw new Error('the devnet is not running (studio devnet start)');
      explorer = d.explorer();
    } else {
      const net = listNetworks(db()).find((n) => n.chainId === chainId && n.contracts['ModelRegistry']);
      if (!net?.rpcUrl) throw new Error(`no configured network has chain id ${chainId} and a ModelRegistry address (studio network add)`);
      explorer = new ChainExplorer({ rpcUrl: net.rpcUrl, chainId, contracts: net.contracts as Record<string, Address> });
    }
    const m = await explorer.client.readContract({ address: explorer.contract('ModelRegistry').address, abi: ModelRegistryAbi, functionName: 'getModel', args: [BigInt(modelId)] });
    return m.filesHash;
  };
}
