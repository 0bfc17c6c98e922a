// Benchmark (not a test): a datanet version freeze (Merkle root, JSONL and Parquet snapshots, one
// transaction) of N ~1 KB records, and its parts before and after session 8, each part in a
// process of its own so its max RSS (getrusage) is its own (bench/datanetFreeze/freezePhase.ts).
// Registered as 'datanetFreeze' (`npm run -s bench datanetFreeze`). Environment:
// DATANET_FREEZE_RECORDS (default 100,000), DATANET_FREEZE_HOME (default
// $TMPDIR/studio-bench-datanet-freeze-N; the fixture is built once there and kept: accepted
// records straight into the schema, bench/datanetFreeze/buildFreezeFixture.ts),
// DATANET_FREEZE_PHASES (default freeze,read,treeNative,proofNative,snapshot,treeReference,
// snapshotPrevious; the last two are the previous freeze's parts, minutes and gigabytes at 1M).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function phase(home: string, name: string, arg?: string): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./datanetFreeze/freezePhase.ts', import.meta.url)), home, name, ...(arg ? [arg] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`freeze bench phase ${name} failed (exit ${r.status})`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  return { ...out, loadAverage: os.loadavg().map((x) => +x.toFixed(2)) };
}

export async function datanetFreeze(): Promise<unknown> {
  const n = Number(process.env.DATANET_FREEZE_RECORDS ?? 100_000);
  const home = process.env.DATANET_FREEZE_HOME ?? path.join(os.tmpdir(), `studio-bench-datanet-freeze-${n}`);
  const phases = (process.env.DATANET_FREEZE_PHASES ?? 'freeze,read,treeNative,proofNative,snapshot,treeReference,snapshotPrevious').split(',');
  const log = (m: string) => process.stderr.write(`[datanet-freeze ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  const out: Record<string, unknown> = { records: n, home, loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)), uptime: fs.readFileSync('/proc/loadavg', 'utf8').trim() };
  const marker = path.join(home, 'bench-freeze-fixture.json');
  if (!fs.existsSync(marker)) {
    log(`building the fixture of ${n} accepted records in ${home}`);
    const built = phase(home, 'build', String(n));
    fs.writeFileSync(marker, JSON.stringify(built));
  }
  out['fixture'] = JSON.parse(fs.readFileSync(marker, 'utf8'));
  const results: Record<string, unknown> = {};
  for (const p of phases) {
    results[p] = phase(home, p);
    log(`${p} ${JSON.stringify(results[p])}`);
  }
  out['phases'] = results;
  return out;
}
