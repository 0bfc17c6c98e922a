// Benchmark (not a test): devnet cold start, protocol deploy time, and gas per protocol
// operation from real Anvil receipts. Registered in bench/benches.ts as 'chain-gas'
// (`npm run bench chain-gas`); run alone it prints one JSON object.
// Run: npx tsx contracts/tools/build.ts && npx tsx bench/chainGas.ts
// Targets from the product issue: settlement <= 2,000 gas per attributed inference in a batch;
// a claim <= 100,000 gas.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import {
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  parseEther,
  toHex,
  type Abi,
  type Address,
  type Hex,
} from 'viem';
import { AttributionLedgerAbi, DatanetRegistryAbi, ModelRegistryAbi } from '../contracts/generated/index.js';
import { startAnvil } from '../main/chain/devnet/anvilProcess.js';
import { deployProtocol } from '../main/chain/devnet/deployProtocol.js';
import { devAccount } from '../main/chain/keys/devKeys.js';
import { devnetChain } from '../main/chain/devnet/devnetChain.js';

const CHAIN_ID = 31337;
const INFERENCES = 1_000;
const CONTRIBUTORS = 1_000;

export async function chainGas(): Promise<unknown> {
  const dir = mkdtempSync(path.join(tmpdir(), 'chain-gas-'));
  const t0 = performance.now();
  const anvil = await startAnvil({ chainId: CHAIN_ID, statePath: path.join(dir, 'state.json') });
  const coldStartMs = performance.now() - t0;
  try {
    const t1 = performance.now();
    const deployed = await deployProtocol({ rpcUrl: anvil.rpcUrl, devnetChainId: CHAIN_ID });
    const deployMs = performance.now() - t1;
    const { addresses } = deployed;

    const chain = devnetChain(CHAIN_ID, anvil.rpcUrl);
    const publicClient = createPublicClient({ chain, transport: http(anvil.rpcUrl) });
    const target = { chainId: CHAIN_ID, devnetChainId: CHAIN_ID, rpcUrl: anvil.rpcUrl };
    const wallet = createWalletClient({ account: devAccount(0, target), chain, transport: http(anvil.rpcUrl) });
    const contributorWallet = createWalletClient({ account: devAccount(2, target), chain, transport: http(anvil.rpcUrl) });

    // Each operation: simulate for its return value, send, and read gasUsed from the receipt.
    const gas: Record<string, number> = {};
    async function op<T>(
      name: string,
      w: typeof wallet,
      call: { address: Address; abi: Abi; functionName: string; args?: readonly unknown[]; value?: bigint },
    ): Promise<T> {
      const { request, result } = await publicClient.simulateContract({ ...call, account: w.account } as never);
      const hash = await w.writeContract(request as never);
      const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
      if (receipt.status !== 'success') throw new Error(`${name} reverted`);
      gas[name] = Number(receipt.gasUsed);
      return result as T;
    }
    const datanets = { address: addresses.DatanetRegistry, abi: DatanetRegistryAbi } as const;
    const models = { address: addresses.ModelRegistry, abi: ModelRegistryAbi } as const;
    const ledger = { address: addresses.AttributionLedger, abi: AttributionLedgerAbi } as const;

    const datanetId = await op<bigint>('createDatanet', wallet, {
      ...datanets,
      functionName: 'createDatanet',
      args: ['ipfs://bench-datanet', parseEther('1')],
    });
    const submissionId = await op<bigint>('submit', contributorWallet, {
      ...datanets,
      functionName: 'submit',
      args: [datanetId, keccak256(toHex('batch')), 'file://batch.jsonl'],
      value: parseEther('1'),
    });
    await op('accept', wallet, { ...datanets, functionName: 'accept', args: [submissionId] });

    const records = Array.from({ length: CONTRIBUTORS }, (_, i) => [
      `0x${(0x1000 + i).toString(16).padStart(40, '0')}`,
      keccak256(toHex(`record-${i}`)),
    ]);
    const recordTree = StandardMerkleTree.of(records, ['address', 'bytes32']);
    const sha = `0x${createHash('sha256').update(JSON.stringify(records)).digest('hex')}` as Hex;
    await op('commitVersion', wallet, {
      ...datanets,
      functionName: 'commitVersion',
      args: [datanetId, recordTree.root as Hex, sha, BigInt(records.length)],
    });
    const baseId = await op<bigint>('registerBaseModel', wallet, {
      ...models,
      functionName: 'registerBaseModel',
      args: [keccak256(toHex('base')), 'hf://base'],
    });
    const adapterId = await op<bigint>('registerAdapter', wallet, {
      ...models,
      functionName: 'registerAdapter',
      args: [baseId, keccak256(toHex('lora')), keccak256(toHex('cfg')), [{ datanetId, version: 1n }], 'file://lora'],
    });
    await op('payInferenceFees', wallet, {
      ...ledger,
      functionName: 'payInferenceFees',
      args: [adapterId, BigInt(INFERENCES)],
      value: parseEther('100'),
    });

    // 1,000 contributors, equal shares; leaf 0 is a funded dev account, the others fresh addresses.
    const pool = parseEther('70');
    const each = pool / BigInt(CONTRIBUTORS);
    const funded = contributorWallet.account.address;
    const leaves: [Address, bigint][] = Array.from({ length: CONTRIBUTORS }, (_, i) => [
      i === 0 ? funded : (`0x${(0x2000 + i).toString(16).padStart(40, '0')}` as Address),
      each,
    ]);
    const rewardTree = StandardMerkleTree.of(leaves, ['address', 'uint256']);
    const batchId = await op<bigint>('postAttributionBatch', wallet, {
      ...ledger,
      functionName: 'postBatch',
      args: [rewardTree.root as Hex, adapterId, each * BigInt(CONTRIBUTORS), BigInt(INFERENCES), 'file://batches/1.json'],
    });
    await op('claimToFundedAccount', wallet, {
      ...ledger,
      functionName: 'claim',
      args: [batchId, funded, each, rewardTree.getProof(0) as Hex[]],
    });
    await op('claimToFreshAddress', wallet, {
      ...ledger,
      functionName: 'claim',
      args: [batchId, leaves[500]![0], each, rewardTree.getProof(500) as Hex[]],
    });

    const postGas = gas.postAttributionBatch ?? 0;
    const claimWorst = Math.max(gas.claimToFundedAccount ?? 0, gas.claimToFreshAddress ?? 0);
    const report = {
      anvil: { coldStartMs: Math.round(coldStartMs), deployMs: Math.round(deployMs), deployGas: Number(deployed.gasUsed) },
      gas,
      settlement: {
        inferences: INFERENCES,
        contributors: CONTRIBUTORS,
        proofLength: rewardTree.getProof(0).length,
        gasPerInference: postGas / INFERENCES,
        targetGasPerInference: 2_000,
        claimWorstCase: claimWorst,
        targetClaim: 100_000,
        withinTargets: postGas / INFERENCES <= 2_000 && claimWorst <= 100_000,
      },
    };
    return report;
  } finally {
    await anvil.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await chainGas(), null, 2));
}
