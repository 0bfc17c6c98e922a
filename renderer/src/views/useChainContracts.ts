import { useEffect } from 'react';
import { useStore } from 'zustand';
import { chainStore } from '../stores/chainStore';
import { contractsStore } from '../stores/contractsStore';

/** The current deployment's contracts with their ABIs, read again after a reset or redeploy. */
export function useChainContracts() {
  const running = useStore(chainStore, (s) => s.status?.running ?? false);
  const deploymentId = useStore(chainStore, (s) => s.status?.deployment?.id ?? null);
  const state = useStore(contractsStore);
  useEffect(() => {
    if (running && (state.contracts.length === 0 || state.deploymentId !== deploymentId)) void contractsStore.getState().load(deploymentId);
  }, [running, deploymentId, state.deploymentId, state.contracts.length]);
  return state;
}
