import { useStore } from 'zustand';
import type { Network } from '../../../../main/api/networkSchemas';
import { commands } from '../../workbench/commands/registry';
import { Codicon } from '../../components/Codicon';
import { IconButton } from '../../components/IconButton';
import { SectionHeader } from '../../components/SectionHeader';
import { confirmStore } from '../../workbench/confirmStore';
import { type NetworkCheckState, networksStore } from './networksStore';
import { AddNetworkForm } from './AddNetworkForm';

/** Asks first; the network's recorded publications stay in the database. */
export async function confirmAndRemoveNetwork(network: Pick<Network, 'name' | 'chainId' | 'rpcUrl'>): Promise<void> {
  const ok = await confirmStore.getState().ask({
    title: `Remove network ${network.name}?`,
    message: `The app forgets ${network.rpcUrl ?? 'its RPC'} (chain ${network.chainId}) and can no longer send there. Nothing on the chain changes, and publications recorded on it stay in the list. You can add it again later.`,
    confirmLabel: 'Remove network',
    danger: true,
  });
  if (ok) await networksStore.getState().remove(network.name);
}

function CheckLine({ check }: { check: NetworkCheckState | undefined }) {
  if (!check) return null;
  if (check.state === 'checking') return <span className="network__check muted">checking…</span>;
  if (check.state === 'ok') {
    return (
      <span className="network__check tone-ok" data-testid="network-check-ok">
        <Codicon name="pass-filled" /> {Math.round(check.result.latencyMs)} ms · block #{check.result.block}
      </span>
    );
  }
  return (
    <span className="network__check network__check--error" role="alert" data-testid="network-check-error">
      <Codicon name="error" className="tone-error" /> {check.message}
    </span>
  );
}

/** The built-in devnet first, then added networks: chain id, a check, remove; and the add form. */
export function NetworksSection() {
  const { networks, checks, addRequest } = useStore(networksStore);
  const open = addRequest > 0;
  return (
    <section aria-label="Networks" data-testid="networks">
      <SectionHeader title="Networks" count={networks.length}>
        <IconButton icon="add" label="Add Network…" onClick={() => void commands.run('networks.add')} />
      </SectionHeader>
      <ul className="list" aria-label="Networks">
        {networks.map((n) => (
          <li key={n.name} className="list__item list__item--static list__item--two-line network" data-network={n.name}>
            <Codicon name={n.builtIn ? 'vm' : 'globe'} />
            <span className="list__stack">
              <span className="list__label">
                {n.name} <span className="muted">· chain {n.chainId}</span>
                {n.builtIn ? <span className="tag">local</span> : null}
              </span>
              <span className="list__sub mono" title={n.rpcUrl ?? undefined}>
                {n.rpcUrl ?? 'not running'}
              </span>
              <CheckLine check={checks[n.name]} />
            </span>
            {n.builtIn ? null : (
              <span className="network__actions">
                <IconButton
                  icon="plug"
                  label={`Check network ${n.name}`}
                  disabled={checks[n.name]?.state === 'checking'}
                  onClick={() => void networksStore.getState().check(n.name)}
                />
                <IconButton icon="trash" label={`Remove network ${n.name}`} onClick={() => void confirmAndRemoveNetwork(n)} />
              </span>
            )}
          </li>
        ))}
      </ul>
      {open ? <AddNetworkForm request={addRequest} /> : null}
    </section>
  );
}
