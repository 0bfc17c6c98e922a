// Anvil's well-known development accounts. Their private keys are published in Foundry's docs
// and derived from the public mnemonic below, so anything they hold on a real network is taken
// within seconds. They are for the local devnet only: every use goes through the guard below.
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import type { Address, Hex } from 'viem';

export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

export interface DevAccount {
  index: number;
  address: Address;
  privateKey: Hex;
  /** Shown wherever the account appears, so nobody mistakes it for a real key. */
  label: string;
}

// Accounts 0..9 of DEV_MNEMONIC at m/44'/60'/0'/0/i; main/chain/keys/test/devKeys.test.ts re-derives
// them and compares with what Anvil reports.
const WELL_KNOWN: readonly (readonly [Address, Hex])[] = [
  ['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'],
  ['0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'],
  ['0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a'],
  ['0x90F79bf6EB2c4f870365E785982E1f101E93b906', '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6'],
  ['0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65', '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a'],
  ['0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc', '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba'],
  ['0x976EA74026E726554dB657fA54763abd0C3a0aa9', '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e'],
  ['0x14dC79964da2C08b23698B3D3cc7Ca32193d9955', '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356'],
  ['0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f', '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97'],
  ['0xa0Ee7A142d267C1f36714E4a8F75612F20a79720', '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6'],
];

export const DEV_ACCOUNTS: readonly DevAccount[] = WELL_KNOWN.map(([address, privateKey], index) => ({
  index,
  address,
  privateKey,
  label: `Anvil dev account #${index} (public key, devnet only)`,
}));

const byAddress = new Map(DEV_ACCOUNTS.map((a) => [a.address.toLowerCase(), a]));

/** The dev account with this address, if it is one: for labels in explorers and forms. */
export function devAccountByAddress(address: string): DevAccount | undefined {
  return byAddress.get(address.toLowerCase());
}

export function isDevAccount(address: string): boolean {
  return byAddress.has(address.toLowerCase());
}

export class DevKeyRefusedError extends Error {
  override readonly name = 'DevKeyRefusedError';
  readonly code = 'DEV_KEY_REFUSED';
  constructor(
    readonly chainId: number,
    readonly devnetChainId: number,
    readonly reason: string,
  ) {
    super(`Refusing to use Anvil's well-known dev keys: ${reason}`);
  }
}

export interface DevKeyTarget {
  /** The chain id the transaction is for (as reported by the RPC, not as configured). */
  chainId: number;
  /** The chain id of this workspace's local devnet. */
  devnetChainId: number;
  /** The RPC URL the transaction goes to; must be loopback. */
  rpcUrl?: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Throws DevKeyRefusedError unless the target is the local devnet. */
export function assertDevKeyAllowed(target: DevKeyTarget): void {
  const { chainId, devnetChainId, rpcUrl } = target;
  if (chainId !== devnetChainId) {
    throw new DevKeyRefusedError(chainId, devnetChainId, `chain ${chainId} is not the local devnet (${devnetChainId})`);
  }
  if (rpcUrl !== undefined) {
    let host: string;
    try {
      host = new URL(rpcUrl).hostname;
    } catch {
      throw new DevKeyRefusedError(chainId, devnetChainId, `RPC URL ${JSON.stringify(rpcUrl)} is not a URL`);
    }
    if (!LOOPBACK_HOSTS.has(host)) {
      throw new DevKeyRefusedError(chainId, devnetChainId, `RPC host ${host} is not loopback`);
    }
  }
}

/** A viem account for dev account `index`, after the guard accepted the target. */
export function devAccount(index: number, target: DevKeyTarget): PrivateKeyAccount {
  assertDevKeyAllowed(target);
  const account = DEV_ACCOUNTS[index];
  if (!account) throw new RangeError(`dev account index ${index} is outside 0..${DEV_ACCOUNTS.length - 1}`);
  return privateKeyToAccount(account.privateKey);
}
