import { ErrorCode, StudioError } from '../api/apiError';
import { DEVNET_NETWORK, type Network } from '../api/networkSchemas';
import { maskRpcUrl } from '../api/redactSecrets';
import { chainNotRunning } from '../chain/chainErrors';
import type { Address } from 'viem';
import type { Publication } from '../api/chainSchemas';
import { ChainExplorer } from '../chain/explorer/chainExplorer';
import { checkRpc } from '../chain/networks/checkRpc';
import { reconcilePublications } from '../chain/publishing/reconcilePublications';
import type { DevnetService } from '../chain/devnet/devnetService';
import type { KeyStore } from '../chain/keys/keyStore';
import { addNetwork, findNetwork, listNetworks, removeNetwork } from '../chain/networks/networksRepository';
import type { PreparedWriteService, ResolvedNetwork } from '../chain/writes/preparedWriteService';
import type { Db } from '../workspace/openDatabase';
import type { Handlers } from './handlers';

type NetworkMethod = Extract<keyof Handlers, `networks.${string}` | `keys.${string}` | 'chain.prepareWrite' | 'chain.confirmWrite' | 'chain.discardWrite'>;

export interface NetworkDeps {
  db(): Db;
  devnet(): DevnetService;
  keys(): KeyStore;
  writes(): PreparedWriteService;
  announce(p: Publication): void;
}

/** The built-in local devnet as a network (rpcUrl null while it is stopped). */
export function devnetNetwork(devnet: DevnetService): Network {
  const s = devnet.status();
  return {
    name: DEVNET_NETWORK,
    builtIn: true,
    rpcUrl: s.running ? s.rpcUrl : null,
    chainId: s.chainId,
    currencySymbol: s.currencySymbol,
    contracts: s.contracts,
    createdAt: null,
  };
}

/** A network as the API shows it: the RPC URL stored as given, shown with its credentials masked. */
export function shownNetwork(n: Network): Network {
  return n.rpcUrl === null ? n : { ...n, rpcUrl: maskRpcUrl(n.rpcUrl) };
}

/** A network by name, ready to send to; the devnet only while it runs. */
export function resolveNetwork(db: Db, devnet: DevnetService, name: string): ResolvedNetwork {
  if (name === DEVNET_NETWORK) {
    const n = devnetNetwork(devnet);
    if (n.rpcUrl === null) throw chainNotRunning();
    return { ...n, rpcUrl: n.rpcUrl };
  }
  const n = findNetwork(db, name);
  if (!n || n.rpcUrl === null) {
    throw new StudioError(ErrorCode.NotFound, `No network named "${name}". Known: ${[DEVNET_NETWORK, ...listNetworks(db).map((x) => x.name)].join(', ')}.`);
  }
  return { ...n, rpcUrl: n.rpcUrl };
}

/** Remote networks, keys and two-step writes (see main/chain/writes/preparedWriteService.ts). */
export function networkHandlers(deps: NetworkDeps): Pick<Handlers, NetworkMethod> {
  return {
    'networks.list': () => [devnetNetwork(deps.devnet()), ...listNetworks(deps.db())].map(shownNetwork),
    'networks.add': (p) => shownNetwork(addNetwork(deps.db(), p, deps.devnet().devnetChainId)),
    'networks.remove': ({ name }) => shownNetwork(removeNetwork(deps.db(), name)),
    'networks.check': async ({ name, timeoutMs }) => {
      const n = resolveNetwork(deps.db(), deps.devnet(), name);
      const r = await checkRpc(n.rpcUrl, n.chainId, timeoutMs);
      // A remote network has no start to reconcile on (the devnet does it on every start): a
      // check that reached it is when its publications are compared with what it holds.
      let updated: Publication[] | null = null;
      if (!n.builtIn) {
        const client = new ChainExplorer({ rpcUrl: n.rpcUrl, chainId: n.chainId, contracts: n.contracts as Record<string, Address> }).client;
        updated = await reconcilePublications(deps.db(), client, n.chainId, `checked ${new Date().toISOString()}`, `network ${n.name}`);
        for (const p of updated) deps.announce(p);
      }
      return { name: n.name, rpcUrl: maskRpcUrl(n.rpcUrl), chainId: n.chainId, ...r, publicationsUpdated: updated?.length ?? null };
    },
    'keys.list': () => deps.keys().list(),
    'keys.create': ({ label, passphrase }) => deps.keys().create({ label, unlock: { passphrase } }),
    'keys.import': ({ privateKey, label, passphrase }) => deps.keys().import({ privateKey, label, unlock: { passphrase } }),
    'keys.remove': ({ id }) => deps.keys().remove(id),
    'chain.prepareWrite': (p) => deps.writes().prepare(p),
    'chain.confirmWrite': (p) => deps.writes().confirm(p),
    'chain.discardWrite': ({ preparedId }) => deps.writes().discard(preparedId),
  };
}
