// The explorer's reads against one devnet: blocks, transactions decoded with the protocol ABIs,
// accounts with labels, contract reads, and decoded logs. Shared by the core's handlers and the
// CLI's lock-free commands (call, logs), so both say the same thing.
import {
  BaseError,
  createPublicClient,
  decodeErrorResult,
  decodeFunctionData,
  formatEther,
  getAddress,
  http,
  isHash,
  type AbiFunction,
  type Address,
  type Hash,
  type PublicClient,
} from 'viem';
import { protocolAbi, protocolArtifacts, type ProtocolContractName } from '../../../contracts/generated/index.js';
import { ErrorCode, StudioError } from '../../api/apiError';
import { addressProblem, checksummed } from '../../api/checkAddress';
import type { AccountInfo, BlockDetail, BlockSummary, ContractAbi, ContractInfo, DecodedLog, TransactionDetail } from '../../api/chainSchemas';
import { ChainErrorCode, invalidArgument } from '../chainErrors';
import { convertArgs } from '../writes/convertArgs';
import { decodeLog } from './decodeLogs';
import { decodeRevert, describeError } from './decodeRevert';
import { devAccountByAddress } from '../keys/devKeys';
import { devnetChain } from '../devnet/devnetChain';
import { toJson } from './toJson';

export interface ChainTarget {
  rpcUrl: string;
  chainId: number;
  contracts: Record<string, Address>;
}

/** Maps an RPC failure to data; passes StudioErrors through. */
/** Every protocol contract's ABI from the generated artifacts: needs no running chain. */
export function protocolAbis(): ContractAbi[] {
  return Object.entries(protocolArtifacts).map(([name, a]) => ({ name, abi: [...a.abi] as unknown as Record<string, unknown>[] }));
}

export function rpcError(err: unknown, what: string): StudioError {
  if (err instanceof StudioError) return err;
  const message = err instanceof BaseError ? err.shortMessage : err instanceof Error ? err.message : String(err);
  return new StudioError(ChainErrorCode.RpcFailed, `${what}: ${message}`);
}

export class ChainExplorer {
  readonly client: PublicClient;
  /** Requests made in the same tick travel as one JSON-RPC batch (one HTTP round trip): for
   * reads that fan out over many blocks or accounts (listTransactions, listDevAccounts). */
  readonly batchClient: PublicClient;
  private readonly nameByAddress: Map<string, string>;

  constructor(readonly target: ChainTarget) {
    const chain = devnetChain(target.chainId, target.rpcUrl);
    this.client = createPublicClient({ chain, transport: http(target.rpcUrl, { timeout: 10_000 }) });
    this.batchClient = createPublicClient({ chain, transport: http(target.rpcUrl, { timeout: 30_000, batch: { batchSize: 1_000 } }) });
    this.nameByAddress = new Map(Object.entries(target.contracts).map(([name, a]) => [a.toLowerCase(), name]));
  }

  contractNameOf = (address: string | null | undefined): string | null => (address ? (this.nameByAddress.get(address.toLowerCase()) ?? null) : null);

  /** The contract's address and ABI; NOT_FOUND names the known contracts. */
  contract(name: string): { name: ProtocolContractName; address: Address; abi: (typeof protocolArtifacts)[ProtocolContractName]['abi'] } {
    const address = this.target.contracts[name];
    if (!address || !(name in protocolArtifacts)) {
      throw new StudioError(ErrorCode.NotFound, `No protocol contract named "${name}". Known: ${Object.keys(this.target.contracts).join(', ')}.`, {
        known: Object.keys(this.target.contracts),
      });
    }
    return { name: name as ProtocolContractName, address, abi: protocolArtifacts[name as ProtocolContractName].abi };
  }

  /** The ABI function `functionName` of `contract`; picks the overload with args.length inputs. */
  abiFunction(contract: string, functionName: string, argCount: number): AbiFunction {
    const { abi } = this.contract(contract);
    const fns = (abi as readonly { type: string; name?: string }[]).filter((i) => i.type === 'function' && i.name === functionName) as AbiFunction[];
    if (fns.length === 0) {
      const names = [...new Set((abi as readonly { type: string; name?: string }[]).filter((i) => i.type === 'function').map((i) => i.name))];
      throw new StudioError(ErrorCode.NotFound, `${contract} has no function "${functionName}". It has: ${names.join(', ')}.`, { functions: names });
    }
    return fns.find((f) => f.inputs.length === argCount) ?? fns[0]!;
  }

  contracts(): ContractInfo[] {
    return Object.entries(this.target.contracts).map(([name, address]) => ({
      name,
      address,
      abi: [...(protocolArtifacts[name as ProtocolContractName]?.abi ?? [])] as unknown as Record<string, unknown>[],
    }));
  }

  async blockNumber(): Promise<number> {
    return Number(await this.client.getBlockNumber({ cacheTime: 0 }));
  }

  async blocks(opts: { before?: number; limit?: number }): Promise<{ latest: number; blocks: BlockSummary[] }> {
    const latest = await this.blockNumber();
    const top = Math.min(latest, (opts.before ?? latest + 1) - 1);
    const limit = opts.limit ?? 20;
    const numbers = [];
    for (let n = top; n >= 0 && numbers.length < limit; n--) numbers.push(n);
    const blocks = await Promise.all(numbers.map((n) => this.client.getBlock({ blockNumber: BigInt(n) })));
    return { latest, blocks: blocks.map(summarizeBlock) };
  }

  async block(ref: { number?: number; hash?: string }): Promise<BlockDetail> {
    if (ref.hash !== undefined && !isHash(ref.hash)) throw invalidArgument(`hash: ${JSON.stringify(ref.hash)} is not a block hash (0x + 64 hex digits)`);
    let block;
    try {
      block =
        ref.hash !== undefined
          ? await this.client.getBlock({ blockHash: ref.hash as Hash, includeTransactions: true })
          : await this.client.getBlock({ blockNumber: BigInt(ref.number ?? (await this.blockNumber())), includeTransactions: true });
    } catch (err) {
      if (err instanceof BaseError && /not found|could not be found/i.test(err.shortMessage)) {
        throw new StudioError(ErrorCode.NotFound, `No block ${ref.hash ?? ref.number} on the devnet.`);
      }
      throw rpcError(err, 'reading the block');
    }
    return {
      ...summarizeBlock(block),
      parentHash: block.parentHash,
      miner: block.miner,
      gasLimit: Number(block.gasLimit),
      transactions: block.transactions.map((tx) => ({
        hash: tx.hash,
        from: getAddress(tx.from),
        to: tx.to ? getAddress(tx.to) : null,
        contractName: this.contractNameOf(tx.to),
        functionName: this.decodeCall(tx.to, tx.input)?.functionName ?? null,
        value: tx.value.toString(),
      })),
    };
  }

  /** The protocol function `input` calls on `to`, with named arguments; null when unknown. */
  decodeCall(to: string | null | undefined, input: `0x${string}`): { functionName: string; args: Record<string, unknown> } | null {
    if (!to || input.length < 10) return null;
    const name = this.contractNameOf(to);
    const abi = name ? protocolArtifacts[name as ProtocolContractName].abi : protocolAbi;
    try {
      const decoded = decodeFunctionData({ abi, data: input });
      const fn = (abi as readonly { type: string; name?: string; inputs?: readonly { name?: string }[] }[]).find(
        (i) => i.type === 'function' && i.name === decoded.functionName && (i.inputs?.length ?? 0) === (decoded.args?.length ?? 0),
      );
      const args = Object.fromEntries((decoded.args ?? []).map((v, i) => [fn?.inputs?.[i]?.name || String(i), toJson(v)]));
      return { functionName: decoded.functionName, args };
    } catch {
      return null;
    }
  }

  labelOf(address: string | null): string | null {
    if (!address) return null;
    const name = this.contractNameOf(address);
    if (name) return `${name} (protocol contract)`;
    return devAccountByAddress(address)?.label ?? null;
  }

  async transaction(hash: string): Promise<TransactionDetail> {
    if (!isHash(hash)) throw invalidArgument(`hash: ${JSON.stringify(hash)} is not a transaction hash (0x + 64 hex digits)`);
    let tx;
    try {
      tx = await this.client.getTransaction({ hash });
    } catch (err) {
      if (err instanceof BaseError && /could not be found|not found/i.test(err.shortMessage)) {
        throw new StudioError(ErrorCode.NotFound, `No transaction ${hash} on the devnet.`);
      }
      throw rpcError(err, 'reading the transaction');
    }
    const receipt = tx.blockNumber === null ? null : await this.client.getTransactionReceipt({ hash }).catch(() => null);
    const status = receipt ? receipt.status : 'pending';
    let revert: TransactionDetail['revert'] = null;
    if (receipt?.status === 'reverted') {
      // A receipt has no revert data; replaying the call on the block before gives it back.
      try {
        await this.client.call({ account: tx.from, to: tx.to ?? undefined, data: tx.input, value: tx.value, gas: tx.gas, blockNumber: receipt.blockNumber - 1n });
      } catch (err) {
        revert = decodeCallError(err);
      }
    }
    const to = tx.to ? getAddress(tx.to) : null;
    return {
      hash: tx.hash,
      status,
      blockNumber: tx.blockNumber === null ? null : Number(tx.blockNumber),
      from: getAddress(tx.from),
      fromLabel: this.labelOf(tx.from),
      to,
      toLabel: this.labelOf(to),
      contractName: this.contractNameOf(to ?? receipt?.contractAddress),
      createdContract: receipt?.contractAddress ? getAddress(receipt.contractAddress) : null,
      value: tx.value.toString(),
      nonce: tx.nonce,
      gasLimit: Number(tx.gas),
      gasUsed: receipt ? Number(receipt.gasUsed) : null,
      effectiveGasPrice: receipt ? receipt.effectiveGasPrice.toString() : null,
      fee: receipt ? (receipt.gasUsed * receipt.effectiveGasPrice).toString() : null,
      call: this.decodeCall(to, tx.input),
      input: tx.input,
      events: (receipt?.logs ?? []).map((l) => decodeLog(l, this.contractNameOf)),
      revert,
    };
  }

  async account(address: string): Promise<AccountInfo> {
    const problem = addressProblem(address);
    if (problem) throw invalidArgument(`address: ${JSON.stringify(address)} is not an address: ${problem}`);
    const a = checksummed(address);
    const [balance, nonce, code] = await Promise.all([
      this.client.getBalance({ address: a }),
      this.client.getTransactionCount({ address: a }),
      this.client.getCode({ address: a }),
    ]).catch((err: unknown) => {
      throw rpcError(err, 'reading the account');
    });
    const dev = devAccountByAddress(a);
    return {
      address: a,
      balance: balance.toString(),
      balanceFormatted: formatEther(balance),
      nonce,
      isContract: !!code && code !== '0x',
      contractName: this.contractNameOf(a),
      label: this.labelOf(a),
      devAccountIndex: dev?.index ?? null,
    };
  }

  async read(contract: string, functionName: string, args: readonly unknown[]): Promise<unknown> {
    const { address } = this.contract(contract);
    const fn = this.abiFunction(contract, functionName, args.length);
    const converted = convertArgs(fn, args);
    try {
      const result = await this.client.readContract({ address, abi: [fn], functionName: fn.name, args: converted } as never);
      return toJson(result);
    } catch (err) {
      const decoded = decodeCallError(err);
      if (decoded) throw new StudioError(ChainErrorCode.Reverted, `${contract}.${fn.name} reverted: ${decoded.errorName}`, decoded);
      throw rpcError(err, `${contract}.${fn.name}`);
    }
  }

  async logs(opts: { fromBlock?: number; toBlock?: number; contract?: string; limit?: number }): Promise<DecodedLog[]> {
    const address = opts.contract !== undefined ? this.contract(opts.contract).address : Object.values(this.target.contracts);
    if (Array.isArray(address) && address.length === 0) return [];
    // Anvil answers a range past its head with a bare "Invalid parameters": say which bound is wrong.
    if (opts.fromBlock !== undefined || opts.toBlock !== undefined) {
      const head = Number(await this.client.getBlockNumber().catch((err: unknown) => Promise.reject(rpcError(err, 'reading the latest block'))));
      for (const [name, v] of [['fromBlock', opts.fromBlock], ['toBlock', opts.toBlock]] as const) {
        if (v !== undefined && v > head) throw invalidArgument(`${name} ${v} is past the chain's latest block (${head}).`, { [name]: v, latest: head });
      }
      if (opts.fromBlock !== undefined && opts.toBlock !== undefined && opts.fromBlock > opts.toBlock) {
        throw invalidArgument(`fromBlock ${opts.fromBlock} is after toBlock ${opts.toBlock}.`, { fromBlock: opts.fromBlock, toBlock: opts.toBlock });
      }
    }
    const logs = await this.client
      .getLogs({
        address,
        fromBlock: BigInt(opts.fromBlock ?? 0),
        toBlock: opts.toBlock !== undefined ? BigInt(opts.toBlock) : 'latest',
      })
      .catch((err: unknown) => {
        throw rpcError(err, 'reading logs');
      });
    const decoded = logs.map((l) => decodeLog(l, this.contractNameOf));
    return opts.limit !== undefined ? decoded.slice(-opts.limit) : decoded;
  }
}

export function summarizeBlock(block: {
  number: bigint | null;
  hash: string | null;
  timestamp: bigint;
  transactions: readonly unknown[];
  gasUsed: bigint;
  baseFeePerGas: bigint | null;
}): BlockSummary {
  return {
    number: Number(block.number ?? 0n),
    hash: block.hash ?? '',
    timestamp: Number(block.timestamp),
    transactionCount: block.transactions.length,
    gasUsed: Number(block.gasUsed),
    baseFeePerGas: block.baseFeePerGas === null ? null : block.baseFeePerGas.toString(),
  };
}

/** A revert as data, JSON-safe (bigints as decimal strings): what CHAIN_REVERTED details carry. */
export interface DecodedCallError {
  errorName: string;
  args: unknown[];
  /** {inputName: value}; empty when no ABI declares the error. */
  namedArgs: Record<string, unknown>;
  /** "InsufficientWrapped(address,uint256,uint256)"; null when no ABI declares the error. */
  signature: string | null;
  message: string;
}

/** A revert that could not be decoded (a receipt says reverted; the replay gave no data). */
export const UNKNOWN_REVERT: DecodedCallError = { errorName: 'UnknownRevert', args: [], namedArgs: {}, signature: null, message: 'reverted without data' };

/** A revert as data, or null when `err` is no revert. */
export function decodeCallError(err: unknown): DecodedCallError | null {
  const decoded = decodeRevert(err);
  if (decoded) {
    return {
      errorName: decoded.errorName,
      args: toJson([...decoded.args]) as unknown[],
      namedArgs: toJson(decoded.namedArgs) as Record<string, unknown>,
      signature: decoded.signature,
      message: decoded.message,
    };
  }
  // eth_call errors from a raw client.call carry the data without a ContractFunctionRevertedError.
  if (err instanceof BaseError) {
    const withData = err.walk((e) => typeof (e as { data?: unknown }).data === 'string') as { data?: string } | null;
    const data = withData?.data;
    if (data && data.length >= 10) {
      const fromRaw = decodeRawRevert(data as `0x${string}`);
      if (fromRaw) return { ...fromRaw, message: err.shortMessage };
    }
  }
  return null;
}

function decodeRawRevert(data: `0x${string}`): Omit<DecodedCallError, 'message'> | null {
  try {
    const d = decodeErrorResult({ abi: protocolAbi, data });
    const args = d.args ?? [];
    const { namedArgs, signature } = describeError(d.abiItem, args);
    return { errorName: d.errorName, args: toJson([...args]) as unknown[], namedArgs: toJson(namedArgs) as Record<string, unknown>, signature };
  } catch {
    return null;
  }
}
