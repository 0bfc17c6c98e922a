import type { Settings } from '../api/schemas';

export function defaultSettings(displayName: string): Settings {
  return {
    displayName,
    jobs: { maxConcurrent: 2 },
    editor: { fontSize: 13, wordWrap: 'off' },
    // 1337 is Anvil's customary local id; 2 s blocks are opt-in (0 = one block per transaction).
    chain: { chainId: 1337, currencySymbol: 'OPEN', blockTimeSeconds: 0 },
    // A GPU when the machine has one (and the CUDA backend is built), else the CPU engine.
    engine: { device: 'auto' },
    // OpenLoRA: the adapters resident at once, and the largest rank served.
    playground: { model: null, adapterMemoryMB: 512, maxAdapterRank: 64 },
    // Proof of Attribution: a flat fee per attributed inference, 0.01 OPEN (see main/attribution).
    attribution: { feeWeiPerInference: '10000000000000000' },
  };
}
