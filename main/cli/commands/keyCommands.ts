import type { KeyInfo } from '../../api/networkSchemas';
import { KeyStore } from '../../chain/keys/keyStore';
import { PassphraseKeystoreBackend } from '../../chain/keys/passphraseKeystoreBackend';
import { callCore } from '../callCore';
import { UsageError, type Command } from '../command';
import { formatTable } from '../formatTable';
import { readPassphrase, readPrivateKey } from '../readSecret';
import { withCore } from '../withCore';
import { withReadonlyWorkspace } from '../withReadonlyWorkspace';
import { workspaceLayout } from '../../workspace/workspaceLayout';

const passphraseOptions = { label: { type: 'string' }, 'passphrase-file': { type: 'string' } } as const;
const shown = (k: KeyInfo) => `${k.id}  ${k.address}  ${k.label}`;

export const keyList: Command = {
  path: ['key', 'list'],
  usage: 'studio key list [--workspace NAME] [--json]',
  summary: 'List stored keys: id, address and label (never the key)',
  run: async (ctx) =>
    withReadonlyWorkspace(ctx, (db, _name, root) => {
      try {
        return new KeyStore(db, workspaceLayout(root).keys, new PassphraseKeystoreBackend()).list();
      } catch {
        // A workspace not yet migrated to the keys table has none.
        return [];
      }
    }),
  human: (keys: KeyInfo[]) =>
    keys.length === 0
      ? 'No keys. Create one with `studio key create` or import one with `studio key import`.'
      : formatTable(
          ['ID', 'ADDRESS', 'LABEL'],
          keys.map((k) => [k.id, k.address, k.label]),
        ),
};

export const keyCreate: Command = {
  path: ['key', 'create'],
  usage: 'studio key create [--label TEXT] [--passphrase-file FILE] [--workspace NAME] [--json]',
  summary: `Create a key, sealed as a Web3 Secret Storage keystore (passphrase from $STUDIO_KEY_PASSPHRASE or the file)`,
  options: passphraseOptions,
  async run(ctx) {
    const passphrase = readPassphrase(ctx);
    const label = typeof ctx.values.label === 'string' ? ctx.values.label : undefined;
    return withCore(ctx, (core) => callCore(core, 'keys.create', { passphrase, ...(label ? { label } : {}) }));
  },
  human: (k: KeyInfo) => `Created key ${shown(k)}`,
};

export const keyImport: Command = {
  path: ['key', 'import'],
  usage: 'studio key import [--private-key-file FILE | < FILE] [--label TEXT] [--passphrase-file FILE] [--workspace NAME] [--json]',
  summary: 'Import a private key (from a file or stdin, never argv) and seal it with the passphrase',
  options: { ...passphraseOptions, 'private-key-file': { type: 'string' } },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError('key import takes the private key from --private-key-file or stdin, not from the command line.');
    const passphrase = readPassphrase(ctx);
    const privateKey = await readPrivateKey(ctx);
    const label = typeof ctx.values.label === 'string' ? ctx.values.label : undefined;
    return withCore(ctx, (core) => callCore(core, 'keys.import', { privateKey, passphrase, ...(label ? { label } : {}) }));
  },
  human: (k: KeyInfo) => `Imported key ${shown(k)}${k.devAccount ? '\nThis is one of Anvil\'s published dev keys: it is refused on every network but the local devnet.' : ''}`,
};

export const keyRemove: Command = {
  path: ['key', 'remove'],
  usage: 'studio key remove ID [--workspace NAME] [--json]',
  summary: 'Forget a key (its keystore file is kept in keys/removed/)',
  async run(ctx) {
    const [id] = ctx.positionals;
    if (!id) throw new UsageError('key remove needs a key ID (see `studio key list`)');
    return withCore(ctx, (core) => callCore(core, 'keys.remove', { id }));
  },
  human: (k: KeyInfo) => `Removed key ${shown(k)} (its keystore file is in keys/removed/)`,
};
