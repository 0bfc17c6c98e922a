// The demo accounts (dev accounts #1..#3) each wrap some OPEN on a workspace's first start, so
// governance has voting weight to demonstrate with (WrappedOpen self-delegates on deposit).
// Dev account #0 deploys and operates the protocol and keeps its plain OPEN.
import { createPublicClient, createWalletClient, http, parseEther, type Address, type Hash } from 'viem';
import { devAccount } from '../keys/devKeys';
import { devnetChain } from './devnetChain';

export const DEMO_ACCOUNT_INDEXES = [1, 2, 3] as const;
export const DEMO_WRAPPED_OPEN = '100';

export async function fundDemoAccounts(opts: { rpcUrl: string; devnetChainId: number; wrappedOpen: Address }): Promise<void> {
  const chain = devnetChain(opts.devnetChainId, opts.rpcUrl);
  const client = createPublicClient({ chain, transport: http(opts.rpcUrl) });
  const reported = await client.getChainId();
  const hashes: Hash[] = [];
  for (const index of DEMO_ACCOUNT_INDEXES) {
    const account = devAccount(index, { chainId: reported, devnetChainId: opts.devnetChainId, rpcUrl: opts.rpcUrl });
    const wallet = createWalletClient({ account, chain, transport: http(opts.rpcUrl) });
    // A fixed gas limit: an estimate taken against the latest block can undercount the vote
    // checkpoint this deposit writes in the next block (ERC20Votes), and the deposit would revert.
    hashes.push(await wallet.sendTransaction({ to: opts.wrappedOpen, value: parseEther(DEMO_WRAPPED_OPEN), gas: 250_000n }));
  }
  for (const hash of hashes) {
    const r = await client.waitForTransactionReceipt({ hash, pollingInterval: 100 });
    if (r.status !== 'success') throw new Error(`funding demo account failed in ${hash}`);
  }
}
