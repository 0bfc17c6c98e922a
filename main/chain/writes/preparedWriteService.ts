// Two-step writes with a stored key: prepare simulates the call, estimates gas and fee and
// returns what a person must see (decoded call, fee in the network's currency) without signing
// anything; confirm, with the key's passphrase, re-checks the chain and the simulation, signs and
// sends. Protocol publications sent this way are recorded like PublishingService's: a row
// 'pending' before sending, then 'confirmed' or 'failed'; a simulation revert records nothing.
import crypto from 'node:crypto';
import {
  createWalletClient,
  defineChain,
  encodeFunctionData,
  formatEther,
  http,
  parseEther,
  type AbiFunction,
  type Address,
  type Chain,
  type Hash,
} from 'viem';
import { estimateL1Fee } from 'viem/op-stack';
import { protocolArtifacts } from '../../../contracts/generated/index.js';
import { ErrorCode, StudioError, toApiError } from '../../api/apiError';
import { maskRpcUrl } from '../../api/redactSecrets';
import type { Publication } from '../../api/chainSchemas';
import type { ConfirmWriteResult, Network, PreparedWrite, PrepareWriteParams } from '../../api/networkSchemas';
import { PrepareWriteParamsSchema } from '../../api/networkSchemas';
import type { Db } from '../../workspace/openDatabase';
import { ChainErrorCode, invalidArgument } from '../chainErrors';
import { ChainExplorer, decodeCallError, rpcError, UNKNOWN_REVERT } from '../explorer/chainExplorer';
import { checkRpc } from '../networks/checkRpc';
import { convertArgs } from './convertArgs';
import { decodeLog } from '../explorer/decodeLogs';
import { privateKeyToAccount } from 'viem/accounts';
import { assertDevKeyAllowed, DEV_ACCOUNTS, DevKeyRefusedError, isDevAccount } from '../keys/devKeys';
import type { KeyStore } from '../keys/keyStore';
import { publicationKindOf, publicationTitle } from '../publishing/publicationKindOf';
import { insertPending, publicPublication, updatePublication } from '../publishing/publicationsRepository';
import { revertedError } from './sendAsDevAccount';
import { toJson } from '../explorer/toJson';
import { retryWhileBusy } from '../../workspace/retryWhileBusy';

/** How long a prepared write may wait for its confirmation: fees and chain state move on. */
export const PREPARED_TTL_MS = 5 * 60_000;

/** A network ready to use: the devnet's rpcUrl is known only while it runs. */
export type ResolvedNetwork = Omit<Network, 'rpcUrl'> & { rpcUrl: string };

export interface PreparedWriteDeps {
  db: Db;
  keys: KeyStore;
  /** The network by name; NOT_FOUND, or CHAIN_NOT_RUNNING for a stopped devnet. */
  network(name: string): ResolvedNetwork;
  devnetChainId(): number;
  announce(p: Publication): void;
}

interface Entry {
  view: PreparedWrite;
  network: ResolvedNetwork;
  contracts: Record<string, Address>;
  fn: AbiFunction;
  args: unknown[];
  value: bigint;
  gas: bigint;
  fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { gasPrice: bigint };
  expires: number;
  /** Set while a confirm unlocks the key: a second confirm must not send it again meanwhile. */
  confirming: boolean;
  /** Anvil's dev account index when one signs instead of a stored key. */
  devAccount: number | null;
}

function chainOf(n: ResolvedNetwork): Chain {
  return defineChain({
    id: n.chainId,
    name: n.name,
    nativeCurrency: { name: n.currencySymbol, symbol: n.currencySymbol, decimals: 18 },
    rpcUrls: { default: { http: [n.rpcUrl] } },
  });
}

function parseAmount(text: string, symbol: string): bigint {
  const t = text.trim();
  if (!/^\d+(\.\d{1,18})?$/.test(t)) {
    throw invalidArgument(`value: ${JSON.stringify(text)} is not an amount of ${symbol} (a non-negative decimal with at most 18 decimals, e.g. 1.5)`, { field: 'value' });
  }
  return parseEther(t);
}

function signatureOf(fn: AbiFunction): string {
  return `${fn.name}(${fn.inputs.map((p, i) => `${p.type} ${p.name || `arg${i}`}`).join(', ')})`;
}

/** A refused dev key as the API's DEV_KEY_REFUSED. */
function guardDevKey(address: string, target: { chainId: number; devnetChainId: number; rpcUrl: string; builtIn: boolean }): void {
  if (!isDevAccount(address)) return;
  try {
    if (!target.builtIn) throw new DevKeyRefusedError(target.chainId, target.devnetChainId, 'this network is not the local devnet');
    assertDevKeyAllowed(target);
  } catch (err) {
    const e = err as DevKeyRefusedError;
    throw new StudioError(ChainErrorCode.DevKeyRefused, `${address} is one of Anvil's published dev keys. ${e.message}`, { chainId: e.chainId, devnetChainId: e.devnetChainId });
  }
}

export class PreparedWriteService {
  private readonly prepared = new Map<string, Entry>();

  constructor(private readonly deps: PreparedWriteDeps) {}

  /**
   * `signer.devAccount` signs with Anvil's dev account N instead of the stored key `from` (the
   * core's own callers only, e.g. governance on the devnet: the API's chain.prepareWrite always
   * names a key). It is refused on every network but the built-in devnet.
   */
  async prepare(input: PrepareWriteParams, signer: { devAccount?: number } = {}): Promise<PreparedWrite> {
    const p = PrepareWriteParamsSchema.parse(input);
    this.sweep();
    const network = this.deps.network(p.network);
    // Which contract: a recorded one by name, or any address with a protocol ABI.
    let contractName: string;
    let contracts = network.contracts as Record<string, Address>;
    if (p.contract !== undefined) {
      if (p.address !== undefined || p.abi !== undefined) throw invalidArgument('contract: give either contract, or address with abi, not both.', { field: 'contract' });
      if (!network.contracts[p.contract]) {
        const known = Object.keys(network.contracts);
        throw invalidArgument(
          `contract: no protocol contract "${p.contract}" is recorded for network ${network.name}${known.length ? ` (it has ${known.join(', ')})` : ''}; pass address and abi instead.`,
          { field: 'contract', known },
        );
      }
      contractName = p.contract;
    } else {
      if (p.address === undefined || p.abi === undefined) throw invalidArgument('contract: give a contract name, or address with abi (a protocol contract name).', { field: 'contract' });
      if (!(p.abi in protocolArtifacts)) throw invalidArgument(`abi: "${p.abi}" is not a protocol contract. Known: ${Object.keys(protocolArtifacts).join(', ')}.`, { field: 'abi' });
      contractName = p.abi;
      contracts = { ...contracts, [p.abi]: p.address as Address };
    }
    const explorer = new ChainExplorer({ rpcUrl: network.rpcUrl, chainId: network.chainId, contracts });
    const { address: to } = explorer.contract(contractName);
    const fn = explorer.abiFunction(contractName, p.functionName, p.args.length);
    if (fn.stateMutability === 'view' || fn.stateMutability === 'pure') {
      throw invalidArgument(`functionName: ${contractName}.${fn.name} is a ${fn.stateMutability} function: read it instead of sending a transaction.`, { field: 'functionName' });
    }
    const value = p.value !== undefined ? parseAmount(p.value, network.currencySymbol) : 0n;
    if (value > 0n && fn.stateMutability !== 'payable') throw invalidArgument(`value: ${contractName}.${fn.name} is not payable.`, { field: 'value' });
    const args = convertArgs(fn, p.args);
    const devIndex = signer.devAccount ?? null;
    if (devIndex !== null && !network.builtIn) {
      throw new StudioError(ChainErrorCode.DevKeyRefused, `Anvil's dev accounts sign on the local devnet only; on ${network.name} pick a stored key.`, { network: network.name });
    }
    const key =
      devIndex === null
        ? this.deps.keys.get(p.from)
        : { id: `dev:${devIndex}`, address: DEV_ACCOUNTS[devIndex]!.address, label: DEV_ACCOUNTS[devIndex]!.label };

    // The RPC must be up and be the chain the network says, before a dev key is judged by it.
    const { reportedChainId } = await checkRpc(network.rpcUrl, network.chainId);
    guardDevKey(key.address, { chainId: reportedChainId, devnetChainId: this.deps.devnetChainId(), rpcUrl: network.rpcUrl, builtIn: network.builtIn });

    const call = { address: to, abi: [fn], functionName: fn.name, args, account: key.address, ...(value > 0n ? { value } : {}) } as const;
    const what = `${contractName}.${fn.name}`;
    let simulated: unknown;
    let estimate: bigint;
    try {
      simulated = ((await explorer.client.simulateContract(call as never)) as { result: unknown }).result;
      estimate = await explorer.client.estimateContractGas(call as never);
    } catch (err) {
      const decoded = decodeCallError(err);
      if (decoded) throw revertedError(what, decoded);
      throw rpcError(err, `simulating ${what} on ${network.name}`);
    }
    // Same margin as the devnet's sends: a first write to a slot in the next block costs more
    // than the estimate taken on the latest one; unused gas is refunded.
    const gas = (estimate * 13n) / 10n + 20_000n;
    let fees: Entry['fees'];
    try {
      const f = await explorer.client.estimateFeesPerGas();
      fees = { maxFeePerGas: f.maxFeePerGas, maxPriorityFeePerGas: f.maxPriorityFeePerGas };
    } catch {
      // A chain without EIP-1559 blocks: a legacy gas price.
      fees = { gasPrice: await explorer.client.getGasPrice().catch((err: unknown) => Promise.reject(rpcError(err, 'reading the gas price'))) };
    }
    const perGas = 'gasPrice' in fees ? fees.gasPrice : fees.maxFeePerGas;
    const data = encodeFunctionData({ abi: [fn], functionName: fn.name, args } as never);
    // OP Stack chains also charge for posting the transaction to L1; other chains have no oracle.
    const l1DataFee = await estimateL1Fee(explorer.client as never, { chain: chainOf(network), account: key.address, to, data, value, gas } as never).catch(() => null);
    const maxExecutionFee = gas * perGas;
    const total = maxExecutionFee + (l1DataFee ?? 0n);

    const kind = publicationKindOf(contractName, fn.name);
    const named = Object.fromEntries(fn.inputs.map((inp, i) => [inp.name || `arg${i}`, toJson(args[i])]));
    const preparedId = crypto.randomUUID();
    const expires = Date.now() + PREPARED_TTL_MS;
    const view: PreparedWrite = {
      preparedId,
      network: network.name,
      chainId: network.chainId,
      rpcUrl: maskRpcUrl(network.rpcUrl),
      from: key.address,
      fromLabel: key.label,
      keyId: key.id,
      devAccount: devIndex,
      to,
      contractName,
      call: { functionName: fn.name, signature: signatureOf(fn), args: named },
      value: value.toString(),
      valueFormatted: `${formatEther(value)} ${network.currencySymbol}`,
      gasLimit: gas.toString(),
      fee: {
        maxExecutionFee: maxExecutionFee.toString(),
        l1DataFee: l1DataFee === null ? null : l1DataFee.toString(),
        total: total.toString(),
        totalFormatted: `${formatEther(total)} ${network.currencySymbol}`,
        currencySymbol: network.currencySymbol,
        maxFeePerGas: 'maxFeePerGas' in fees ? fees.maxFeePerGas.toString() : null,
        maxPriorityFeePerGas: 'maxPriorityFeePerGas' in fees ? fees.maxPriorityFeePerGas.toString() : null,
        gasPrice: 'gasPrice' in fees ? fees.gasPrice.toString() : null,
      },
      simulatedResult: toJson(simulated),
      publicationKind: kind,
      expiresAt: new Date(expires).toISOString(),
    };
    this.prepared.set(preparedId, { view, network, contracts, fn, args, value, gas, fees, expires, confirming: false, devAccount: devIndex });
    return view;
  }

  /** Signs and sends a prepared write; each preparedId is sent at most once. */
  async confirm(opts: { preparedId: string; passphrase?: string | undefined }): Promise<ConfirmWriteResult> {
    this.sweep();
    const entry = this.prepared.get(opts.preparedId);
    if (!entry) {
      throw new StudioError(ChainErrorCode.PreparedExpired, `No prepared write ${opts.preparedId}: it was sent already, or expired (they last ${PREPARED_TTL_MS / 60_000} minutes). Prepare it again.`);
    }
    if (entry.confirming) throw new StudioError(ErrorCode.Conflict, `Prepared write ${opts.preparedId} is being confirmed already.`);
    const { view, network } = entry;
    entry.confirming = true;
    let account;
    try {
      account =
        entry.devAccount !== null
          ? privateKeyToAccount(DEV_ACCOUNTS[entry.devAccount]!.privateKey)
          : await this.deps.keys.account(view.keyId, opts.passphrase !== undefined ? { passphrase: opts.passphrase } : {});
    } catch (err) {
      // A wrong passphrase leaves the prepared write in place, so the user can try again.
      entry.confirming = false;
      throw err;
    }
    this.prepared.delete(opts.preparedId);

    const { reportedChainId } = await checkRpc(network.rpcUrl, network.chainId);
    guardDevKey(account.address, { chainId: reportedChainId, devnetChainId: this.deps.devnetChainId(), rpcUrl: network.rpcUrl, builtIn: network.builtIn });
    const explorer = new ChainExplorer({ rpcUrl: network.rpcUrl, chainId: network.chainId, contracts: entry.contracts });
    const what = `${view.contractName}.${entry.fn.name}`;
    const call = { address: view.to, abi: [entry.fn], functionName: entry.fn.name, args: entry.args, account, ...(entry.value > 0n ? { value: entry.value } : {}) } as const;
    // The state may have moved since prepare: a revert now is reported and nothing is recorded.
    let simulated: unknown;
    try {
      simulated = ((await explorer.client.simulateContract(call as never)) as { result: unknown }).result;
    } catch (err) {
      const decoded = decodeCallError(err);
      if (decoded) throw revertedError(what, decoded);
      throw rpcError(err, `simulating ${what} on ${network.name}`);
    }

    let row: Publication | undefined;
    if (view.publicationKind) {
      row = insertPending(this.deps.db, {
        kind: view.publicationKind,
        title: publicationTitle(view.publicationKind, view.call.args, network.name),
        chainId: network.chainId,
        contract: view.contractName,
        functionName: entry.fn.name,
        params: { network: network.name, from: view.from, to: view.to, args: view.call.args },
      });
      row = publicPublication(row);
      this.deps.announce(row);
    }
    const fail = (err: unknown): never => {
      const error = toApiError(err);
      if (row) this.deps.announce(updatePublication(this.deps.db, row.id, { status: 'failed', error }));
      const details = { ...(typeof error.details === 'object' && error.details !== null ? error.details : {}), ...(row ? { publicationId: row.id } : {}) };
      throw new StudioError(error.code, error.message, details);
    };

    const wallet = createWalletClient({ account, chain: chainOf(network), transport: http(network.rpcUrl, { timeout: 30_000 }) });
    let hash: Hash;
    try {
      hash = await wallet.writeContract({ ...call, gas: entry.gas, ...entry.fees } as never);
    } catch (err) {
      const decoded = decodeCallError(err);
      return fail(decoded ? revertedError(what, decoded) : rpcError(err, `sending ${what} to ${network.name}`));
    }
    // Sent: recorded even while an import's commit holds the write lock (retryWhileBusy).
    const sent = row;
    if (sent) this.deps.announce(await retryWhileBusy(() => updatePublication(this.deps.db, sent.id, { txHash: hash })));
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(network.rpcUrl).hostname);
    let receipt;
    try {
      receipt = await explorer.client.waitForTransactionReceipt({ hash, pollingInterval: loopback ? 100 : 1_000, timeout: 180_000 });
    } catch (err) {
      // Sent but not seen mined: the row stays 'pending' with its hash (it may still land).
      throw rpcError(err, `waiting for ${what} (${hash}) on ${network.name}`);
    }
    if (receipt.status !== 'success') {
      const detail = await explorer.transaction(hash).catch(() => null);
      return fail(revertedError(what, detail?.revert ?? UNKNOWN_REVERT, { hash }));
    }
    if (row) {
      const id = row.id;
      row = await retryWhileBusy(() =>
        updatePublication(this.deps.db, id, {
          status: 'confirmed',
          blockNumber: Number(receipt.blockNumber),
          blockHash: receipt.blockHash,
          result: toJson(simulated),
        }),
      );
      this.deps.announce(row);
    }
    return {
      hash,
      status: receipt.status,
      network: network.name,
      chainId: network.chainId,
      blockNumber: Number(receipt.blockNumber),
      gasUsed: Number(receipt.gasUsed),
      fee: (receipt.gasUsed * receipt.effectiveGasPrice).toString(),
      result: toJson(simulated),
      events: receipt.logs.map((l) => decodeLog(l, explorer.contractNameOf)),
      publication: row ?? null,
    };
  }

  /** Forgets a prepared write the user cancelled; unknown or expired ids are fine. One being
   * confirmed right now is left to finish (it may be sending). */
  discard(preparedId: string): { discarded: boolean } {
    this.sweep();
    const entry = this.prepared.get(preparedId);
    if (!entry || entry.confirming) return { discarded: false };
    this.prepared.delete(preparedId);
    return { discarded: true };
  }

  /** Drops expired entries (they hold no secret, but should not pile up). */
  private sweep(): void {
    const now = Date.now();
    for (const [id, e] of this.prepared) if (e.expires <= now) this.prepared.delete(id);
  }
}
