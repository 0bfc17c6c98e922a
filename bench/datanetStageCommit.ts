// Benchmark (not a test): the import's two halves in this process, no job runner, no worker
// start-up: `stageImport` then `commitImport` on the datanetImport bench's synthetic ~1 KB JSONL
// records, each half's CPU time (process.cpuUsage, worker threads included) and wall time, and
// digests of what was stored, so one change's cost and its "same bytes" show in one run.
// Registered as 'datanetStageCommit' (`npm run -s bench datanetStageCommit`). Environment:
// DATANET_BENCH_RECORDS (default 10,000). For a CPU profile of the loop, run it under
// `node --cpu-prof --import tsx bench/run.ts datanetStageCommit`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commitImport, stagingDir } from '../main/datanets/commitImport';
import { createDatanet } from '../main/datanets/datanetsRepository';
import { resolveImportSource } from '../main/datanets/readSourceRows';
import { stageImport } from '../main/datanets/stageImport';
import { openDatabase } from '../main/workspace/openDatabase';
import { writeRecords } from './datanetImport';

const CONTRIBUTOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

export async function datanetStageCommit(): Promise<unknown> {
  const n = Number(process.env.DATANET_BENCH_RECORDS ?? 10_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-stagecommit-'));
  const db = openDatabase(path.join(dir, 'studio.db'), { create: true });
  try {
    const file = path.join(dir, 'records.jsonl');
    writeRecords(file, n, 'jsonl');
    const datanet = createDatanet(db, { name: 'bench', schema: 'text', domain: '', description: '', licence: '', nearDuplicateThreshold: 0.8 });
    const artifactsRoot = path.join(dir, 'artifacts');
    const load0 = os.loadavg()[0]!;
    const cpuOf = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
    let cpu = process.cpuUsage();
    let t = performance.now();
    const staged = await stageImport(
      resolveImportSource(file),
      { schema: 'text', mapping: { contributor: CONTRIBUTOR }, split: 'file', stagingDir: stagingDir(artifactsRoot) },
      { signal: new AbortController().signal },
    );
    const stageCpu = cpuOf(process.cpuUsage(cpu));
    const stageWall = (performance.now() - t) / 1000;
    cpu = process.cpuUsage();
    t = performance.now();
    const res = commitImport(db, staged, { datanetId: datanet.id, datanetName: 'bench', threshold: 0.8, jobId: null, source: file, format: 'jsonl', mapping: { contributor: CONTRIBUTOR }, artifactsRoot });
    const commitCpu = cpuOf(process.cpuUsage(cpu));
    const commitWall = (performance.now() - t) / 1000;
    const digest = (sql: string) => {
      const h = crypto.createHash('sha256');
      for (const row of db.prepare(sql).raw().iterate()) h.update(JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : v)) + '\n');
      return h.digest('hex').slice(0, 16);
    };
    const us = (s: number) => Math.round((s * 1e6) / n);
    return {
      records: n,
      imported: res.imported,
      stage: { cpuSeconds: Number(stageCpu.toFixed(2)), wallSeconds: Number(stageWall.toFixed(2)), cpuMicrosPerRecord: us(stageCpu) },
      commit: { cpuSeconds: Number(commitCpu.toFixed(2)), wallSeconds: Number(commitWall.toFixed(2)), cpuMicrosPerRecord: us(commitCpu) },
      totalCpuMicrosPerRecord: us(stageCpu + commitCpu),
      recordsPerCpuSecond: Math.round(n / (stageCpu + commitCpu)),
      storedDigests: {
        records: digest('SELECT id, source_id, contributor, content_json, metadata_json, text, content_hash FROM datanet_records ORDER BY id'),
        signals: digest('SELECT * FROM datanet_signals ORDER BY record_id'),
        lsh: digest('SELECT band, bucket, record_id FROM datanet_lsh ORDER BY record_id, band'),
        fts: digest("SELECT rowid FROM datanet_records_fts WHERE datanet_records_fts MATCH 'economy OR harbour OR congress' ORDER BY rowid"),
      },
      loadAverage: [load0, ...os.loadavg()].map((x) => Number(x.toFixed(1))),
    };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
