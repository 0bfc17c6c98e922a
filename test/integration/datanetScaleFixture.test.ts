// The datanet scale bench builds its million records with a fixture builder instead of the
// import (bench/datanetScale/buildScaleFixture.ts). Its figures only mean something if the
// fixture stores what an import stores: here 2,000 of the bench's rows go through the real
// `datanet.import` job in one workspace and through the fixture in another, and every stored
// row (records, signals, LSH buckets, full-text index) must be the same.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildScaleFixture, SCALE_MAPPING } from '../../bench/datanetScale/buildScaleFixture';
import { scaleRecords } from '../../bench/datanetScale/scaleRecords';
import { callCore } from '../../main/cli/callCore';
import { runJobToEnd } from '../../main/cli/runJobToEnd';
import { StudioCore } from '../../main/core/studioCore';
import { tempDir } from '../support/tempDir';

const N = 2000;
const cores: StudioCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
});

function open(): StudioCore {
  const c = StudioCore.open({ home: tempDir(), mode: 'embedded' });
  cores.push(c);
  return c;
}

/** Every stored row of the datanet's tables, as comparable values (blobs as base64). */
function stored(core: StudioCore) {
  const db = core.workspace.db;
  const rows = (sql: string) => db.prepare(sql).raw().all().map((r) => JSON.stringify(r, (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : v)));
  return {
    records: rows('SELECT id, datanet_id, source_id, contributor, content_json, metadata_json, text, content_hash, status, status_reason FROM datanet_records ORDER BY id'),
    signals: rows('SELECT * FROM datanet_signals ORDER BY record_id'),
    lsh: rows('SELECT datanet_id, band, bucket, record_id FROM datanet_lsh ORDER BY record_id, band'),
    // The FTS index itself: its rows and what a few searches find.
    ftsRows: rows('SELECT rowid FROM datanet_records_fts ORDER BY rowid'),
    ftsHits: ['economy', 'harbour', 'watches', '"Call"'].map((q) => rows(`SELECT rowid FROM datanet_records_fts WHERE datanet_records_fts MATCH '${q}' ORDER BY rowid`)),
  };
}

describe('the datanet scale fixture', () => {
  it('stores exactly what a real import of the same rows stores, with every signal represented', async () => {
    const imported = open();
    await callCore(imported, 'datanets.create', { name: 'scale' });
    const file = path.join(tempDir(), 'rows.jsonl');
    fs.writeFileSync(file, [...scaleRecords(N)].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const job = await runJobToEnd(imported, 'datanet.import', { datanet: 'scale', path: file, format: 'jsonl', mapping: SCALE_MAPPING }, () => {});
    expect((job.result as { imported: number }).imported).toBe(N);

    const built = open();
    const d = await callCore(built, 'datanets.create', { name: 'scale' });
    const t = buildScaleFixture(built.workspace.db, { id: d.id, name: d.name, threshold: d.nearDuplicateThreshold }, scaleRecords(N), path.join(built.workspace.layout.root, 'artifacts'));
    expect(t.rows).toBe(N);

    const a = stored(imported);
    const b = stored(built);
    expect(b.records.length).toBe(N);
    expect(b.lsh.length).toBeGreaterThan(N);
    expect(b.ftsRows.length).toBe(N);
    for (const k of ['records', 'signals', 'lsh', 'ftsRows', 'ftsHits'] as const) expect(b[k], k).toEqual(a[k]);

    // Every filter the bench times has records to find, in both.
    const statsA = await callCore(imported, 'datanets.stats', { datanet: 'scale' });
    const statsB = await callCore(built, 'datanets.stats', { datanet: 'scale' });
    expect(statsB).toEqual(statsA);
    expect(statsB.exactDuplicates).toBeGreaterThan(0);
    expect(statsB.nearDuplicates).toBeGreaterThan(0);
    expect(statsB.pii).toBeGreaterThan(0);
    expect(statsB.quality).toBeGreaterThan(0);
    expect(statsB.contributors).toBeGreaterThan(100);
    const kinds = (await callCore(built, 'datanets.records', { datanet: 'scale', filter: 'pii', limit: 500 })).records.flatMap((r) => r.signals!.pii.map((p) => p.kind));
    expect(new Set(kinds)).toEqual(new Set(['email', 'phone', 'card']));
  });
});
