import path from 'node:path';
import { exportAdapter } from '../adapters/exportAdapter';
import { getAdapter, listAdapters, removeAdapter } from '../adapters/adaptersRepository';
import type { Db } from '../workspace/openDatabase';
import type { Handlers } from './handlers';

/**
 * The adapter registry's methods that answer at once (one table read or a small copy). Import and
 * merge hash or write weights, so they are the 'adapters.import' / 'adapters.merge' job kinds.
 */
export function adaptersHandlers(deps: { db: () => Db; root: () => string }): Pick<Handlers, 'adapters.list' | 'adapters.get' | 'adapters.remove' | 'adapters.export'> {
  return {
    'adapters.list': ({ query }) => listAdapters(deps.db(), query),
    'adapters.get': ({ name }) => getAdapter(deps.db(), name),
    'adapters.remove': ({ name }) => removeAdapter(deps.db(), name),
    'adapters.export': (p) => exportAdapter(path.join(deps.root(), 'artifacts'), getAdapter(deps.db(), p.name), p.for, p.out),
  };
}
