/**
 * `npm run bench [name…]`: runs benchmarks and prints one JSON document to stdout (progress on
 * stderr); each result is also written to bench/out/<name>.json. Figures worth keeping go to
 * bench/RESULTS.md with the machine and date. Benchmarks measure; tests never time things.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benches } from './benches';

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = requested.filter((n) => !(n in benches));
if (unknown.length) {
  process.stderr.write(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(benches).join(', ')}\n`);
  process.exit(2);
}
const names = requested.length ? requested : Object.keys(benches).filter((n) => benches[n]?.default);

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  platform: `${os.platform()}-${os.arch()}`,
  node: process.versions.node,
};
const results: Record<string, unknown> = {};
fs.mkdirSync(path.join('bench', 'out'), { recursive: true });
for (const name of names) {
  process.stderr.write(`bench ${name}…\n`);
  const result = await benches[name]!.run();
  results[name] = result;
  fs.writeFileSync(path.join('bench', 'out', `${name}.json`), JSON.stringify({ date: new Date().toISOString(), machine, result }, null, 2));
}
process.stdout.write(JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2) + '\n');
