import type { Settings } from '../api/schemas';

export function defaultSettings(displayName: string): Settings {
  return {
    displayName,
    jobs: { maxConcurrent: 2 },
    editor: { fontSize: 13, wordWrap: 'off' },
    // 1337 is Anvil's customary local id; 2 s blocks are opt-in (0 = one block per transaction).
    chain: { chainId: 1337, currencySymbol: 'OPEN', blockTimeSeconds: 0 },
  };
}
