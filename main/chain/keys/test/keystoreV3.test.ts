// The keystore format against the Web3 Secret Storage definition's published scrypt test vector
// (password "testpassword"), and the key store's files: round trip, wrong passphrase, tampering,
// permissions, and no private key in anything it returns.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../../api/apiError';
import { DEV_ACCOUNTS } from '../devKeys';
import { KeyStore } from '../keyStore';
import { decryptKeystoreV3, encryptKeystoreV3, keystoreCipher, keystoreMac } from '../keystoreV3';
import { PassphraseKeystoreBackend } from '../passphraseKeystoreBackend';
import { WorkspaceManager } from '../../../workspace/workspaceManager';

// The Web3 Secret Storage definition's test vectors (ethereum.org), password "testpassword",
// with the intermediate derived keys it publishes.
const PBKDF2_VECTOR = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
    ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
    kdf: 'pbkdf2',
    kdfparams: { c: 262144, dklen: 32, prf: 'hmac-sha256', salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd' },
    mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
} as const;
const SCRYPT_VECTOR = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '83dbcc02d8ccb40e466191a123791e0e' },
    ciphertext: 'd172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c',
    kdf: 'scrypt',
    kdfparams: { dklen: 32, n: 262144, p: 8, r: 1, salt: 'ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19' },
    mac: '2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
} as const;
const SCRYPT_VECTOR_DERIVED = 'fac192ceb5fd772906bea3e118a69e8bbb5cc24229e20d8766fd298291bba6bd';
const VECTOR_KEY = '0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d';
/** Cheap scrypt for the store tests (the format is the same; only the cost differs). */
const FAST = { n: 1 << 10, r: 8, p: 1 };

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StudioError);
  return (err as StudioError).code;
}

describe('Web3 Secret Storage v3', () => {
  it('decrypts the published pbkdf2 vector, and writes the same ciphertext and MAC from the same inputs', async () => {
    const { privateKey, address } = await decryptKeystoreV3(PBKDF2_VECTOR, 'testpassword');
    expect(privateKey).toBe(VECTOR_KEY);
    expect(address).toBe(privateKeyToAddress(VECTOR_KEY));
    const written = await encryptKeystoreV3(VECTOR_KEY, 'testpassword', {
      pbkdf2Iterations: 262144,
      fixed: { salt: Buffer.from(PBKDF2_VECTOR.crypto.kdfparams.salt, 'hex'), iv: Buffer.from(PBKDF2_VECTOR.crypto.cipherparams.iv, 'hex'), id: PBKDF2_VECTOR.id },
    });
    expect(written.crypto).toEqual(PBKDF2_VECTOR.crypto);
    expect(written.address).toBe(address.slice(2).toLowerCase());
  });

  it('gives the scrypt vector its MAC and key from the published derived key', () => {
    // OpenSSL (so Node) refuses this vector's n = 2^18 with r = 1 (RFC 7914 wants n < 2^(16 r));
    // every real writer uses r = 8. The MAC and cipher steps are checked from the derived key.
    const derived = Buffer.from(SCRYPT_VECTOR_DERIVED, 'hex');
    const ciphertext = Buffer.from(SCRYPT_VECTOR.crypto.ciphertext, 'hex');
    expect(keystoreMac(derived, ciphertext)).toBe(SCRYPT_VECTOR.crypto.mac);
    expect(`0x${keystoreCipher(derived, Buffer.from(SCRYPT_VECTOR.crypto.cipherparams.iv, 'hex'), ciphertext).toString('hex')}`).toBe(VECTOR_KEY);
  });

  it('round-trips through scrypt and refuses a wrong passphrase, a changed ciphertext, and unusable files clearly', async () => {
    const written = await encryptKeystoreV3(VECTOR_KEY, 'testpassword', { scrypt: FAST });
    expect(written.crypto.kdfparams).toMatchObject({ n: FAST.n, r: 8, p: 1, dklen: 32 });
    expect((await decryptKeystoreV3(JSON.parse(JSON.stringify(written)), 'testpassword')).privateKey).toBe(VECTOR_KEY);
    expect(await codeOf(decryptKeystoreV3(written, 'testpassword!'))).toBe('KEY_PASSPHRASE_INCORRECT');
    expect(await codeOf(decryptKeystoreV3(PBKDF2_VECTOR, 'wrong'))).toBe('KEY_PASSPHRASE_INCORRECT');
    const flipped = written.crypto.ciphertext.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(await codeOf(decryptKeystoreV3({ ...written, crypto: { ...written.crypto, ciphertext: flipped } }, 'testpassword'))).toBe('KEY_PASSPHRASE_INCORRECT');
    expect(await codeOf(decryptKeystoreV3({ ...written, crypto: { ...written.crypto, kdf: 'argon2' } }, 'testpassword'))).toBe('KEY_INVALID_KEYSTORE');
    expect(await codeOf(decryptKeystoreV3(SCRYPT_VECTOR, 'testpassword'))).toBe('KEY_INVALID_KEYSTORE');
    expect(await codeOf(decryptKeystoreV3({ version: 1 }, 'testpassword'))).toBe('KEY_INVALID_KEYSTORE');
  });

  it('opens a file sealed from the passphrase bytes as typed (geth) as well as from NFKC (ethers, ours)', async () => {
    // "ﬁ" (the fi ligature) is one character typed, "fi" after NFKC.
    const typed = 'ﬁle passphrase';
    const ours = await encryptKeystoreV3(VECTOR_KEY, typed, { scrypt: FAST });
    expect((await decryptKeystoreV3(ours, typed)).privateKey).toBe(VECTOR_KEY);
    expect((await decryptKeystoreV3(ours, 'file passphrase')).privateKey).toBe(VECTOR_KEY);
    // A geth file: the MAC over a key derived from the raw UTF-8 bytes, rebuilt from our pieces.
    const salt = Buffer.alloc(32, 7);
    const iv = Buffer.alloc(16, 9);
    const derived = crypto.scryptSync(Buffer.from(typed, 'utf8'), salt, 32, { N: FAST.n, r: FAST.r, p: FAST.p });
    const ciphertext = keystoreCipher(derived, iv, Buffer.from(VECTOR_KEY.slice(2), 'hex'));
    const geth = {
      version: 3,
      id: 'x',
      address: '',
      crypto: {
        cipher: 'aes-128-ctr',
        cipherparams: { iv: iv.toString('hex') },
        ciphertext: ciphertext.toString('hex'),
        kdf: 'scrypt',
        kdfparams: { dklen: 32, ...FAST, salt: salt.toString('hex') },
        mac: keystoreMac(derived, ciphertext),
      },
    };
    expect((await decryptKeystoreV3(geth, typed)).privateKey).toBe(VECTOR_KEY);
  });
});

describe('KeyStore', () => {
  // Not tempDir(): that removes its folders after every test, and this workspace lives for the block.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-keys-'));
  const m = new WorkspaceManager(home);
  m.ensureDemo();
  const ws = m.open('demo', 'keystore test');
  const store = new KeyStore(ws.db, ws.layout.keys, new PassphraseKeystoreBackend(FAST));
  afterAll(() => {
    ws.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('imports a key into a 0600 v3 file, lists address and label only, and unlocks it again', async () => {
    const pk = generatePrivateKey();
    const info = await store.import({ privateKey: pk, label: 'publisher', unlock: { passphrase: 'correct horse' } });
    expect(info).toMatchObject({ address: privateKeyToAddress(pk), label: 'publisher', backend: 'keystore-v3', devAccount: false });
    expect(JSON.stringify(store.list())).not.toContain(pk.slice(2));
    const file = path.join(ws.layout.keys, `${info.id}.json`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(ws.layout.keys).mode & 0o777).toBe(0o700);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(pk.slice(2));
    // Any v3 reader can open it: here, the format's own decryptor, given only the file.
    expect((await decryptKeystoreV3(JSON.parse(text), 'correct horse')).privateKey).toBe(pk);
    expect((await store.account(info.id, { passphrase: 'correct horse' })).address).toBe(info.address);
    expect(fs.readdirSync(ws.layout.keys).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to seal without a passphrase, storing nothing', async () => {
    const before = store.list().length;
    await expect(store.create({ label: 'no pass', unlock: {} })).rejects.toThrow(/passphrase/);
    expect(store.list()).toHaveLength(before);
  });

  it('opens a keystore-v3 key even when this process seals new keys with another backend', async () => {
    const made = await store.create({ label: 'made by the CLI', unlock: { passphrase: 'long enough' } });
    const keychain = { kind: 'os-keychain-test', needsPassphrase: false, seal: async () => '{}', open: async () => '0x' as const };
    const other = new KeyStore(ws.db, ws.layout.keys, keychain);
    expect(other.needsPassphrase(made.id)).toBe(true);
    expect((await other.account(made.id, { passphrase: 'long enough' })).address).toBe(made.address);
  });

  it('says which passphrase is wrong, which file was changed, and never echoes a bad private key', async () => {
    const info = await store.create({ label: 'fresh', unlock: { passphrase: 'long enough' } });
    expect(await codeOf(store.account(info.id, { passphrase: 'not the one' }))).toBe('KEY_PASSPHRASE_INCORRECT');
    const file = path.join(ws.layout.keys, `${info.id}.json`);
    const ks = JSON.parse(fs.readFileSync(file, 'utf8'));
    ks.crypto.ciphertext = ks.crypto.ciphertext.replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
    fs.writeFileSync(file, JSON.stringify(ks));
    expect(await codeOf(store.account(info.id, { passphrase: 'long enough' }))).toBe('KEY_PASSPHRASE_INCORRECT');

    const bad = 'zz'.repeat(32);
    const err = await store.import({ privateKey: bad, unlock: { passphrase: 'long enough' } }).catch((e: StudioError) => e);
    expect(err).toMatchObject({ code: 'KEY_INVALID' });
    expect((err as Error).message).not.toContain(bad);
    expect(await codeOf(store.import({ privateKey: '0'.repeat(64), unlock: { passphrase: 'long enough' } }))).toBe('KEY_INVALID');
    expect(await codeOf(store.create({ unlock: { passphrase: 'short' } }))).toBe('KEY_INVALID');
  });

  it('labels a dev key as one, refuses a duplicate, and moves a removed key aside', async () => {
    const dev = await store.import({ privateKey: DEV_ACCOUNTS[4]!.privateKey, unlock: { passphrase: 'long enough' } });
    expect(dev).toMatchObject({ devAccount: true, label: DEV_ACCOUNTS[4]!.label });
    expect(await codeOf(store.import({ privateKey: DEV_ACCOUNTS[4]!.privateKey, unlock: { passphrase: 'long enough' } }))).toBe('CONFLICT');
    store.remove(dev.id);
    expect(store.list().map((k) => k.id)).not.toContain(dev.id);
    expect(fs.readdirSync(path.join(ws.layout.keys, 'removed')).some((f) => f.endsWith(`${dev.id}.json`))).toBe(true);
    expect(await codeOf(store.account(dev.id, { passphrase: 'long enough' }))).toBe('NOT_FOUND');
  });
});
