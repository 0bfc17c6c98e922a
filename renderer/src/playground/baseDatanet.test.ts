import { describe, expect, it } from 'vitest';
import type { AdapterRecord } from '../../../main/api/adaptersSchemas';
import { BASE_MODEL, baseDatanet } from './playgroundStore';

// Only the lineage matters here; the rest of a record is filler.
const adapter = (name: string, datanet: string | null) => ({ name, datanet }) as AdapterRecord;
const adapters = [adapter('demo-adapter', 'state-of-the-union@1 0xd891'), adapter('notes-a', 'notes@2'), adapter('imported', null)];

describe('the base column’s datanet', () => {
  it('borrows the first selected adapter’s lineage (version only, root dropped), else the demo adapter’s', () => {
    expect(baseDatanet({ adapters, selected: [BASE_MODEL, 'imported', 'notes-a'], demoAdapter: 'demo-adapter' })).toBe('notes@2');
    expect(baseDatanet({ adapters, selected: [BASE_MODEL, 'imported'], demoAdapter: 'demo-adapter' })).toBe('state-of-the-union@1');
    expect(baseDatanet({ adapters, selected: [BASE_MODEL], demoAdapter: null })).toBeUndefined();
  });
});
