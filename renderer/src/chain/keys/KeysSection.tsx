import { useStore } from 'zustand';
import type { KeyInfo } from '../../../../main/api/networkSchemas';
import { commands } from '../../workbench/commands/registry';
import { Codicon } from '../../components/Codicon';
import { IconButton } from '../../components/IconButton';
import { SectionHeader } from '../../components/SectionHeader';
import { confirmStore } from '../../workbench/confirmStore';
import { keysStore } from './keysStore';
import { KeyForm } from './KeyForm';

/** Asks first, and says the sealed file is kept: removing is not destroying the key. */
export async function confirmAndRemoveKey(key: Pick<KeyInfo, 'id' | 'label' | 'address'>): Promise<void> {
  const ok = await confirmStore.getState().ask({
    title: `Remove key ${key.label}?`,
    message: `The app forgets ${key.address} and can no longer sign with it. Its encrypted keystore file is not deleted: it moves to keys/removed/ in the workspace, where geth, Foundry or MetaMask can still import it with its passphrase.`,
    confirmLabel: 'Remove key',
    danger: true,
  });
  if (ok) await keysStore.getState().remove(key.id);
}

/** Stored keys for remote networks: address, label, backend; dev keys marked; create and import. */
export function KeysSection() {
  const { keys, form } = useStore(keysStore);
  return (
    <section aria-label="Keys" data-testid="keys">
      <SectionHeader title="Keys" count={keys.length}>
        <IconButton icon="add" label="Create Key…" onClick={() => void commands.run('keys.create')} />
        <IconButton icon="key" label="Import Key…" onClick={() => void commands.run('keys.import')} />
      </SectionHeader>
      {keys.length === 0 && !form ? <p className="view__note muted">No keys yet. Create or import one to send on a remote network.</p> : null}
      <ul className="list" aria-label="Keys">
        {keys.map((k) => (
          <li key={k.id} className="list__item list__item--static list__item--two-line" data-key-id={k.id} title={k.address}>
            <Codicon name="key" />
            <span className="list__stack">
              <span className="list__label">
                {k.label}
                {k.devAccount ? (
                  <span
                    className="tag tag--warn"
                    title="One of Anvil's published dev keys: anyone can sign with it. The core refuses it on every network but the local devnet."
                  >
                    well-known key · devnet only
                  </span>
                ) : null}
              </span>
              <span className="list__sub mono">{k.address}</span>
              <span className="list__sub">{k.backend === 'keystore-v3' ? 'keystore v3 · passphrase' : k.backend}</span>
            </span>
            <span className="network__actions">
              <IconButton icon="trash" label={`Remove key ${k.label}`} onClick={() => void confirmAndRemoveKey(k)} />
            </span>
          </li>
        ))}
      </ul>
      {form ? <KeyForm key={form.mode} mode={form.mode} request={form.request} /> : null}
    </section>
  );
}
