// The viem chain description of the local devnet: OP Stack behaviour from Anvil, with OPEN as
// the native currency's name (Anvil's ETH stands in for OPEN; only the label differs).
import { defineChain, type Chain } from 'viem';

/** Anvil's default chain id; workspaces may pick another. */
export const DEFAULT_DEVNET_CHAIN_ID = 31337;

export function devnetChain(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: 'Attribution Studio devnet',
    nativeCurrency: { name: 'OPEN', symbol: 'OPEN', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    testnet: true,
  });
}
