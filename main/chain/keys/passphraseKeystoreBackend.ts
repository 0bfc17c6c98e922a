// Seals keys as Web3 Secret Storage v3 keystores: the files are what geth, Foundry (`cast wallet
// import --keystore-dir`) and MetaMask read, so a user can take a key out of the app.
import type { Hex } from 'viem';
import { StudioError } from '../../api/apiError';
import type { KeyEncryptionBackend, KeyUnlock } from './keyEncryptionBackend';
import { KeyErrorCode } from './keyErrors';
import { decryptKeystoreV3, encryptKeystoreV3, type ScryptParams } from './keystoreV3';

/** Short passphrases make scrypt's cost moot; 8 characters is the floor, not advice. */
export const MIN_PASSPHRASE_LENGTH = 8;

function passphraseOf(unlock: KeyUnlock): string {
  const p = unlock.passphrase;
  if (typeof p !== 'string' || p.length === 0) throw new StudioError(KeyErrorCode.InvalidKey, 'passphrase: a passphrase is needed to seal or unlock a keystore.');
  return p;
}

export class PassphraseKeystoreBackend implements KeyEncryptionBackend {
  readonly kind = 'keystore-v3';
  readonly needsPassphrase = true;

  /** `scrypt` overrides the cost (tests); files always record what they used. */
  constructor(private readonly scrypt?: ScryptParams) {}

  async seal(privateKey: Hex, unlock: KeyUnlock): Promise<string> {
    const passphrase = passphraseOf(unlock);
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new StudioError(KeyErrorCode.InvalidKey, `passphrase: must be at least ${MIN_PASSPHRASE_LENGTH} characters.`);
    }
    const ks = await encryptKeystoreV3(privateKey, passphrase, this.scrypt ? { scrypt: this.scrypt } : {});
    return JSON.stringify(ks, null, 2) + '\n';
  }

  async open(sealed: string, unlock: KeyUnlock): Promise<Hex> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(sealed);
    } catch {
      throw new StudioError(KeyErrorCode.InvalidKeystore, 'The keystore file is not JSON.');
    }
    return (await decryptKeystoreV3(parsed, passphraseOf(unlock))).privateKey;
  }
}
