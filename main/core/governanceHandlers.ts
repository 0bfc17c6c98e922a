import type { Address } from 'viem';
import { StudioError } from '../api/apiError';
import { DEVNET_NETWORK } from '../api/networkSchemas';
import { invalidArgument } from '../chain/chainErrors';
import type { DevnetService } from '../chain/devnet/devnetService';
import { ChainExplorer } from '../chain/explorer/chainExplorer';
import { DEV_ACCOUNTS } from '../chain/keys/devKeys';
import type { KeyStore } from '../chain/keys/keyStore';
import type { PreparedWriteService } from '../chain/writes/preparedWriteService';
import { advanceDevnet } from '../governance/advanceDevnet';
import { readParams, readProposals, readVotingPower, type GovTarget } from '../governance/governanceReads';
import { buildProposal, govCall } from '../governance/governanceWrites';
import type { Db } from '../workspace/openDatabase';
import type { Handlers } from './handlers';
import { resolveNetwork } from './networkHandlers';

type GovMethod = Extract<keyof Handlers, `gov.${string}` | 'chain.advance'>;

export interface GovernanceDeps {
  db(): Db;
  devnet(): DevnetService;
  keys(): KeyStore;
  writes(): PreparedWriteService;
}

/** Dev accounts the devnet's governance view lists by default: the deployer and the demo voters #1-#3. */
const DEFAULT_DEV_VOTERS = 4;

/** Refused off the devnet: Anvil's time control exists nowhere else, and must not be tried elsewhere. */
export const DEVNET_ONLY = 'DEVNET_ONLY';

/** Protocol governance (main/governance) on any network whose contracts are recorded. */
export function governanceHandlers(deps: GovernanceDeps): Pick<Handlers, GovMethod> {
  const target = (network: string): GovTarget => {
    if (network === DEVNET_NETWORK) {
      const devnet = deps.devnet();
      return { explorer: devnet.explorer(), network, fromBlock: devnet.status().deployment?.block ?? 0 };
    }
    const n = resolveNetwork(deps.db(), deps.devnet(), network);
    // A remote network gives no deployment block: its events are read from block 0.
    return { explorer: new ChainExplorer({ rpcUrl: n.rpcUrl, chainId: n.chainId, contracts: n.contracts as Record<string, Address> }), network, fromBlock: 0 };
  };
  return {
    'gov.params': ({ network }) => readParams(target(network)),
    'gov.votingPower': ({ network, addresses, include }) => {
      const t = target(network);
      const keys = deps
        .keys()
        .list()
        .filter((k) => !k.devAccount || network === DEVNET_NETWORK);
      const accounts: { address: Address; label?: string }[] = addresses
        ? addresses.map((a) => ({ address: a as Address }))
        : [
            ...(network === DEVNET_NETWORK ? DEV_ACCOUNTS.slice(0, DEFAULT_DEV_VOTERS).map((a) => ({ address: a.address, label: `dev account #${a.index}` })) : []),
            ...keys.map((k) => ({ address: k.address as Address, label: k.label })),
          ];
      for (const address of include ?? []) {
        if (!accounts.some((a) => a.address.toLowerCase() === address.toLowerCase())) {
          const dev = DEV_ACCOUNTS.find((d) => d.address.toLowerCase() === address.toLowerCase());
          accounts.push({ address: address as Address, ...(dev ? { label: `dev account #${dev.index}` } : {}) });
        }
      }
      return readVotingPower(t.explorer, accounts);
    },
    'gov.proposals': ({ network }) => readProposals(target(network)),
    'gov.buildProposal': (p) => buildProposal(target(p.network), p),
    'gov.prepareWrite': async (p) => {
      if ((p.devAccount === undefined) === (p.keyId === undefined)) {
        throw invalidArgument('from: give devAccount (an Anvil dev account, devnet only) or keyId (a stored key), exactly one.', { field: 'from' });
      }
      const t = target(p.network);
      const signer = p.devAccount !== undefined ? DEV_ACCOUNTS[p.devAccount]!.address : (deps.keys().get(p.keyId!).address as Address);
      const call = await govCall(t, p, signer);
      return deps.writes().prepare(
        { network: p.network, contract: call.contract, functionName: call.functionName, args: call.args, from: p.keyId ?? `dev:${p.devAccount}`, ...(call.value ? { value: call.value } : {}) },
        p.devAccount !== undefined ? { devAccount: p.devAccount } : {},
      );
    },
    'chain.advance': ({ network, blocks, seconds }) => {
      if (network !== DEVNET_NETWORK) {
        throw new StudioError(DEVNET_ONLY, `Advancing blocks and time is a devnet-only control (Anvil's evm_mine and evm_increaseTime); ${network} keeps its own clock.`, { network });
      }
      return advanceDevnet(deps.devnet().explorer(), blocks, seconds ?? 0);
    },
  };
}
