// The record table's listings (listRecords) against plain reference SQL on a datanet of the
// scale bench's rows: every filter and sort gives the same records and total, page after page,
// whatever indexes and query shapes listRecords uses to be fast at a million records; and the
// totals it keeps between pages follow every write, from this connection or another one.
import path from 'node:path';
import Database from 'better-sqlite3';
import { getAddress } from 'viem';
import { afterEach, describe, expect, it } from 'vitest';
import { buildScaleFixture } from '../../bench/datanetScale/buildScaleFixture';
import { scaleContributor, scaleRecords } from '../../bench/datanetScale/scaleRecords';
import { callCore } from '../../main/cli/callCore';
import { StudioCore } from '../../main/core/studioCore';
import { tempDir } from '../support/tempDir';

const N = 1500;
let core: StudioCore | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

/** What each filter means, written the plain way (a scan with the signals joined). */
const REFERENCE: Record<string, string> = {
  all: '1',
  duplicate: 's.exact_dup_of IS NOT NULL',
  'near-duplicate': 's.near_dup_cluster IS NOT NULL AND s.near_dup_cluster != r.id',
  pii: 's.pii_count > 0',
  'pii:email': "EXISTS (SELECT 1 FROM json_each(s.pii_json) j WHERE json_extract(j.value, '$.kind') = 'email')",
  quality: "s.quality_flags != ''",
  'quality:repeated-ngrams': "(',' || s.quality_flags || ',') LIKE '%,repeated-ngrams,%'",
  'status:excluded': "r.status = 'excluded'",
  'search:economy': "r.id IN (SELECT rowid FROM datanet_records_fts WHERE datanet_records_fts MATCH '\"economy\"')",
  [scaleContributor(3)]: `r.contributor = '${getAddress(scaleContributor(3))}'`,
};

async function open() {
  core = StudioCore.open({ home: tempDir(), mode: 'embedded' });
  const other = await callCore(core, 'datanets.create', { name: 'other' });
  const d = await callCore(core, 'datanets.create', { name: 'scale' });
  const artifacts = path.join(core.workspace.layout.root, 'artifacts');
  // A second datanet with the same rows first: listings must keep to their own datanet.
  buildScaleFixture(core.workspace.db, { id: other.id, name: other.name, threshold: other.nearDuplicateThreshold }, scaleRecords(300), artifacts);
  buildScaleFixture(core.workspace.db, { id: d.id, name: d.name, threshold: d.nearDuplicateThreshold }, scaleRecords(N), artifacts);
  await callCore(core, 'datanets.review', { datanet: 'scale', filter: 'duplicate', action: 'exclude', reason: 'copy' });
  return { core, id: d.id };
}

describe('datanet listings', () => {
  it('give every filter and sort the records and total of the plain query, page by page', async () => {
    const { core: c, id } = await open();
    const db = c.workspace.db;
    for (const [filter, sql] of Object.entries(REFERENCE)) {
      for (const [sort, col] of [
        ['id', 'r.id'],
        ['length', 's.length'],
        ['piiCount', 's.pii_count'],
      ] as const) {
        const want = db
          .prepare(`SELECT r.id FROM datanet_records r LEFT JOIN datanet_signals s ON s.record_id = r.id WHERE r.datanet_id = ? AND (${sql}) ORDER BY ${col} DESC, r.id`)
          .pluck()
          .all(id) as number[];
        expect(want.length, `${filter} has records`).toBeGreaterThan(0);
        const got: number[] = [];
        let total = -1;
        for (let offset = 0; offset < Math.max(want.length, 1); offset += 97) {
          const page = await callCore(c, 'datanets.records', { datanet: 'scale', filter, sort, descending: true, offset, limit: 97 });
          total = page.total;
          got.push(...page.records.map((r) => r.id));
          if (page.records[0]) expect(page.records[0].signals, `${filter} ${sort}`).not.toBeNull();
        }
        expect(total, `${filter} total`).toBe(want.length);
        expect(got, `${filter} sorted by ${sort}`).toEqual(want);
      }
    }
  });

  it('a total kept between pages follows a review and a write from another connection', async () => {
    const { core: c } = await open();
    const total = async (filter: string) => (await callCore(c, 'datanets.records', { datanet: 'scale', filter, limit: 10 })).total;
    const excluded = await total('status:excluded');
    const pending = await total('status:pending');
    expect(excluded).toBeGreaterThan(0);
    await callCore(c, 'datanets.review', { datanet: 'scale', filter: 'pii', action: 'reject', reason: 'personal data' });
    const pii = await total('pii');
    expect(await total('status:pending')).toBe(pending - pii);
    expect(await total('status:rejected')).toBe(pii);
    expect(await total('status:excluded')).toBe(excluded);

    // Another process (a worker's connection) changes records: the next page's total shows it.
    const other = new Database(path.join(c.workspace.layout.root, 'studio.db'));
    try {
      other.prepare("UPDATE datanet_records SET status = 'accepted' WHERE status = 'excluded'").run();
    } finally {
      other.close();
    }
    expect(await total('status:excluded')).toBe(0);
    expect(await total('status:accepted')).toBe(excluded);
  });
});
