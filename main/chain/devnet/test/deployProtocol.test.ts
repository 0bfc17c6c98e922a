import { createPublicClient, http, keccak256, toBytes } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { AttributionLedgerAbi, OpenTimelockAbi } from '../../../../contracts/generated/index.js';
import { startAnvil, type AnvilProcess } from '../anvilProcess.js';
import { deployProtocol } from '../deployProtocol.js';
import { DEV_ACCOUNTS, DevKeyRefusedError } from '../../keys/devKeys.js';
import { devnetChain } from '../devnetChain.js';

const running: AnvilProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((a) => a.stop()));
});

describe('deployProtocol', () => {
  it('deploys and wires roles on a devnet with 1 s blocks', async () => {
    const anvil = await startAnvil({ chainId: 777, blockTime: 1 });
    running.push(anvil);
    const operator = DEV_ACCOUNTS[6]!.address;
    const started = performance.now();
    const { addresses, deployer, fromBlock } = await deployProtocol({
      rpcUrl: anvil.rpcUrl,
      devnetChainId: 777,
      operators: [operator],
    });
    // Two rounds of transactions (deployments, then roles): a few blocks, not one per contract.
    expect(performance.now() - started).toBeLessThan(8_000);
    expect(deployer).toBe(DEV_ACCOUNTS[0]!.address);
    const client = createPublicClient({ chain: devnetChain(777, anvil.rpcUrl), transport: http(anvil.rpcUrl) });
    const ledger = { address: addresses.AttributionLedger, abi: AttributionLedgerAbi } as const;
    const operatorRole = keccak256(toBytes('OPERATOR_ROLE'));
    expect(await client.readContract({ ...ledger, functionName: 'hasRole', args: [operatorRole, operator] })).toBe(true);
    expect(await client.readContract({ ...ledger, functionName: 'hasRole', args: [operatorRole, deployer] })).toBe(true);
    const timelock = { address: addresses.OpenTimelock, abi: OpenTimelockAbi } as const;
    const adminRole = `0x${'00'.repeat(32)}` as const;
    // The deployer gave up the timelock: only governance controls it now.
    expect(await client.readContract({ ...timelock, functionName: 'hasRole', args: [adminRole, deployer] })).toBe(false);
    const proposerRole = keccak256(toBytes('PROPOSER_ROLE'));
    expect(
      await client.readContract({ ...timelock, functionName: 'hasRole', args: [proposerRole, addresses.OpenGovernor] }),
    ).toBe(true);
    expect(fromBlock).toBeGreaterThan(0n);
  });

  it('refuses to use the dev keys when the RPC is not the devnet it was told about', async () => {
    const anvil = await startAnvil({ chainId: 10 });
    running.push(anvil);
    await expect(deployProtocol({ rpcUrl: anvil.rpcUrl, devnetChainId: 31337 })).rejects.toBeInstanceOf(DevKeyRefusedError);
  });
});
