// Deploys the protocol contracts to a devnet and wires their roles, using Anvil's well-known dev
// account #0 (refused on any chain but the devnet, see devKeys.ts).
//
// Contract addresses follow from the deployer's address and nonce, so every deployment is sent
// at once with explicit nonces and the receipts are awaited together: with 2 s blocks that is a
// block or two for the whole protocol instead of one block per contract.
import {
  createPublicClient,
  createWalletClient,
  getContractAddress,
  http,
  keccak256,
  toBytes,
  zeroAddress,
  type Address,
  type Hash,
  type PublicClient,
} from 'viem';
import {
  AttributionLedgerAbi,
  AttributionLedgerBytecode,
  DatanetRegistryAbi,
  DatanetRegistryBytecode,
  ModelRegistryAbi,
  ModelRegistryBytecode,
  OpenGovernorAbi,
  OpenGovernorBytecode,
  OpenTimelockAbi,
  OpenTimelockBytecode,
  ProtocolParamsAbi,
  ProtocolParamsBytecode,
  WrappedOpenAbi,
  WrappedOpenBytecode,
  type ProtocolContractName,
} from '../../../contracts/generated/index.js';
import { devAccount } from '../keys/devKeys.js';
import { devnetChain } from './devnetChain.js';

export type ProtocolAddresses = Record<ProtocolContractName, Address>;

export interface DeployOptions {
  rpcUrl: string;
  /** The devnet's chain id: the dev key guard compares it with what the RPC reports. */
  devnetChainId: number;
  /** Dev account index that deploys and administers. Default 0. */
  deployerIndex?: number;
  /** Accounts allowed to post attribution batches, besides the deployer. */
  operators?: Address[];
  /** On a devnet the deployer stays an admin of the ledger, so the app can add operators without
   * a governance vote; the timelock is an admin in every case. Default true. */
  keepDeployerAdmin?: boolean;
  timelockDelaySeconds?: number;
  votingDelayBlocks?: number;
  votingPeriodBlocks?: number;
  quorumPercent?: number;
  attributionThresholdBps?: number;
  contributorFeeBps?: number;
  modelOwnerFeeBps?: number;
  slashTreasuryBps?: number;
}

export interface DeployResult {
  addresses: ProtocolAddresses;
  deployer: Address;
  /** Block of the first deployment: where indexers and explorers start reading logs. */
  fromBlock: bigint;
  gasUsed: bigint;
}

export class DeployError extends Error {
  override readonly name = 'DeployError';
  readonly code = 'DEPLOY_FAILED';
  constructor(
    message: string,
    readonly details: { step: string; hash?: Hash },
  ) {
    super(message);
  }
}

const ROLE = {
  admin: '0x0000000000000000000000000000000000000000000000000000000000000000',
  proposer: keccak256(toBytes('PROPOSER_ROLE')),
  canceller: keccak256(toBytes('CANCELLER_ROLE')),
  operator: keccak256(toBytes('OPERATOR_ROLE')),
} as const;

async function waitAll(client: PublicClient, sent: { step: string; hash: Hash }[]): Promise<bigint> {
  let gas = 0n;
  let first: bigint | undefined;
  for (const { step, hash } of sent) {
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 100 });
    if (receipt.status !== 'success') throw new DeployError(`deploy step "${step}" reverted`, { step, hash });
    gas += receipt.gasUsed;
    if (first === undefined || receipt.blockNumber < first) first = receipt.blockNumber;
  }
  return gas;
}

export async function deployProtocol(options: DeployOptions): Promise<DeployResult> {
  const chain = devnetChain(options.devnetChainId, options.rpcUrl);
  const publicClient = createPublicClient({ chain, transport: http(options.rpcUrl) });
  const reportedChainId = await publicClient.getChainId();
  const account = devAccount(options.deployerIndex ?? 0, {
    chainId: reportedChainId,
    devnetChainId: options.devnetChainId,
    rpcUrl: options.rpcUrl,
  });
  const wallet = createWalletClient({ account, chain, transport: http(options.rpcUrl) });
  const deployer = account.address;
  const fromBlock = (await publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;

  let nonce = await publicClient.getTransactionCount({ address: deployer, blockTag: 'pending' });
  const at = (n: number): Address => getContractAddress({ from: deployer, nonce: BigInt(n) });
  const addresses: ProtocolAddresses = {
    WrappedOpen: at(nonce),
    OpenTimelock: at(nonce + 1),
    OpenGovernor: at(nonce + 2),
    ProtocolParams: at(nonce + 3),
    DatanetRegistry: at(nonce + 4),
    ModelRegistry: at(nonce + 5),
    AttributionLedger: at(nonce + 6),
  };

  // Round 1: the seven deployments. No constructor calls another contract, so they can be sent
  // before their dependencies are mined.
  const deployments: { step: string; hash: Hash }[] = [];
  const send = async (step: string, tx: (n: number) => Promise<Hash>) => {
    deployments.push({ step, hash: await tx(nonce) });
    nonce += 1;
  };
  await send('WrappedOpen', (n) => wallet.deployContract({ abi: WrappedOpenAbi, bytecode: WrappedOpenBytecode, nonce: n }));
  await send('OpenTimelock', (n) =>
    wallet.deployContract({
      abi: OpenTimelockAbi,
      bytecode: OpenTimelockBytecode,
      // No proposers yet (the governor gets the role below); executor zero means anyone may
      // execute a proposal once its delay passed; the deployer is admin only until wiring ends.
      args: [BigInt(options.timelockDelaySeconds ?? 60), [], [zeroAddress], deployer],
      nonce: n,
    }),
  );
  await send('OpenGovernor', (n) =>
    wallet.deployContract({
      abi: OpenGovernorAbi,
      bytecode: OpenGovernorBytecode,
      args: [
        addresses.WrappedOpen,
        addresses.OpenTimelock,
        options.votingDelayBlocks ?? 1,
        options.votingPeriodBlocks ?? 50,
        0n,
        BigInt(options.quorumPercent ?? 4),
      ],
      nonce: n,
    }),
  );
  await send('ProtocolParams', (n) =>
    wallet.deployContract({
      abi: ProtocolParamsAbi,
      bytecode: ProtocolParamsBytecode,
      args: [
        addresses.OpenTimelock,
        addresses.OpenTimelock,
        options.attributionThresholdBps ?? 1,
        options.contributorFeeBps ?? 7_000,
        options.modelOwnerFeeBps ?? 2_000,
        options.slashTreasuryBps ?? 5_000,
      ],
      nonce: n,
    }),
  );
  await send('DatanetRegistry', (n) =>
    wallet.deployContract({ abi: DatanetRegistryAbi, bytecode: DatanetRegistryBytecode, args: [addresses.ProtocolParams], nonce: n }),
  );
  await send('ModelRegistry', (n) =>
    wallet.deployContract({ abi: ModelRegistryAbi, bytecode: ModelRegistryBytecode, args: [addresses.DatanetRegistry], nonce: n }),
  );
  await send('AttributionLedger', (n) =>
    wallet.deployContract({
      abi: AttributionLedgerAbi,
      bytecode: AttributionLedgerBytecode,
      args: [addresses.ProtocolParams, addresses.ModelRegistry, deployer],
      nonce: n,
    }),
  );
  let gasUsed = await waitAll(publicClient, deployments);

  // Round 2: roles. Sent after the contracts exist so gas estimation sees their code.
  const wiring: { step: string; hash: Hash }[] = [];
  const call = async (step: string, tx: (n: number) => Promise<Hash>) => {
    wiring.push({ step, hash: await tx(nonce) });
    nonce += 1;
  };
  const timelock = { address: addresses.OpenTimelock, abi: OpenTimelockAbi } as const;
  const ledger = { address: addresses.AttributionLedger, abi: AttributionLedgerAbi } as const;
  await call('governor proposes', (n) =>
    wallet.writeContract({ ...timelock, functionName: 'grantRole', args: [ROLE.proposer, addresses.OpenGovernor], nonce: n }),
  );
  await call('governor cancels', (n) =>
    wallet.writeContract({ ...timelock, functionName: 'grantRole', args: [ROLE.canceller, addresses.OpenGovernor], nonce: n }),
  );
  await call('timelock administers itself', (n) =>
    wallet.writeContract({ ...timelock, functionName: 'renounceRole', args: [ROLE.admin, deployer], nonce: n }),
  );
  await call('timelock administers ledger', (n) =>
    wallet.writeContract({ ...ledger, functionName: 'grantRole', args: [ROLE.admin, addresses.OpenTimelock], nonce: n }),
  );
  for (const operator of [deployer, ...(options.operators ?? [])]) {
    await call(`operator ${operator}`, (n) =>
      wallet.writeContract({ ...ledger, functionName: 'grantRole', args: [ROLE.operator, operator], nonce: n }),
    );
  }
  if (options.keepDeployerAdmin === false) {
    await call('deployer renounces ledger admin', (n) =>
      wallet.writeContract({ ...ledger, functionName: 'renounceRole', args: [ROLE.admin, deployer], nonce: n }),
    );
  }
  gasUsed += await waitAll(publicClient, wiring);

  return { addresses, deployer, fromBlock, gasUsed };
}
