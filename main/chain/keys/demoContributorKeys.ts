// Demo contributors: the people whose records fill the demo datanets, so a presenter can show a
// contributor claiming its reward on the devnet. Their keys are derived from Anvil's public
// mnemonic (DEV_MNEMONIC) right after Anvil's own ten accounts, at m/44'/60'/0'/0/(10+i): as public
// as the dev accounts, labelled the same way, and refused off the devnet by the same guard.
import { mnemonicToSeedSync } from '@scure/bip39';
import { HDKey, hdKeyToAccount, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { bytesToHex } from 'viem';
import { assertDevKeyAllowed, DEV_MNEMONIC, type DevAccount, type DevKeyTarget } from './devKeys';

/** How many demo contributors exist: indexes 0..COUNT-1, derivation index 10+i. */
export const DEMO_CONTRIBUTOR_COUNT = 32;
const FIRST_DERIVATION_INDEX = 10;

let derived: readonly DevAccount[] | null = null;

/** Every demo contributor, derived on first use (one PBKDF2 of the mnemonic, then child keys). */
export function demoContributors(): readonly DevAccount[] {
  if (derived) return derived;
  const root = HDKey.fromMasterSeed(mnemonicToSeedSync(DEV_MNEMONIC));
  const accounts: DevAccount[] = [];
  for (let i = 0; i < DEMO_CONTRIBUTOR_COUNT; i++) {
    const account = hdKeyToAccount(root, { addressIndex: FIRST_DERIVATION_INDEX + i });
    const key = account.getHdKey().privateKey;
    if (!key) throw new Error(`demo contributor #${i + 1}: key derivation produced no private key`);
    accounts.push({ index: i, address: account.address, privateKey: bytesToHex(key), label: `Demo contributor #${i + 1} (public key, devnet only)` });
  }
  derived = accounts;
  return derived;
}

export function demoContributorByAddress(address: string): DevAccount | undefined {
  const lower = address.toLowerCase();
  return demoContributors().find((a) => a.address.toLowerCase() === lower);
}

/** A viem account for demo contributor `index`, after the dev-key guard accepted the target. */
export function demoContributorAccount(index: number, target: DevKeyTarget): PrivateKeyAccount {
  assertDevKeyAllowed(target);
  const account = demoContributors()[index];
  if (!account) throw new RangeError(`demo contributor index ${index} is outside 0..${DEMO_CONTRIBUTOR_COUNT - 1}`);
  return privateKeyToAccount(account.privateKey);
}
