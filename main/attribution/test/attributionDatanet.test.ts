import { describe, expect, it } from 'vitest';
import type { AdapterRecord } from '../../api/adaptersSchemas';
import { attributionDatanet } from '../attributeCompletion';
import { parseDatanetRef } from '../ensureSpanIndex';

describe('the datanet an attribution runs against', () => {
  const adapter = (datanet: string | null) => ({ name: 'a', datanet }) as AdapterRecord;

  it('reads both lineage forms: engine.train’s "name@v" and a factory run’s "name@v 0xROOT"', () => {
    expect(attributionDatanet(adapter('notes@2'), undefined)).toEqual({ ref: 'notes@2', from: 'lineage' });
    const root = `0x${'ab'.repeat(32)}`;
    const { ref } = attributionDatanet(adapter(`state-of-the-union@1 ${root}`), undefined);
    expect(ref).toBe('state-of-the-union@1');
    expect(parseDatanetRef(ref)).toEqual({ name: 'state-of-the-union', version: 1 });
  });

  it('prefers the named datanet and asks for one when there is no lineage', () => {
    expect(attributionDatanet(adapter('notes@2'), 'other@1')).toEqual({ ref: 'other@1', from: 'argument' });
    expect(() => attributionDatanet(adapter(null), undefined)).toThrow(/records no datanet/);
  });

  it('refuses a version that is not a positive integer instead of reading NaN', () => {
    expect(parseDatanetRef('notes')).toEqual({ name: 'notes' });
    expect(() => parseDatanetRef('notes@1 0xabc')).toThrow(/must be a positive integer/);
    expect(() => parseDatanetRef('notes@0')).toThrow(/must be a positive integer/);
  });
});
