import { createStore } from 'zustand/vanilla';
import type { MethodResult } from '../../../main/api/contract';
import { api } from '../api/client';
import { attributionStore } from './attributionStore';

export type Epochs = MethodResult<'attribution.epochs'>;
export type Settled = MethodResult<'attribution.settle'>;
export type Claims = MethodResult<'attribution.claims'>;
export type ClaimResult = MethodResult<'attribution.claim'>['claims'][number];

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** One contributor's row: what it can claim (read from the ledger) and its last claims. */
export interface ContributorRewards {
  loading: boolean;
  claims: Claims | null;
  error: string | null;
  claiming: boolean;
  /** The claims this session sent, with the balance before and after each. */
  sent: ClaimResult[];
}

export interface RewardsStore {
  epochs: Epochs | null;
  loading: boolean;
  error: string | null;
  settling: number | null;
  settleError: string | null;
  /** The last settlement this session ran: each model's batch and who it pays. */
  settled: Settled | null;
  /** Contributors shown, in order: those the session's attributions and settlements named, and
   * any address the user added. */
  contributors: string[];
  rewards: Record<string, ContributorRewards>;
  load(): Promise<void>;
  settle(epoch: number): Promise<void>;
  addContributor(address: string): void;
  loadClaims(address: string): Promise<void>;
  claim(address: string, batchId?: string): Promise<void>;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The addresses the session's attributed answers named, kept and dropped. */
function attributedContributors(): string[] {
  return Object.values(attributionStore.getState().runs).flatMap((r) => (r.result ? [...r.result.contributors, ...r.result.threshold.dropped].map((c) => c.address) : []));
}

export const rewardsStore = createStore<RewardsStore>()((set, get) => {
  const patch = (address: string, p: Partial<ContributorRewards>) => {
    const prev = get().rewards[address] ?? { loading: false, claims: null, error: null, claiming: false, sent: [] };
    set({ rewards: { ...get().rewards, [address]: { ...prev, ...p } } });
  };
  const track = (addresses: string[]) => {
    const list = [...get().contributors];
    for (const a of addresses) if (!list.some((x) => same(x, a))) list.push(a);
    set({ contributors: list });
  };
  return {
    epochs: null,
    loading: false,
    error: null,
    settling: null,
    settleError: null,
    settled: null,
    contributors: [],
    rewards: {},
    async load() {
      track(attributedContributors());
      set({ loading: true });
      try {
        // The first start's demo answers were attributed before this page: their contributors too.
        const [epochs, story] = await Promise.all([api().call('attribution.epochs', {}), api().call('demo.story', {})]);
        track(story.answers.flatMap((a) => a.attribution.contributors.map((c) => c.address)));
        set({ epochs, error: null, loading: false });
      } catch (err) {
        set({ error: message(err), loading: false });
      }
      await Promise.all(get().contributors.map((a) => get().loadClaims(a)));
    },
    async settle(epoch) {
      set({ settling: epoch, settleError: null });
      try {
        const settled = await api().call('attribution.settle', { epoch });
        set({ settled, settling: null });
        track(settled.models.flatMap((m) => m.contributors.map((c) => c.address)));
      } catch (err) {
        set({ settling: null, settleError: message(err) });
      }
      await get().load();
    },
    addContributor(address) {
      track([address]);
      void get().loadClaims(address);
    },
    async loadClaims(address) {
      patch(address, { loading: true });
      try {
        patch(address, { loading: false, claims: await api().call('attribution.claims', { contributor: address }), error: null });
      } catch (err) {
        patch(address, { loading: false, error: message(err) });
      }
    },
    async claim(address, batchId) {
      patch(address, { claiming: true, error: null });
      try {
        const { claims } = await api().call('attribution.claim', { contributor: address, ...(batchId ? { batchId } : {}) });
        patch(address, { claiming: false, sent: [...(get().rewards[address]?.sent ?? []), ...claims] });
      } catch (err) {
        patch(address, { claiming: false, error: message(err) });
      }
      await get().loadClaims(address);
    },
  };
});
