// The workspace's keys for remote networks: one sealed file per key in keys/ (0600, written by
// rename so a crash never leaves half a key), described by a row in `keys`. The private key
// leaves this module only as a viem account for signing, never as data an API or CLI returns.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getAddress, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount, privateKeyToAddress, type PrivateKeyAccount } from 'viem/accounts';
import { ErrorCode, StudioError } from '../../api/apiError';
import type { KeyInfo } from '../../api/networkSchemas';
import type { Db } from '../../workspace/openDatabase';
import { devAccountByAddress, isDevAccount } from './devKeys';
import type { KeyEncryptionBackend, KeyUnlock } from './keyEncryptionBackend';
import { KeyErrorCode } from './keyErrors';
import { PassphraseKeystoreBackend } from './passphraseKeystoreBackend';

/** The kind PassphraseKeystoreBackend records. */
const KEYSTORE_V3 = 'keystore-v3';

interface Row {
  id: string;
  address: string;
  label: string;
  backend: string;
  file: string;
  created_at: string;
}

// secp256k1's group order: a private key must be in 1..n-1.
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** `0x`-prefixed lowercase hex of a valid secp256k1 private key; the error never shows the value. */
export function normalizePrivateKey(text: string): Hex {
  const hex = text.trim().replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new StudioError(KeyErrorCode.InvalidKey, 'privateKey: not a private key (64 hex digits, optionally after 0x).');
  const n = BigInt(`0x${hex}`);
  if (n === 0n || n >= SECP256K1_N) throw new StudioError(KeyErrorCode.InvalidKey, 'privateKey: outside the secp256k1 range (1 .. n-1).');
  return `0x${hex.toLowerCase()}`;
}

function fromRow(r: Row): KeyInfo {
  return { id: r.id, address: getAddress(r.address), label: r.label, backend: r.backend, devAccount: isDevAccount(r.address), createdAt: r.created_at };
}

/** Writes `text` to `file` with mode 0600 through a temporary file and a rename. */
function writeSecretFile(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export class KeyStore {
  constructor(
    private readonly db: Db,
    /** The workspace's keys/ folder. */
    private readonly dir: string,
    private readonly backend: KeyEncryptionBackend,
  ) {}

  list(): KeyInfo[] {
    return (this.db.prepare('SELECT * FROM keys ORDER BY created_at, id').all() as Row[]).map(fromRow);
  }

  get(id: string): KeyInfo {
    return fromRow(this.row(id));
  }

  /** A new random key. */
  async create(opts: { label?: string | undefined; unlock: KeyUnlock }): Promise<KeyInfo> {
    return this.store(generatePrivateKey(), opts.label, opts.unlock);
  }

  /** A key the user already has; refused (CONFLICT) when the address is stored already. */
  async import(opts: { privateKey: string; label?: string | undefined; unlock: KeyUnlock }): Promise<KeyInfo> {
    return this.store(normalizePrivateKey(opts.privateKey), opts.label, opts.unlock);
  }

  /** Forgets the key; its sealed file is moved to keys/removed/, not deleted (it may hold funds). */
  remove(id: string): KeyInfo {
    const row = this.row(id);
    const removedDir = path.join(this.dir, 'removed');
    fs.mkdirSync(removedDir, { recursive: true, mode: 0o700 });
    const file = path.join(this.dir, row.file);
    if (fs.existsSync(file)) fs.renameSync(file, path.join(removedDir, `${Date.now()}-${row.file}`));
    this.db.prepare('DELETE FROM keys WHERE id = ?').run(id);
    return fromRow(row);
  }

  /** The signing account; throws KEY_PASSPHRASE_INCORRECT on a wrong passphrase. */
  async account(id: string, unlock: KeyUnlock): Promise<PrivateKeyAccount> {
    const row = this.row(id);
    // Keystore files open anywhere given the passphrase (a key made by the CLI works in the
    // desktop app); an OS-keychain-sealed key opens only with the backend that sealed it.
    const opener = row.backend === this.backend.kind ? this.backend : row.backend === KEYSTORE_V3 ? new PassphraseKeystoreBackend() : null;
    if (!opener) {
      throw new StudioError(KeyErrorCode.InvalidKeystore, `Key ${id} was sealed by the ${row.backend} backend, which this process does not have (it has ${this.backend.kind}).`);
    }
    let sealed: string;
    try {
      sealed = fs.readFileSync(path.join(this.dir, row.file), 'utf8');
    } catch (err) {
      throw new StudioError(KeyErrorCode.InvalidKeystore, `The sealed file of key ${id} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`);
    }
    const account = privateKeyToAccount(await opener.open(sealed, unlock));
    if (account.address.toLowerCase() !== row.address.toLowerCase()) {
      throw new StudioError(KeyErrorCode.InvalidKeystore, `The sealed file of key ${id} holds ${account.address}, not the recorded ${row.address}.`);
    }
    return account;
  }

  /** Whether unlocking key `id` needs a passphrase (keystore files do; keychain-sealed keys don't). */
  needsPassphrase(id?: string): boolean {
    if (id === undefined) return this.backend.needsPassphrase;
    return this.row(id).backend === this.backend.kind ? this.backend.needsPassphrase : true;
  }

  private row(id: string): Row {
    const row = this.db.prepare('SELECT * FROM keys WHERE id = ?').get(id) as Row | undefined;
    if (!row) {
      const known = this.list().map((k) => `${k.id} (${k.address})`);
      throw new StudioError(ErrorCode.NotFound, `No key ${JSON.stringify(id)} in this workspace.${known.length ? ` Keys: ${known.join(', ')}.` : ''}`);
    }
    return row;
  }

  private async store(privateKey: Hex, label: string | undefined, unlock: KeyUnlock): Promise<KeyInfo> {
    const address: Address = privateKeyToAddress(privateKey);
    const existing = this.db.prepare('SELECT id FROM keys WHERE address = ?').get(address) as { id: string } | undefined;
    if (existing) throw new StudioError(ErrorCode.Conflict, `The key for ${address} is already stored (id ${existing.id}).`, { id: existing.id });
    const sealed = await this.backend.seal(privateKey, unlock);
    const id = crypto.randomUUID();
    const file = `${id}.json`;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeSecretFile(path.join(this.dir, file), sealed);
    const createdAt = new Date().toISOString();
    const shown = label?.trim() || devAccountByAddress(address)?.label || `Key ${address.slice(0, 10)}`;
    try {
      this.db
        .prepare('INSERT INTO keys (id, address, label, backend, file, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, address, shown, this.backend.kind, file, createdAt);
    } catch (err) {
      fs.rmSync(path.join(this.dir, file), { force: true });
      throw err;
    }
    return this.get(id);
  }
}
