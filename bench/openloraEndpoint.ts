// Benchmark: the OpenAI-compatible endpoint's overhead over the raw engine. The same prompt and
// tokens (the default model, greedy, 64 tokens) three ways, in rounds that alternate their order:
//  - raw: ServingCore.submit in this process (the engine's KV-cache session, sampling, detokenize);
//  - /v1/completions, JSON: a real `studio serve --model resources/default-model` process (fresh
//    home, no demo content), the request over loopback HTTP with the launch token;
//  - /v1/completions, streaming (server-sent events, one event per token), read to the end.
// The server's CPU time is read from /proc (utime + stime) around each request, the client's
// (this process) from process.cpuUsage; overhead = endpoint wall / raw wall - 1 per round.
// Target: at most 10%. JSON on stdout.
//
//   npm run -s bench openlora-endpoint          (ENDPOINT_BENCH_TOKENS, ENDPOINT_BENCH_ROUNDS)
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { modelSpecWithFiles } from '../main/engine/modelSpecWithFiles.js';
import { modelSpecialIds } from '../main/engine/modelSpecialIds.js';
import { loadNativeEngine } from '../main/engine/native/index.js';
import { Tokenizer } from '../main/engine/tokenizer/Tokenizer.js';
import { ServingCore } from '../main/playground/ServingCore.js';
import { startStudio, stopStudio } from '../test/support/serveProcess.js';

const MODEL_DIR = path.resolve('resources/default-model');
const PROMPT = 'The state of the union is strong, and the work of this Congress';

interface Sample {
  wallMs: number;
  /** This process (the client, or the engine for raw). */
  clientCpuMs: number;
  /** The serve process (0 for raw). */
  serverCpuMs: number;
  tokens: number;
  firstTokenMs?: number;
  text: string;
}

const round = (x: number, d = 3) => +x.toFixed(d);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const procCpuMs = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on (state, ppid, ...)
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in USER_HZ (100 on Linux)
};

export async function openloraEndpoint(options: { tokens?: number; rounds?: number } = {}): Promise<unknown> {
  const N = options.tokens ?? Number(process.env.ENDPOINT_BENCH_TOKENS ?? 64);
  const rounds = options.rounds ?? Number(process.env.ENDPOINT_BENCH_ROUNDS ?? 3);
  const load0 = loadavg();
  process.env.STUDIO_DEMO_CONTENT = 'off';
  const engine = loadNativeEngine();
  const spec = modelSpecWithFiles(MODEL_DIR);
  const tok = Tokenizer.fromModelDir(MODEL_DIR);
  const eosIds = modelSpecialIds(MODEL_DIR).eos;
  const core = new ServingCore(engine, new engine.Model(spec), spec, tok, { adapterBudgetBytes: 64 << 20, maxRank: 64, loadAdapter: () => { throw new Error('no adapters in this bench'); } });
  const { server, child } = await startStudio({ args: ['--model', MODEL_DIR] });
  const pid = child.pid!;
  try {
    const raw = async (): Promise<Sample> => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await core.submit({ adapter: null, promptIds: tok.encode(PROMPT), opts: { maxTokens: N, temperature: 0, topAlternatives: 0, stopIds: eosIds, stopStrings: [], seed: 1 } }).done;
      const wallMs = performance.now() - t0;
      const c = process.cpuUsage(c0);
      return { wallMs, clientCpuMs: (c.user + c.system) / 1e3, serverCpuMs: 0, tokens: r.tokens.length, text: r.text };
    };
    const http = async (stream: boolean): Promise<Sample> => {
      const s0 = procCpuMs(pid);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const res = await fetch(`${server.origin}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify({ model: 'base', prompt: PROMPT, max_tokens: N, temperature: 0, seed: 1, stream }),
      });
      if (!res.ok) throw new Error(`/v1/completions answered ${res.status}: ${await res.text()}`);
      let text = '', tokens = 0, firstTokenMs: number | undefined;
      if (stream) {
        const reader = res.body!.getReader();
        const dec = new TextDecoder();
        let buf = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const ev = buf.slice(0, i);
            buf = buf.slice(i + 2);
            if (!ev.startsWith('data: ') || ev === 'data: [DONE]') continue;
            const choice = (JSON.parse(ev.slice(6)) as { choices: { text: string; finish_reason: string | null }[] }).choices[0]!;
            if (choice.finish_reason) continue;
            firstTokenMs ??= performance.now() - t0;
            tokens++;
            text += choice.text;
          }
        }
      } else {
        const body = (await res.json()) as { choices: { text: string }[]; usage: { completion_tokens: number } };
        text = body.choices[0]!.text;
        tokens = body.usage.completion_tokens;
      }
      const wallMs = performance.now() - t0;
      const c = process.cpuUsage(c0);
      return { wallMs, clientCpuMs: (c.user + c.system) / 1e3, serverCpuMs: procCpuMs(pid) - s0, tokens, firstTokenMs, text };
    };
    // Warm-up: the server loads the model on its first request; pages and JIT on both sides.
    await raw();
    await http(false);
    await http(true);
    const runs: { raw: Sample; json: Sample; stream: Sample }[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) runs.push({ raw: await raw(), json: await http(false), stream: await http(true) });
      else {
        const stream = await http(true);
        const json = await http(false);
        runs.push({ raw: await raw(), json, stream });
      }
    }
    const same = runs.every((x) => x.json.text === x.raw.text && x.stream.text === x.raw.text);
    const slim = (s: Sample) => ({ wallMs: round(s.wallMs, 1), clientCpuMs: round(s.clientCpuMs, 1), serverCpuMs: round(s.serverCpuMs, 1), tokens: s.tokens, ...(s.firstTokenMs !== undefined ? { firstTokenMs: round(s.firstTokenMs, 1) } : {}) });
    const overheads = runs.map((x) => ({
      json: round(x.json.wallMs / x.raw.wallMs - 1),
      stream: round(x.stream.wallMs / x.raw.wallMs - 1),
      // CPU: server + client against the raw engine's process CPU.
      jsonCpu: round((x.json.serverCpuMs + x.json.clientCpuMs) / x.raw.clientCpuMs - 1),
      streamCpu: round((x.stream.serverCpuMs + x.stream.clientCpuMs) / x.raw.clientCpuMs - 1),
    }));
    return {
      bench: 'openlora-endpoint',
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model ?? 'unknown', logicalCpus: cpus().length, threads: engine.getThreads(), loadAverageBefore: load0.map((x) => round(x, 2)), loadAverageAfter: loadavg().map((x) => round(x, 2)) },
      model: { dir: 'resources/default-model', parameters: 6_820_000, promptTokens: tok.encode(PROMPT).length, maxTokens: N, sampling: 'greedy (temperature 0)' },
      target: { overheadAtMost: 0.1 },
      sameText: same,
      tokens: runs[0]!.raw.tokens,
      overheadPerRound: overheads,
      medianOverhead: { json: median(overheads.map((o) => o.json)), stream: median(overheads.map((o) => o.stream)), jsonCpu: median(overheads.map((o) => o.jsonCpu)), streamCpu: median(overheads.map((o) => o.streamCpu)) },
      msPerToken: {
        raw: round(median(runs.map((x) => x.raw.wallMs / x.raw.tokens))),
        json: round(median(runs.map((x) => x.json.wallMs / x.json.tokens))),
        stream: round(median(runs.map((x) => x.stream.wallMs / x.stream.tokens))),
      },
      runs: runs.map((x) => ({ raw: slim(x.raw), json: slim(x.json), stream: slim(x.stream) })),
    };
  } finally {
    core.close();
    await stopStudio(child, server.home);
  }
}
