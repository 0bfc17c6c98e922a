import path from 'node:path';
import { verifyAdapter, type RegistryEntryReader } from '../adapters/adapterVerification';
import { exportAdapter } from '../adapters/exportAdapter';
import { getAdapter, listAdapters, removeAdapter } from '../adapters/adaptersRepository';
import { registeredAdapterFiles } from '../adapters/storeAdapterFolder';
import type { Db } from '../workspace/openDatabase';
import type { Handlers } from './handlers';

/**
 * The adapter registry's methods that answer at once (one table read or a small copy). Import and
 * merge hash or write weights, so they are the 'adapters.import' / 'adapters.merge' job kinds.
 */
export function adaptersHandlers(deps: {
  db: () => Db;
  root: () => string;
  readRegistry: RegistryEntryReader;
}): Pick<Handlers, 'adapters.list' | 'adapters.get' | 'adapters.remove' | 'adapters.export' | 'adapters.verify'> {
  return {
    'adapters.list': ({ query }) => listAdapters(deps.db(), query),
    'adapters.get': ({ name }) => getAdapter(deps.db(), name),
    'adapters.remove': ({ name }) => removeAdapter(deps.db(), name),
    'adapters.export': (p) => exportAdapter(path.join(deps.root(), 'artifacts'), getAdapter(deps.db(), p.name), p.for, p.out),
    'adapters.verify': async ({ names }) => {
      const db = deps.db();
      const records = names ? names.map((n) => getAdapter(db, n)) : listAdapters(db);
      const artifacts = path.join(deps.root(), 'artifacts');
      // One after another: each published adapter is one registry read and two file hashes.
      const out = [];
      for (const r of records) out.push(await verifyAdapter(db, r, () => registeredAdapterFiles(artifacts, r), deps.readRegistry));
      return out;
    },
  };
}
