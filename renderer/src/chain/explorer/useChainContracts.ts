import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import type { ContractInfo } from '../../../../main/api/chainSchemas';
import { chainStore } from '../devnet/chainStore';
import { contractsStore } from './contractsStore';

/** A contract for the forms: its address on the devnet, or null while the devnet is stopped. */
export type FormContract = Omit<ContractInfo, 'address'> & { address: string | null };

/** The current deployment's contracts with their ABIs, read again after a reset or redeploy;
 * while the devnet is stopped, the protocol ABIs alone (chain.abis), so remote sends still work. */
export function useChainContracts(): { contracts: FormContract[]; running: boolean; loading: boolean; error: string | null } {
  const running = useStore(chainStore, (s) => s.status?.running ?? false);
  const deploymentId = useStore(chainStore, (s) => s.status?.deployment?.id ?? null);
  const state = useStore(contractsStore);
  useEffect(() => {
    if (running && (state.contracts.length === 0 || state.deploymentId !== deploymentId)) void contractsStore.getState().load(deploymentId);
    else if (!running && state.abis.length === 0) void contractsStore.getState().loadAbis();
  }, [running, deploymentId, state.deploymentId, state.contracts.length, state.abis.length]);
  const contracts = useMemo<FormContract[]>(() => (running ? state.contracts : state.abis.map((a) => ({ ...a, address: null }))), [running, state.contracts, state.abis]);
  return { contracts, running, loading: state.loading, error: state.error };
}
