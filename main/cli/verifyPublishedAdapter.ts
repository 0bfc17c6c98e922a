import type { AdapterRecord } from '../api/adaptersSchemas';
import type { Network } from '../api/networkSchemas';
import { StudioError } from '../api/apiError';
import { checkAdapterFilesAgainstRegistry, readPublishedFilesHash, type AdapterFiles, type AdapterPublication } from '../adapters/adapterVerification';
import { registryFilesHashReader, type DevnetExplorerFor } from '../adapters/registryFilesHashReader';
import { ChainExplorer } from '../chain/explorer/chainExplorer';
import { readChainTarget } from './chainTarget';
import type { CommandContext } from './command';

/**
 * Verified loading for the CLI (`generate --adapter NAME`), with serving's own two halves: the
 * publication's files hash read from the chain, then the files on disk checked against it. A
 * mismatch is refused with the message /v1 gives (ADAPTER_UNVERIFIED); a published adapter whose
 * chain cannot be read runs with the warning returned; an unpublished one runs unchecked (null).
 */
export async function verifyPublishedAdapter(
  ctx: CommandContext,
  adapter: { record: AdapterRecord; files: AdapterFiles; publication: AdapterPublication | undefined; networks: Network[] },
): Promise<string | null> {
  if (!adapter.publication) return null;
  // The CLI has no devnet of its own: the workspace's running one, as chain/devnet.json records it.
  const t = readChainTarget(ctx);
  const devnet: DevnetExplorerFor = (chainId) => {
    if (chainId !== t.settings.chainId) return undefined;
    if (!t.devnet || !t.deployment) throw new Error('the devnet is not running (studio devnet start)');
    return new ChainExplorer({ rpcUrl: t.devnet.rpcUrl, chainId, contracts: t.contracts });
  };
  const onChain = await readPublishedFilesHash(adapter.record.name, adapter.publication, registryFilesHashReader(devnet, () => adapter.networks));
  if (!onChain) return null;
  if ('unverifiable' in onChain) return onChain.unverifiable;
  const problem = checkAdapterFilesAgainstRegistry(adapter.record.name, adapter.files, adapter.record, onChain);
  if (problem) throw new StudioError('ADAPTER_UNVERIFIED', problem.message, { name: adapter.record.name, file: problem.file, modelId: onChain.modelId, chainId: onChain.chainId });
  return null;
}
