// The protocol end to end against a real Anvil: deploy, curate a datanet, commit a version whose
// tree is built with @openzeppelin/merkle-tree, register lineage, settle attribution, claim.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
  type PublicClient,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttributionLedgerAbi,
  DatanetRegistryAbi,
  ModelRegistryAbi,
  ProtocolParamsAbi,
} from '../../../../contracts/generated/index.js';
import { startAnvil, type AnvilProcess } from '../anvilProcess.js';
import { decodeRevert } from '../../explorer/decodeRevert.js';
import { deployProtocol, type ProtocolAddresses } from '../deployProtocol.js';
import { devAccount } from '../../keys/devKeys.js';
import { devnetChain } from '../devnetChain.js';

const CHAIN_ID = 31337;
const dir = mkdtempSync(path.join(tmpdir(), 'protocol-'));
const statePath = path.join(dir, 'state.json');
let anvil: AnvilProcess;
let addresses: ProtocolAddresses;
let publicClient: PublicClient;

function clientsFor(index: number) {
  const account = devAccount(index, { chainId: CHAIN_ID, devnetChainId: CHAIN_ID, rpcUrl: anvil.rpcUrl });
  const chain = devnetChain(CHAIN_ID, anvil.rpcUrl);
  return { account, wallet: createWalletClient({ account, chain, transport: http(anvil.rpcUrl) }) };
}

/** Simulates (so a revert surfaces decoded), sends, waits, and returns the call's result. */
async function send<const abi extends Abi>(
  index: number,
  call: { address: Address; abi: abi; functionName: string; args?: readonly unknown[]; value?: bigint },
): Promise<{ result: unknown; gasUsed: bigint }> {
  const { account, wallet } = clientsFor(index);
  const { request, result } = await publicClient.simulateContract({ ...call, account } as never);
  const hash = await wallet.writeContract(request as never);
  const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  expect(receipt.status).toBe('success');
  return { result, gasUsed: receipt.gasUsed };
}

const owner = 1;
const contributor = 2;
const curator = 3;
const modelOwner = 4;
const otherContributor = 5;
const addressOf = (i: number) => clientsFor(i).account.address;

beforeAll(async () => {
  anvil = await startAnvil({ chainId: CHAIN_ID, statePath });
  publicClient = createPublicClient({ chain: devnetChain(CHAIN_ID, anvil.rpcUrl), transport: http(anvil.rpcUrl) });
  addresses = (await deployProtocol({ rpcUrl: anvil.rpcUrl, devnetChainId: CHAIN_ID })).addresses;
});

afterAll(async () => {
  await anvil?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('protocol on a real Anvil', () => {
  const datanets = () => ({ address: addresses.DatanetRegistry, abi: DatanetRegistryAbi }) as const;
  const models = () => ({ address: addresses.ModelRegistry, abi: ModelRegistryAbi }) as const;
  const ledger = () => ({ address: addresses.AttributionLedger, abi: AttributionLedgerAbi }) as const;
  let datanetId: bigint;
  let adapterId: bigint;
  let batchId: bigint;
  let rewardTree: StandardMerkleTree<[Address, bigint]>;

  it('deploys every contract and hands ProtocolParams to the timelock', async () => {
    for (const [name, address] of Object.entries(addresses)) {
      expect((await publicClient.getCode({ address }))?.length ?? 0, name).toBeGreaterThan(2);
    }
    const paramsOwner = await publicClient.readContract({
      address: addresses.ProtocolParams,
      abi: ProtocolParamsAbi,
      functionName: 'owner',
    });
    expect(paramsOwner).toBe(addresses.OpenTimelock);
  });

  it('creates a datanet, takes a staked submission and accepts it', async () => {
    datanetId = (await send(owner, { ...datanets(), functionName: 'createDatanet', args: ['ipfs://meta', parseEther('1')] }))
      .result as bigint;
    await send(owner, { ...datanets(), functionName: 'setCurator', args: [datanetId, addressOf(curator), true] });
    const submissionId = (
      await send(contributor, {
        ...datanets(),
        functionName: 'submit',
        args: [datanetId, keccak256(toHex('batch-1')), 'file://batch-1.jsonl'],
        value: parseEther('1'),
      })
    ).result as bigint;
    expect(await publicClient.getBalance({ address: addresses.DatanetRegistry })).toBe(parseEther('1'));
    await send(curator, { ...datanets(), functionName: 'accept', args: [submissionId] });
    const owed = await publicClient.readContract({ ...datanets(), functionName: 'owed', args: [addressOf(contributor)] });
    expect(owed).toBe(parseEther('1'));
    await send(contributor, { ...datanets(), functionName: 'withdraw' });
    expect(await publicClient.getBalance({ address: addresses.DatanetRegistry })).toBe(0n);
  });

  it('commits a version built with StandardMerkleTree and verifies a record proof on chain', async () => {
    const records: [string, Hex][] = [
      [addressOf(contributor), keccak256(toHex('record-0'))],
      [addressOf(contributor), keccak256(toHex('record-1'))],
      [addressOf(otherContributor), keccak256(toHex('record-2'))],
    ];
    const tree = StandardMerkleTree.of(records, ['address', 'bytes32']);
    const snapshotSha256 = `0x${createHash('sha256').update(JSON.stringify(records)).digest('hex')}` as Hex;
    await send(curator, {
      ...datanets(),
      functionName: 'commitVersion',
      args: [datanetId, tree.root as Hex, snapshotSha256, BigInt(records.length)],
    });
    const version = await publicClient.readContract({ ...datanets(), functionName: 'getVersion', args: [datanetId, 1n] });
    expect(version.merkleRoot).toBe(tree.root);
    expect(version.snapshotSha256).toBe(snapshotSha256);
    for (const [i, [who, recordHash]] of tree.entries()) {
      const ok = await publicClient.readContract({
        ...datanets(),
        functionName: 'verifyRecord',
        args: [datanetId, 1n, who as Address, recordHash, tree.getProof(i) as Hex[]],
      });
      expect(ok).toBe(true);
    }
    const forged = await publicClient.readContract({
      ...datanets(),
      functionName: 'verifyRecord',
      args: [datanetId, 1n, addressOf(otherContributor), records[0]![1], tree.getProof(0) as Hex[]],
    });
    expect(forged).toBe(false);
  });

  it('registers a base model and an adapter with its lineage', async () => {
    const baseId = (await send(modelOwner, { ...models(), functionName: 'registerBaseModel', args: [keccak256(toHex('gpt2')), 'hf://gpt2'] }))
      .result as bigint;
    adapterId = (
      await send(modelOwner, {
        ...models(),
        functionName: 'registerAdapter',
        args: [baseId, keccak256(toHex('lora')), keccak256(toHex('config')), [{ datanetId, version: 1n }], 'file://lora'],
      })
    ).result as bigint;
    const [base, versions] = await publicClient.readContract({ ...models(), functionName: 'lineage', args: [adapterId] });
    expect(base).toBe(baseId);
    expect(versions).toEqual([{ datanetId, version: 1n }]);
  });

  it('settles inference fees through an attribution batch and a claim with a proof', async () => {
    await send(modelOwner, { ...ledger(), functionName: 'payInferenceFees', args: [adapterId, 1_000n], value: parseEther('10') });
    expect(await publicClient.readContract({ ...ledger(), functionName: 'rewardPool', args: [adapterId] })).toBe(parseEther('7'));
    rewardTree = StandardMerkleTree.of(
      [
        [addressOf(contributor), parseEther('4')],
        [addressOf(otherContributor), parseEther('3')],
      ],
      ['address', 'uint256'],
    );
    batchId = (
      await send(0, {
        ...ledger(),
        functionName: 'postBatch',
        args: [rewardTree.root as Hex, adapterId, parseEther('7'), 1_000n, 'file://batch.json'],
      })
    ).result as bigint;
    const before = await publicClient.getBalance({ address: addressOf(otherContributor) });
    // Dev account 0 sends the claim, so the contributor's balance moves by exactly the reward.
    await send(0, {
      ...ledger(),
      functionName: 'claim',
      args: [batchId, addressOf(otherContributor), parseEther('3'), rewardTree.getProof(1) as Hex[]],
    });
    expect((await publicClient.getBalance({ address: addressOf(otherContributor) })) - before).toBe(parseEther('3'));
  });

  it('rejects a double claim with the decoded custom error', async () => {
    const err = await send(0, {
      ...ledger(),
      functionName: 'claim',
      args: [batchId, addressOf(otherContributor), parseEther('3'), rewardTree.getProof(1) as Hex[]],
    }).catch((e: unknown) => e);
    const decoded = decodeRevert(err);
    expect(decoded?.errorName).toBe('AlreadyClaimed');
    expect(decoded?.args).toEqual([batchId, addressOf(otherContributor)]);
  });

  it('refuses a batch from an account that is not an operator', async () => {
    const err = await send(contributor, {
      ...ledger(),
      functionName: 'postBatch',
      args: [rewardTree.root as Hex, adapterId, 1n, 1n, ''],
    }).catch((e: unknown) => e);
    expect(decodeRevert(err)?.errorName).toBe('AccessControlUnauthorizedAccount');
  });

  it('decodes an error raised by a contract the called one called', async () => {
    // AttributionLedger asks ModelRegistry for the owner; the revert is ModelRegistry's.
    const err = await send(modelOwner, {
      ...ledger(),
      functionName: 'payInferenceFees',
      args: [999n, 1n],
      value: 1n,
    }).catch((e: unknown) => e);
    const decoded = decodeRevert(err);
    expect(decoded?.errorName).toBe('UnknownModel');
    expect(decoded?.args).toEqual([999n]);
  });

  it('keeps the protocol state across an Anvil restart with --state', async () => {
    // cacheTime 0: viem otherwise serves a block number up to 4 s old.
    const blockBefore = await publicClient.getBlockNumber({ cacheTime: 0 });
    await anvil.stop();
    anvil = await startAnvil({ chainId: CHAIN_ID, statePath });
    publicClient = createPublicClient({ chain: devnetChain(CHAIN_ID, anvil.rpcUrl), transport: http(anvil.rpcUrl) });
    expect(await publicClient.getBlockNumber({ cacheTime: 0 })).toBe(blockBefore);
    const claimed = await publicClient.readContract({
      ...ledger(),
      functionName: 'hasClaimed',
      args: [batchId, addressOf(otherContributor)],
    });
    expect(claimed).toBe(true);
    // And the chain still takes transactions: the other contributor's claim goes through.
    await send(0, {
      ...ledger(),
      functionName: 'claim',
      args: [batchId, addressOf(contributor), parseEther('4'), rewardTree.getProof(0) as Hex[]],
    });
  });
});
