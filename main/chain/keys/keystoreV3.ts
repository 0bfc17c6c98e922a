// Web3 Secret Storage v3 (the keystore format geth, Foundry's `cast wallet` and MetaMask import):
// scrypt (or, in older files, PBKDF2) derives 32 bytes from the passphrase; the first 16 are
// the AES-128-CTR key for the
// private key, the last 16 are hashed with the ciphertext (keccak256) into the MAC that tells a
// wrong passphrase (or a changed file) from a right one before anything is decrypted.
// main/chain/keys/test/keystoreV3.test.ts checks it against the format's published test vectors.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { bytesToHex, isHex, keccak256, type Address, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { StudioError } from '../../api/apiError';
import { KeyErrorCode } from './keyErrors';

const scrypt = promisify(crypto.scrypt) as (password: Buffer, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;
const pbkdf2 = promisify(crypto.pbkdf2);

export interface KeystoreV3 {
  version: 3;
  id: string;
  /** Lowercase hex without 0x, as geth writes it. */
  address: string;
  crypto: {
    cipher: 'aes-128-ctr';
    cipherparams: { iv: string };
    ciphertext: string;
    /** New files use scrypt; pbkdf2 (hmac-sha256) files from other tools are read too. */
    kdf: 'scrypt' | 'pbkdf2';
    kdfparams: { dklen: number; n: number; r: number; p: number; salt: string } | { dklen: number; c: number; prf: 'hmac-sha256'; salt: string };
    mac: string;
  };
}

export interface ScryptParams {
  n: number;
  r: number;
  p: number;
}

/** ethers' and MetaMask's default: 128 MiB and about half a second here. geth's "standard"
 * (n 2^18) doubles both; tests pass a small n to stay fast. */
export const DEFAULT_SCRYPT: ScryptParams = { n: 1 << 17, r: 8, p: 1 };

/** Files from other tools may ask for more; refuse what would exhaust memory (1 GiB) first. */
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;

// Written as NFKC (as ethers does), so the same passphrase typed on another keyboard layout or
// OS still opens the file. geth hashes the bytes as typed: reading tries those too (below).
function passphraseBytes(passphrase: string, raw = false): Buffer {
  return Buffer.from(raw ? passphrase : passphrase.normalize('NFKC'), 'utf8');
}

async function deriveScrypt(passphrase: Buffer | string, salt: Buffer, p: ScryptParams, dklen: number): Promise<Buffer> {
  const memory = 128 * p.n * p.r;
  if (!Number.isInteger(p.n) || p.n < 2 || (p.n & (p.n - 1)) !== 0 || memory > MAX_SCRYPT_MEMORY) {
    throw new StudioError(KeyErrorCode.InvalidKeystore, `The keystore's scrypt parameters (n ${p.n}, r ${p.r}) are not a power of two or need more than 1 GiB of memory.`);
  }
  try {
    // Node refuses scrypt above maxmem (32 MiB by default): allow what the parameters need.
    return await scrypt(typeof passphrase === 'string' ? passphraseBytes(passphrase) : passphrase, salt, dklen, { N: p.n, r: p.r, p: p.p, maxmem: memory * 2 + 1024 * 1024 });
  } catch (err) {
    // OpenSSL also enforces RFC 7914's n < 2^(16 r), which geth's, ethers' and our own files meet.
    throw new StudioError(KeyErrorCode.InvalidKeystore, `The keystore's scrypt parameters (n ${p.n}, r ${p.r}, p ${p.p}) are not supported here: ${(err as Error).message}`);
  }
}

/** keccak256(derivedKey[16..32] ++ ciphertext), hex without 0x. */
export function keystoreMac(derived: Uint8Array, ciphertext: Uint8Array): string {
  return keccak256(Buffer.concat([Buffer.from(derived).subarray(16, 32), ciphertext])).slice(2);
}

/** AES-128-CTR with the derived key's first 16 bytes (the same call encrypts and decrypts). */
export function keystoreCipher(derived: Uint8Array, iv: Uint8Array, input: Uint8Array): Buffer {
  const c = crypto.createDecipheriv('aes-128-ctr', Buffer.from(derived).subarray(0, 16), iv);
  return Buffer.concat([c.update(input), c.final()]);
}

/** Seals `privateKey` under `passphrase`. `fixed` pins salt, iv and id (test vectors only). */
export async function encryptKeystoreV3(
  privateKey: Hex,
  passphrase: string,
  options: { scrypt?: ScryptParams; pbkdf2Iterations?: number; fixed?: { salt: Buffer; iv: Buffer; id: string } } = {},
): Promise<KeystoreV3> {
  const salt = options.fixed?.salt ?? crypto.randomBytes(32);
  const iv = options.fixed?.iv ?? crypto.randomBytes(16);
  // pbkdf2 only on request (reproducing the format's pbkdf2 vector); scrypt is the default.
  const params = options.scrypt ?? DEFAULT_SCRYPT;
  const c = options.pbkdf2Iterations;
  const derived = c !== undefined ? await pbkdf2(passphraseBytes(passphrase), salt, c, 32, 'sha256') : await deriveScrypt(passphrase, salt, params, 32);
  const ciphertext = keystoreCipher(derived, iv, Buffer.from(privateKey.slice(2), 'hex'));
  return {
    version: 3,
    id: options.fixed?.id ?? crypto.randomUUID(),
    address: privateKeyToAddress(privateKey).slice(2).toLowerCase(),
    crypto: {
      cipher: 'aes-128-ctr',
      cipherparams: { iv: iv.toString('hex') },
      ciphertext: ciphertext.toString('hex'),
      ...(c !== undefined
        ? { kdf: 'pbkdf2' as const, kdfparams: { c, dklen: 32, prf: 'hmac-sha256' as const, salt: salt.toString('hex') } }
        : { kdf: 'scrypt' as const, kdfparams: { dklen: 32, n: params.n, r: params.r, p: params.p, salt: salt.toString('hex') } }),
      mac: keystoreMac(derived, ciphertext),
    },
  };
}

function hexField(value: unknown, field: string): Buffer {
  if (typeof value !== 'string' || !/^(0x)?([0-9a-fA-F]{2})+$/.test(value)) {
    throw new StudioError(KeyErrorCode.InvalidKeystore, `The keystore's ${field} is not hex.`);
  }
  return Buffer.from(value.replace(/^0x/, ''), 'hex');
}

/**
 * The private key inside a v3 keystore (any v3 writer's; scrypt or pbkdf2-sha256 KDF). A MAC mismatch fails with
 * KEY_PASSPHRASE_INCORRECT before decrypting: the format cannot tell a wrong passphrase from a
 * changed file, so the message says both.
 */
export async function decryptKeystoreV3(keystore: unknown, passphrase: string): Promise<{ privateKey: Hex; address: Address }> {
  const ks = keystore as Partial<KeystoreV3> | null;
  const c = ks?.crypto as Partial<KeystoreV3['crypto']> | undefined;
  if (!ks || ks.version !== 3 || !c) throw new StudioError(KeyErrorCode.InvalidKeystore, 'Not a Web3 Secret Storage v3 keystore (version 3 with a crypto section).');
  if (c.kdf !== 'scrypt' && c.kdf !== 'pbkdf2') throw new StudioError(KeyErrorCode.InvalidKeystore, `The keystore's KDF is ${JSON.stringify(c.kdf)}; only scrypt and pbkdf2 are supported.`);
  if (c.cipher !== 'aes-128-ctr') throw new StudioError(KeyErrorCode.InvalidKeystore, `The keystore's cipher is ${JSON.stringify(c.cipher)}; only aes-128-ctr is supported.`);
  const kp = (c.kdfparams ?? {}) as { dklen?: number; n?: number; r?: number; p?: number; c?: number; prf?: string; salt?: string };
  const whole = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
  if (!whole(kp.dklen) || kp.dklen < 32) throw new StudioError(KeyErrorCode.InvalidKeystore, "The keystore's kdfparams.dklen must be a whole number >= 32.");
  if (c.kdf === 'scrypt' && !(whole(kp.n) && whole(kp.r) && whole(kp.p))) {
    throw new StudioError(KeyErrorCode.InvalidKeystore, "The keystore's scrypt kdfparams need whole numbers n, r and p.");
  }
  if (c.kdf === 'pbkdf2' && !(whole(kp.c) && kp.prf === 'hmac-sha256')) {
    throw new StudioError(KeyErrorCode.InvalidKeystore, "The keystore's pbkdf2 kdfparams need a whole number c and prf hmac-sha256.");
  }
  const salt = hexField(kp.salt, 'kdfparams.salt');
  const iv = hexField(c.cipherparams?.iv, 'cipherparams.iv');
  const ciphertext = hexField(c.ciphertext, 'ciphertext');
  const expectedMac = hexField(c.mac, 'mac');
  if (iv.length !== 16) throw new StudioError(KeyErrorCode.InvalidKeystore, "The keystore's iv is not 16 bytes.");
  const dklen = kp.dklen;
  const derive = (bytes: Buffer) =>
    c.kdf === 'scrypt' ? deriveScrypt(bytes, salt, { n: kp.n!, r: kp.r!, p: kp.p! }, dklen) : pbkdf2(bytes, salt, kp.c!, dklen, 'sha256');
  const macMatches = (d: Buffer) => {
    const actual = Buffer.from(keystoreMac(d, ciphertext), 'hex');
    return actual.length === expectedMac.length && crypto.timingSafeEqual(actual, expectedMac);
  };
  let derived = await derive(passphraseBytes(passphrase));
  const raw = passphraseBytes(passphrase, true);
  // A file written from un-normalized bytes (geth): one more derivation, only when they differ.
  if (!macMatches(derived) && !raw.equals(passphraseBytes(passphrase))) derived = await derive(raw);
  if (!macMatches(derived)) {
    throw new StudioError(
      KeyErrorCode.PassphraseIncorrect,
      "The passphrase does not unlock this key (the keystore's MAC does not match: a wrong passphrase, or the file was changed).",
    );
  }
  const plain = keystoreCipher(derived, iv, ciphertext);
  const privateKey = bytesToHex(plain);
  if (plain.length !== 32 || !isHex(privateKey)) throw new StudioError(KeyErrorCode.InvalidKeystore, 'The keystore does not hold a 32-byte private key.');
  const address = privateKeyToAddress(privateKey);
  const stated = typeof ks.address === 'string' ? ks.address.replace(/^0x/, '').toLowerCase() : '';
  if (/^[0-9a-f]{40}$/.test(stated) && stated !== address.slice(2).toLowerCase()) {
    throw new StudioError(KeyErrorCode.InvalidKeystore, `The keystore says address 0x${ks.address} but its key belongs to ${address}.`);
  }
  return { privateKey, address };
}
