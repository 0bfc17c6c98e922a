// Benchmark (not a test): exact-span attribution. Builds a span index (native SA-IS suffix table,
// infini-gram layout) over ATTRIBUTION_BENCH_TOKENS synthetic tokens (default 10,000,000), then
// attributes 256-token responses against it. ATTRIBUTION_BENCH_THREADS sets the build's threads
// (default 2). Registered as 'attribution-spans' (`npm run -s bench attribution-spans`).
// The corpus: documents of 50-400 tokens drawn from a Zipf(1.1) law over a 50,257-id vocabulary
// (GPT-2's size), 1 in 4 documents repeating a passage of an earlier one, so long matches and
// common n-grams both occur. A response is half a passage copied from a document (a verbatim
// span), half fresh Zipf tokens; token texts start a word 4 times in 5.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attributeResponse } from '../main/attribution/attributeResponse';
import { SuffixSearcher } from '../main/attribution/findSpans';
import { openSpanIndex } from '../main/attribution/openSpanIndex';
import { TABLE_FILE, TOKENS_FILE } from '../main/attribution/spanIndexFormat';
import { writeSpanIndex } from '../main/attribution/writeSpanIndex';
import { loadNativeEngine } from '../main/engine/native/index';

const VOCAB = 50_257;
const ADDRESSES = ['0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', '0x90F79bf6EB2c4f870365E785982E1f101E93b906'];

/**
 * CPU milliseconds of the calling thread so far (Linux /proc/thread-self/stat, clock ticks of
 * 10 ms), or null elsewhere. On a shared machine it is the closest figure to a quiet machine's
 * wall time for the native build: its sequential loop runs on the calling thread and never waits
 * for the helper threads.
 */
function threadCpuMs(): number | null {
  try {
    const stat = fs.readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, at 100 ticks per second
  } catch {
    return null;
  }
}

/** The suffix table alone on `threads` threads, timed three ways (the file already written). */
function timeSuffixTable(engine: ReturnType<typeof loadNativeEngine>, tokens: Uint8Array, width: 2 | 4, ptrSize: number, threads: number) {
  const cpu0 = process.cpuUsage();
  const thread0 = threadCpuMs();
  const t0 = performance.now();
  engine.tokenSuffixTable(tokens, width, ptrSize, threads);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const thread1 = threadCpuMs();
  return {
    threads,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    callingThreadCpuMs: thread0 === null || thread1 === null ? null : thread1 - thread0,
  };
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Inverse-CDF sampler of a Zipf law over ids 0..n-1. */
function zipf(n: number, s: number, rand: () => number): () => number {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let k = 0; k < n; k++) cdf[k] = acc += 1 / Math.pow(k + 1, s);
  for (let k = 0; k < n; k++) cdf[k]! /= acc;
  return () => {
    const u = rand();
    let a = 0, b = n - 1;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (cdf[m]! < u) a = m + 1;
      else b = m;
    }
    return a;
  };
}

export async function attributionSpans(): Promise<unknown> {
  const target = Number(process.env.ATTRIBUTION_BENCH_TOKENS ?? 10_000_000);
  // Threads of the suffix-table build (ATTRIBUTION_BENCH_THREADS, default 2, as the app builds).
  const threads = Number(process.env.ATTRIBUTION_BENCH_THREADS ?? 2);
  const engine = loadNativeEngine();
  const rand = rng(7);
  const draw = zipf(VOCAB, 1.1, rand);
  const docs: Uint16Array[] = [];
  let total = 0;
  while (total < target) {
    const len = 50 + Math.floor(rand() * 350);
    const d = new Uint16Array(len);
    for (let i = 0; i < len; i++) d[i] = draw();
    if (docs.length > 10 && rand() < 0.25) {
      const src = docs[Math.floor(rand() * docs.length)]!;
      const a = Math.floor(rand() * src.length / 2);
      const piece = src.subarray(a, a + Math.min(len, 20 + Math.floor(rand() * 60)));
      d.set(piece.subarray(0, Math.min(piece.length, len)), Math.floor(rand() * Math.max(1, len - piece.length)));
    }
    docs.push(d);
    total += len + 1;
  }
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-spans-')), 'index');
  const meta = { datanet: { name: 'bench', version: 1, root: '0x' + '00'.repeat(32) }, tokenizer: { fingerprint: 'ab'.repeat(32), vocabSize: VOCAB } };
  try {
    const t0 = performance.now();
    const header = writeSpanIndex(engine, dir, docs.map((ids, i) => ({ record: `r${i}`, contributor: ADDRESSES[i % 3]!, ids })), meta, { threads });
    const buildMs = performance.now() - t0;
    const t1 = performance.now();
    const index = openSpanIndex(engine, dir, { datanetRoot: meta.datanet.root, tokenizerFingerprint: meta.tokenizer.fingerprint });
    const openMs = performance.now() - t1;
    // The build again, natively only, on 1 thread and on `threads`, from the same run: with the
    // calling thread's CPU beside the process's (the helper's work shows in the difference).
    const tokenBytes = new Uint8Array(fs.readFileSync(path.join(dir, TOKENS_FILE)));
    const direct = [1, threads].map((t) => timeSuffixTable(engine, tokenBytes, header.tokenWidth, header.ptrSize, t));
    const text = (id: number) => (id % 5 === 0 ? `w${id}` : ` w${id}`);
    const times: number[] = [];
    let spans = 0, longest = 0;
    const cpu0 = process.cpuUsage();
    for (let q = 0; q < 21; q++) {
      const src = docs[Math.floor(rand() * docs.length)]!;
      const a = Math.floor(rand() * Math.max(1, src.length - 128));
      const ids = [...Array.from({ length: 64 }, draw), ...Array.from(src.subarray(a, a + 128)), ...Array.from({ length: 64 }, draw)];
      while (ids.length < 256) ids.push(draw());
      const tokens = ids.slice(0, 256).map((id) => ({ id, text: text(id) }));
      const s = performance.now();
      // A fresh searcher per response, as attributeCompletion makes one: no cache carries over.
      const searcher = new SuffixSearcher(index);
      const r = attributeResponse({ model: 'bench', adapter: null, datanet: meta.datanet, datanetFrom: 'argument', tokens, searcher, gradient: null, note: null, threshold: { bps: 1, source: 'default' } });
      if (q > 0) times.push(performance.now() - s); // the first one pages the index in
      spans += r.spans.length;
      longest = Math.max(longest, ...r.tokens.map((t) => t.matchLength));
    }
    const cpu = process.cpuUsage(cpu0);
    times.sort((x, y) => x - y);
    const tokens = header.tokens;
    return {
      tokens,
      documents: header.documents,
      threads,
      buildMs: Math.round(buildMs),
      suffixTableMs: header.build.suffixArrayMs,
      suffixTableTokensPerSecond: Math.round(tokens / (header.build.suffixArrayMs / 1000)),
      // Per second of CPU (both threads' time): less sensitive to other work on a shared machine.
      suffixTableCpuMs: header.build.suffixArrayCpuMs,
      suffixTableTokensPerCpuSecond: Math.round(tokens / (header.build.suffixArrayCpuMs / 1000)),
      suffixTableAlone: direct,
      loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
      bytesPerToken: (header.files[TOKENS_FILE].bytes + header.files[TABLE_FILE].bytes) / tokens,
      openAndVerifyMs: Math.round(openMs),
      response: { tokens: 256, runs: times.length, medianMs: Math.round(times[times.length >> 1]! * 10) / 10, maxMs: Math.round(times[times.length - 1]! * 10) / 10, meanCpuMs: Math.round((cpu.user + cpu.system) / 1000 / 21), meanSpans: Math.round(spans / 21), longestMatch: longest },
    };
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
}
