// Anvil's dev accounts with their balance and nonce, for the explorer's account list. The 20
// reads go out as one JSON-RPC batch, all at the same block so balances and nonces agree.
import { formatEther } from 'viem';
import type { DevAccountInfo } from '../../api/chainSchemas';
import { rpcError, type ChainExplorer } from './chainExplorer';
import { DEV_ACCOUNTS } from '../keys/devKeys';

export async function listDevAccounts(explorer: ChainExplorer): Promise<DevAccountInfo[]> {
  const client = explorer.batchClient;
  try {
    const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
    const [balances, nonces] = await Promise.all([
      Promise.all(DEV_ACCOUNTS.map((a) => client.getBalance({ address: a.address, blockNumber }))),
      Promise.all(DEV_ACCOUNTS.map((a) => client.getTransactionCount({ address: a.address, blockNumber }))),
    ]);
    return DEV_ACCOUNTS.map((a, i) => ({
      index: a.index,
      address: a.address,
      label: a.label,
      balance: balances[i]!.toString(),
      balanceFormatted: formatEther(balances[i]!),
      nonce: nonces[i]!,
    }));
  } catch (err) {
    throw rpcError(err, 'reading the dev accounts');
  }
}
