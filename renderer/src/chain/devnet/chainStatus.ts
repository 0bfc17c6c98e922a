import type { ChainStatus } from '../../../../main/api/chainSchemas';

/** Whether the chain changed under what we showed: started or stopped, redeployed, or its head went back. */
export function chainChangedUnder(before: ChainStatus | null, after: ChainStatus): boolean {
  if (!before) return false;
  if (before.running !== after.running || before.pid !== after.pid) return true;
  if (before.deployment?.id !== after.deployment?.id) return true;
  return before.block !== null && after.block !== null && after.block < before.block;
}
