import { safeStorage } from 'electron';
import type { Hex } from 'viem';
import { StudioError } from '../api/apiError';
import type { KeyEncryptionBackend } from '../chain/keys/keyEncryptionBackend';
import { KeyErrorCode } from '../chain/keys/keyErrors';

interface SealedFile {
  version: 1;
  kind: 'electron-safe-storage';
  /** The OS-keychain-encrypted private key, base64. */
  ciphertext: string;
}

/**
 * Seals keys with the OS keychain (Keychain on macOS, DPAPI on Windows, libsecret or KWallet on
 * Linux) through Electron's safeStorage: no passphrase to type, and the file is useless on any
 * other machine or user account. Not used where safeStorage would fall back to its hard-coded
 * 'basic_text' key (Linux without a keyring): there the passphrase keystore is safer.
 */
export class SafeStorageKeyBackend implements KeyEncryptionBackend {
  readonly kind = 'electron-safe-storage';
  readonly needsPassphrase = false;

  /** Call after `app.ready`. */
  static async usable(): Promise<boolean> {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  }

  async seal(privateKey: Hex): Promise<string> {
    const encrypted = await safeStorage.encryptStringAsync(privateKey);
    const file: SealedFile = { version: 1, kind: this.kind, ciphertext: encrypted.toString('base64') };
    return JSON.stringify(file, null, 2) + '\n';
  }

  async open(sealed: string): Promise<Hex> {
    let file: SealedFile;
    try {
      file = JSON.parse(sealed) as SealedFile;
    } catch {
      throw new StudioError(KeyErrorCode.InvalidKeystore, 'The sealed key file is not JSON.');
    }
    if (file.kind !== this.kind || typeof file.ciphertext !== 'string') {
      throw new StudioError(KeyErrorCode.InvalidKeystore, `The key file was sealed by "${String(file.kind)}", not by the OS keychain.`);
    }
    try {
      const { result } = await safeStorage.decryptStringAsync(Buffer.from(file.ciphertext, 'base64'));
      return result as Hex;
    } catch (err) {
      throw new StudioError(KeyErrorCode.InvalidKeystore, `The OS keychain could not unseal this key (another user or machine?): ${(err as Error).message}`);
    }
  }
}
