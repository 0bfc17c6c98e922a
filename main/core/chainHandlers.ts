import type { ChainStatus } from '../api/chainSchemas';
import { protocolAbis } from '../chain/explorer/chainExplorer';
import { parseOpen } from '../chain/writes/convertArgs';
import type { DevnetService } from '../chain/devnet/devnetService';
import { listDevAccounts } from '../chain/explorer/listDevAccounts';
import { listTransactions } from '../chain/explorer/listTransactions';
import { listPublications, publicPublication } from '../chain/publishing/publicationsRepository';
import type { PublishingService } from '../chain/publishing/publishingService';
import { sendAsDevAccount } from '../chain/writes/sendAsDevAccount';
import type { Db } from '../workspace/openDatabase';
import type { Handlers } from './handlers';

// Two-step writes with stored keys live in networkHandlers.ts; chain.advance (devnet time
// control for governance demos) in governanceHandlers.ts.
type ChainMethod = Exclude<Extract<keyof Handlers, `chain.${string}` | `publications.${string}`>, 'chain.prepareWrite' | 'chain.confirmWrite' | 'chain.discardWrite' | 'chain.advance'>;

/**
 * The chain capability's API handlers. Getters, not values: the open workspace (and so its
 * devnet) changes when another workspace is opened.
 */
export function chainHandlers(deps: { devnet(): DevnetService; publishing(): PublishingService; db(): Db }): Pick<Handlers, ChainMethod> {
  const explorer = () => deps.devnet().explorer();
  return {
    'chain.status': (): ChainStatus => deps.devnet().status(),
    'chain.start': () => deps.devnet().start(),
    'chain.stop': () => deps.devnet().stop(),
    'chain.snapshot': ({ label }) => deps.devnet().snapshot(label),
    'chain.snapshots': () => deps.devnet().snapshots(),
    'chain.revert': ({ id }) => deps.devnet().revert(id),
    'chain.reset': () => deps.devnet().reset(),
    'chain.deploy': () => deps.devnet().redeploy(),
    'chain.blocks': (p) => explorer().blocks(p),
    'chain.block': (p) => explorer().block(p),
    'chain.transactions': (p) => listTransactions(explorer(), p),
    'chain.devAccounts': () => listDevAccounts(explorer()),
    'chain.transaction': ({ hash }) => explorer().transaction(hash),
    'chain.account': ({ address }) => explorer().account(address),
    'chain.contracts': () => explorer().contracts(),
    'chain.abis': () => protocolAbis(),
    'chain.read': async ({ contract, functionName, args }) => ({ result: await explorer().read(contract, functionName, args) }),
    'chain.write': async ({ contract, functionName, args, value, from }) => {
      const ex = explorer();
      const out = await sendAsDevAccount(ex, {
        contract,
        functionName,
        args,
        from,
        devnetChainId: deps.devnet().devnetChainId,
        ...(value !== undefined ? { value: parseOpen('value', value) } : {}),
      });
      return {
        hash: out.hash,
        status: out.receipt.status,
        blockNumber: Number(out.receipt.blockNumber),
        gasUsed: Number(out.receipt.gasUsed),
        result: out.result,
        events: out.events,
      };
    },
    'chain.logs': (p) => explorer().logs(p),
    'publications.list': ({ status, limit }) =>
      listPublications(deps.db(), { ...(status ? { status } : {}), ...(limit ? { limit } : {}) }).map(publicPublication),
    'publications.publish': (req) => deps.publishing().publish(req),
  };
}
