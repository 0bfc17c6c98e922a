import { describe, expect, it } from 'vitest';
import type { DatanetRecord } from '../../../main/api/datanetSchemas';
import { type FetchPage, RecordPages } from './recordPages';

const record = (id: number): DatanetRecord => ({
  id,
  sourceId: `line-${id}`,
  importId: 1,
  contributor: '0x0000000000000000000000000000000000000001',
  content: { text: `r${id}` },
  metadata: {},
  text: `r${id}`,
  contentHash: '0x',
  status: 'pending',
  statusReason: null,
  signals: null,
});

describe('RecordPages', () => {
  it('fetches only the pages a range needs, each once, and answers rows from them', async () => {
    const calls: number[] = [];
    const fetch: FetchPage = async ({ offset = 0, limit = 100 }) => {
      calls.push(offset);
      const records = Array.from({ length: Math.max(0, Math.min(limit, 1_000_000 - offset)) }, (_, i) => record(offset + i + 1));
      return { total: 1_000_000, records, highlights: {} };
    };
    const pages = new RecordPages(fetch, { datanet: 'd', filter: 'all', sort: 'id', descending: false }, 100);
    expect(pages.row(500_050)).toBeUndefined();
    await pages.ensure(500_050, 500_160);
    expect(calls).toEqual([500_000, 500_100]);
    expect(pages.total).toBe(1_000_000);
    expect(pages.row(500_050)?.id).toBe(500_051);
    expect(await pages.ensure(500_060, 500_199)).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it('shows a reviewed record in place', async () => {
    const pages = new RecordPages(async () => ({ total: 2, records: [record(1), record(2)], highlights: { 2: 'a [b]' } }), { datanet: 'd' }, 10);
    await pages.ensure(0, 1);
    pages.patch({ ...record(2), status: 'accepted' });
    expect(pages.row(1)?.status).toBe('accepted');
    expect(pages.highlights.get(2)).toBe('a [b]');
  });
});
