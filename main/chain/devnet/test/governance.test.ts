// Governance as deployed by deployProtocol: wrap OPEN, propose a parameter change, vote, queue in
// the timelock, wait its delay, execute; ProtocolParams changes only at the end.
import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  http,
  keccak256,
  parseEther,
  toHex,
  type Hash,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenGovernorAbi, ProtocolParamsAbi, WrappedOpenAbi } from '../../../../contracts/generated/index.js';
import { rpcCall, startAnvil, type AnvilProcess } from '../anvilProcess.js';
import { deployProtocol, type ProtocolAddresses } from '../deployProtocol.js';
import { mine } from '../devnetControl.js';
import { devAccount } from '../../keys/devKeys.js';
import { devnetChain } from '../devnetChain.js';

const CHAIN_ID = 31337;
let anvil: AnvilProcess;
let addresses: ProtocolAddresses;

beforeAll(async () => {
  anvil = await startAnvil({ chainId: CHAIN_ID });
  addresses = (await deployProtocol({ rpcUrl: anvil.rpcUrl, devnetChainId: CHAIN_ID, timelockDelaySeconds: 60 })).addresses;
});
afterAll(async () => {
  await anvil?.stop();
});

describe('governance on a real Anvil', () => {
  it('changes the attribution threshold through proposal, vote, timelock and execution', async () => {
    const chain = devnetChain(CHAIN_ID, anvil.rpcUrl);
    const client = createPublicClient({ chain, transport: http(anvil.rpcUrl) });
    const account = devAccount(7, { chainId: CHAIN_ID, devnetChainId: CHAIN_ID, rpcUrl: anvil.rpcUrl });
    const wallet = createWalletClient({ account, chain, transport: http(anvil.rpcUrl) });
    const done = async (hash: Hash) => {
      const r = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
      expect(r.status).toBe('success');
    };
    const governor = { address: addresses.OpenGovernor, abi: OpenGovernorAbi } as const;

    await done(await wallet.writeContract({ address: addresses.WrappedOpen, abi: WrappedOpenAbi, functionName: 'deposit', value: parseEther('100') }));
    await mine(anvil.rpcUrl, 1); // votes count from the block after the checkpoint

    const targets = [addresses.ProtocolParams] as const;
    const values = [0n] as const;
    const calldatas = [encodeFunctionData({ abi: ProtocolParamsAbi, functionName: 'setAttributionThreshold', args: [25] })] as const;
    const description = 'Raise the attribution threshold to 0.25%';
    const descriptionHash = keccak256(toHex(description));

    const { result: proposalId, request } = await client.simulateContract({
      ...governor,
      account,
      functionName: 'propose',
      args: [targets, values, calldatas, description],
    });
    await done(await wallet.writeContract(request));
    await mine(anvil.rpcUrl, 2); // past the 1-block voting delay
    await done(await wallet.writeContract({ ...governor, functionName: 'castVote', args: [proposalId, 1] }));
    await mine(anvil.rpcUrl, 51); // past the 50-block voting period
    await done(await wallet.writeContract({ ...governor, functionName: 'queue', args: [targets, values, calldatas, descriptionHash] }));

    const threshold = () =>
      client.readContract({ address: addresses.ProtocolParams, abi: ProtocolParamsAbi, functionName: 'attributionThresholdBps' });
    expect(await threshold()).toBe(1); // queued is not applied

    await rpcCall(anvil.rpcUrl, 'evm_increaseTime', [61]);
    await mine(anvil.rpcUrl, 1);
    await done(await wallet.writeContract({ ...governor, functionName: 'execute', args: [targets, values, calldatas, descriptionHash] }));
    expect(await threshold()).toBe(25);
  });
});
