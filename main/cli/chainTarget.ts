import path from 'node:path';
import { ChainErrorCode, chainNotRunning } from '../chain/chainErrors';
import { ChainExplorer } from '../chain/explorer/chainExplorer';
import { currentDeployment } from '../chain/devnet/deploymentsRepository';
import { isPidAlive, readDevnetFile, type DevnetRecord } from '../chain/devnet/devnetFile';
import { StudioError } from '../api/apiError';
import type { Settings } from '../api/schemas';
import { readSettings } from '../workspace/settingsStore';
import type { CommandContext } from './command';
import { withReadonlyWorkspace } from './withReadonlyWorkspace';

export interface ChainTargetInfo {
  settings: Settings['chain'];
  devnet: DevnetRecord | undefined;
  contracts: Record<string, `0x${string}`>;
  deployment: ReturnType<typeof currentDeployment>;
}

/**
 * What the lock-free chain commands (status, call, send, logs, snapshot) need, read without the
 * workspace lock: settings and the recorded deployment from SQLite read-only (safe beside a
 * running writer), and the running devnet from chain/devnet.json.
 */
export function readChainTarget(ctx: CommandContext): ChainTargetInfo {
  return withReadonlyWorkspace(ctx, (db, _name, root) => {
    const settings = readSettings(db).chain;
    let deployment;
    try {
      deployment = currentDeployment(db, settings.chainId);
    } catch {
      // A workspace not yet migrated to the chain tables has no deployment.
    }
    const rec = readDevnetFile(path.join(root, 'chain'));
    return { settings, devnet: rec && isPidAlive(rec.pid) ? rec : undefined, contracts: deployment?.contracts ?? {}, deployment };
  });
}

/** An explorer on the running devnet; CHAIN_NOT_RUNNING when there is none. */
export function requireExplorer(ctx: CommandContext): { explorer: ChainExplorer; settings: Settings['chain'] } {
  const t = readChainTarget(ctx);
  if (!t.devnet) throw chainNotRunning();
  if (!t.deployment) throw new StudioError(ChainErrorCode.NotRunning, 'The protocol is not deployed on this devnet yet: run `studio devnet start`.');
  return { explorer: new ChainExplorer({ rpcUrl: t.devnet.rpcUrl, chainId: t.settings.chainId, contracts: t.contracts }), settings: t.settings };
}

/** Reads must not silently come from another chain: the RPC must report the workspace's id. */
export async function assertChainId(explorer: ChainExplorer): Promise<void> {
  const reported = await explorer.client.getChainId();
  if (reported !== explorer.target.chainId) {
    throw new StudioError(
      ChainErrorCode.ChainIdMismatch,
      `The RPC at ${explorer.target.rpcUrl} reports chain id ${reported}, but this workspace's devnet is chain ${explorer.target.chainId}.`,
      { reported, expected: explorer.target.chainId },
    );
  }
}
