/** Error codes of the keys (keystores) part of the chain capability. */
export const KeyErrorCode = {
  /** The passphrase is wrong, or the keystore file was changed (v3 cannot tell which). */
  PassphraseIncorrect: 'KEY_PASSPHRASE_INCORRECT',
  /** A keystore file that is not v3/scrypt/aes-128-ctr, or is damaged. */
  InvalidKeystore: 'KEY_INVALID_KEYSTORE',
  /** A private key or passphrase that cannot be used (named field; the value is never echoed). */
  InvalidKey: 'KEY_INVALID',
} as const;
