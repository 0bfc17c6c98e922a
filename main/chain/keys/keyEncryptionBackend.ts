// How a private key is sealed at rest. The CLI and serve mode seal with a passphrase into a Web3
// Secret Storage v3 keystore (passphraseKeystoreBackend.ts). The desktop app will seal with the
// OS keychain through Electron's safeStorage instead: that backend must live in main/electron
// (the core never imports Electron) and be handed to the core, implementing this interface.
import type { Hex } from 'viem';

/** What unlocks a sealed key: a passphrase for keystores; nothing for an OS-keychain backend. */
export interface KeyUnlock {
  passphrase?: string;
}

export interface KeyEncryptionBackend {
  /** Stored with each key, so a key is always opened by the backend that sealed it. */
  readonly kind: string;
  /** Whether seal/open need `KeyUnlock.passphrase` (the UI asks for one only then). */
  readonly needsPassphrase: boolean;
  /** The file's contents (UTF-8 text). Must not contain the private key in the clear. */
  seal(privateKey: Hex, unlock: KeyUnlock): Promise<string>;
  /** The private key; throws KEY_PASSPHRASE_INCORRECT or KEY_INVALID_KEYSTORE. */
  open(sealed: string, unlock: KeyUnlock): Promise<Hex>;
}
