// Benchmark (not a test): importing ~1 KB JSONL records into a datanet with every signal
// (exact and near duplicates, PII, quality heuristics, language), through the real job (worker
// stages, main thread commits in one transaction), then freezing a version (Merkle root, JSONL
// and Parquet snapshots). Registered as 'datanetImport' (`npm run -s bench datanetImport`);
// DATANET_BENCH_RECORDS sets the count (default 1,000,000). Peak RSS is sampled every 50 ms in
// this process, which hosts the core, the SQLite connection and the job's worker thread.
// The records are synthetic prose from a fixed seed: 1 in 50 a copy of an earlier record, 1 in
// 50 a near copy, 1 in 100 with an e-mail address, so every signal path does real work.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callCore } from '../main/cli/callCore';
import { runJobToEnd } from '../main/cli/runJobToEnd';
import { StudioCore } from '../main/core/studioCore';

const WORDS = (
  'the harbour council met in the hall to count boats nets and grain while the river rose over the mill road and ' +
  'farmers carried sacks to the market square where traders argued about prices weather roads bridges schools and taxes'
).split(' ');

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function writeRecords(file: string, n: number): number {
  const rand = rng(42);
  const fd = fs.openSync(file, 'w');
  const recent: string[] = [];
  let bytes = 0;
  let buf: string[] = [];
  for (let i = 0; i < n; i++) {
    let text: string;
    if (i > 100 && i % 50 === 0) text = recent[Math.floor(rand() * recent.length)]!;
    else if (i > 100 && i % 50 === 25) text = recent[Math.floor(rand() * recent.length)]!.replace(/ the /, ' a ');
    else {
      const words: string[] = [];
      while (words.join(' ').length < 1000) words.push(WORDS[Math.floor(rand() * WORDS.length)]!);
      text = words.join(' ') + (i % 100 === 7 ? ` write to clerk${i}@harbour.example` : '') + ` (${i})`;
      if (recent.length < 1000) recent.push(text);
      else recent[i % 1000] = text;
    }
    const line = JSON.stringify({ id: `r${i}`, text }) + '\n';
    bytes += Buffer.byteLength(line);
    buf.push(line);
    if (buf.length === 10_000) {
      fs.writeSync(fd, buf.join(''));
      buf = [];
    }
  }
  if (buf.length) fs.writeSync(fd, buf.join(''));
  fs.closeSync(fd);
  return bytes;
}

export async function datanetImport(): Promise<unknown> {
  const n = Number(process.env.DATANET_BENCH_RECORDS ?? 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-datanet-'));
  try {
    const file = path.join(dir, 'records.jsonl');
    const bytes = writeRecords(file, n);
    process.stderr.write(`wrote ${n} records (${(bytes / 2 ** 20).toFixed(0)} MiB)\n`);
    const core = StudioCore.open({ home: path.join(dir, 'home'), mode: 'embedded' });
    let peak = process.memoryUsage().rss;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    try {
      await callCore(core, 'datanets.create', { name: 'bench' });
      const t0 = performance.now();
      // CPU time of this process (its worker threads included): on a shared, loaded box the
      // wall clock mostly measures the other tenants; CPU seconds per record do not.
      const cpu0 = process.cpuUsage();
      let stagedAt = 0;
      const off = core.onEvent((event, data) => {
        const j = data as { status?: string; progress?: number | null };
        if (event === 'job.updated' && j.progress === 1 && !stagedAt) stagedAt = performance.now();
      });
      const job = await runJobToEnd(core, 'datanet.import', { datanet: 'bench', path: file, mapping: { contributor: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' } }, (m) =>
        process.stderr.write(`${m}\n`),
      );
      off();
      const t1 = performance.now();
      const cpu = process.cpuUsage(cpu0);
      const importCpuSeconds = (cpu.user + cpu.system) / 1e6;
      const stats = await callCore(core, 'datanets.stats', { datanet: 'bench' });
      const q0 = performance.now();
      await callCore(core, 'datanets.records', { datanet: 'bench', filter: 'search:clerk77@harbour.example', limit: 50 });
      const q1 = performance.now();
      await callCore(core, 'datanets.records', { datanet: 'bench', filter: 'near-duplicate', limit: 100 });
      const q2 = performance.now();
      await callCore(core, 'datanets.review', { datanet: 'bench', filter: 'all', action: 'accept' });
      const v0 = performance.now();
      const version = await callCore(core, 'datanets.createVersion', { datanet: 'bench' });
      const v1 = performance.now();
      const seconds = (t1 - t0) / 1000;
      // What the import stored, hashed: two runs (or two implementations) that store the same
      // records, signals, LSH buckets and clusters give the same digests.
      const db = core.workspace.db;
      const digest = (sql: string) => {
        const h = crypto.createHash('sha256');
        for (const row of db.prepare(sql).raw().iterate()) h.update(JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : v)) + '\n');
        return h.digest('hex').slice(0, 16);
      };
      const storedDigests = {
        records: digest('SELECT id, source_id, contributor, content_json, metadata_json, text, content_hash, status FROM datanet_records ORDER BY id'),
        signals: digest('SELECT * FROM datanet_signals ORDER BY record_id'),
        lsh: digest('SELECT band, bucket, record_id FROM datanet_lsh ORDER BY record_id, band'),
      };
      return {
        records: n,
        inputMiB: Math.round(bytes / 2 ** 20),
        imported: (job.result as { imported: number }).imported,
        importSeconds: Number(seconds.toFixed(1)),
        recordsPerSecond: Math.round(n / seconds),
        importCpuSeconds: Number(importCpuSeconds.toFixed(1)),
        recordsPerCpuSecond: Math.round(n / importCpuSeconds),
        workerStageSeconds: stagedAt ? Number(((stagedAt - t0) / 1000).toFixed(1)) : null,
        commitSeconds: stagedAt ? Number(((t1 - stagedAt) / 1000).toFixed(1)) : null,
        stats: { exactDuplicates: stats.exactDuplicates, nearDuplicates: stats.nearDuplicates, pii: stats.pii, quality: stats.quality },
        fullTextQueryMs: Number((q1 - q0).toFixed(1)),
        nearDuplicateFilterPageMs: Number((q2 - q1).toFixed(1)),
        versionFreezeSeconds: Number(((v1 - v0) / 1000).toFixed(1)),
        versionRecords: version.records,
        merkleRoot: version.merkleRoot,
        storedDigests,
        peakRssMiB: Math.round(peak / 2 ** 20),
      };
    } finally {
      clearInterval(timer);
      await core.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
