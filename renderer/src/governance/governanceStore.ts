import { createStore } from 'zustand/vanilla';
import type { GovParams, GovWriteParams, ProposalList, VotingPower } from '../../../main/api/governanceSchemas';
import type { ConfirmWriteResult } from '../../../main/api/networkSchemas';
import { DEVNET_NETWORK } from '../../../main/api/constants';
import { api } from '../api/client';
import { DEV_ACCOUNT_ADDRESSES } from '../chain/devAccounts';
import { outcomeOfError, preparedWriteStore, type ReviewOutcome } from '../chain/writes/preparedWriteStore';

/** Who signs governance writes: a dev account on the devnet, a stored key elsewhere. */
export type GovSigner = { kind: 'dev'; index: number } | { kind: 'key'; keyId: string };

export interface GovernanceStore {
  network: string;
  signer: GovSigner;
  params: GovParams | null;
  power: VotingPower[] | null;
  proposals: ProposalList | null;
  /** Why the last read failed (the devnet stopped, the network has no governor recorded…). */
  error: string | null;
  loading: boolean;
  setNetwork(network: string, signer: GovSigner): void;
  setSigner(signer: GovSigner): void;
  load(): Promise<void>;
  /**
   * One governance write through the two-step flow: gov.prepareWrite (a revert is refused here,
   * decoded, nothing sent), the review dialog, chain.confirmWrite; then the views read again.
   */
  write(params: GovWriteWithoutSigner): Promise<ReviewOutcome>;
  advance(blocks: number, seconds: number): Promise<void>;
}

/** Distributes over the union, so each action keeps its own fields. */
type WithoutSigner<T> = T extends unknown ? Omit<T, 'network' | 'devAccount' | 'keyId'> : never;
export type GovWriteWithoutSigner = WithoutSigner<GovWriteParams>;

export const DEFAULT_SIGNER: GovSigner = { kind: 'dev', index: 1 };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const governanceStore = createStore<GovernanceStore>()((set, get) => {
  let generation = 0;
  return {
    network: DEVNET_NETWORK,
    // Dev account #1 holds demo WOPEN and votes; #0 (the deployer) holds none.
    signer: DEFAULT_SIGNER,
    params: null,
    power: null,
    proposals: null,
    error: null,
    loading: false,

    setNetwork(network, signer) {
      set({ network, signer, params: null, power: null, proposals: null, error: null });
      void get().load();
    },

    setSigner(signer) {
      set({ signer });
      // The signer's own row joins the voting power table.
      void get().load();
    },

    async load() {
      const { network, signer } = get();
      const mine = ++generation;
      // A dev account beyond the default four is listed once it signs; stored keys always are.
      const include = signer.kind === 'dev' && DEV_ACCOUNT_ADDRESSES[signer.index] ? [DEV_ACCOUNT_ADDRESSES[signer.index]!] : [];
      set({ loading: true });
      try {
        const [params, power, proposals] = await Promise.all([
          api().call('gov.params', { network }),
          api().call('gov.votingPower', { network, include }),
          api().call('gov.proposals', { network }),
        ]);
        if (mine === generation) set({ params, power, proposals, error: null, loading: false });
      } catch (err) {
        if (mine === generation) set({ error: message(err), loading: false });
      }
    },

    async write(params) {
      const { network, signer } = get();
      const who = signer.kind === 'dev' ? { devAccount: signer.index } : { keyId: signer.keyId };
      let outcome: ReviewOutcome;
      try {
        const prepared = await api().call('gov.prepareWrite', { ...params, network, ...who } as GovWriteParams);
        outcome = await preparedWriteStore.getState().review(prepared);
      } catch (err) {
        outcome = outcomeOfError(err);
      }
      if (outcome.kind === 'sent') await get().load();
      return outcome;
    },

    async advance(blocks, seconds) {
      await api().call('chain.advance', { network: get().network, blocks, seconds });
      await get().load();
    },
  };
});

/** What a sent governance write returned (propose: the new proposal's id). */
export function sentResult(result: ConfirmWriteResult): string {
  return typeof result.result === 'string' ? result.result : JSON.stringify(result.result);
}
