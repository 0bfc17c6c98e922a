// The accelerator backend (native/src/device_model.h): chosen at run time, loaded with dlopen
// only when asked for. (a) Without a usable backend: 'cuda' fails with the reason, 'auto' falls
// back to the CPU and says why. (b) The emulated build of the real CUDA backend
// (native/build/emu/libstudio_cuda_emu.so, `bash native/tools/cuda-build.sh --emulated`: the
// CUDA sources compiled for the host) against the CPU engine on tiny models, every call of the
// Model API. The library is chosen by $STUDIO_CUDA_LIBRARY, read once per process when the
// backend is first asked for, so (b) and the "library missing" case run in child processes.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { engine, maxAbsDiff } from './helpers/engine.js';
import { llamaSpec, writeTinyModel } from './helpers/tinyModels.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
// The library the parity test drives: the emulated build (CI), or, on a GPU machine,
// STUDIO_TEST_CUDA_LIBRARY=native/build/Release/libstudio_cuda.so to run the same checks on the GPU.
const EMULATED = process.env.STUDIO_TEST_CUDA_LIBRARY ?? path.join(root, 'native', 'build', 'emu', 'libstudio_cuda_emu.so');

/** Runs a TypeScript file (or inline module code) under node + tsx with extra environment. */
function node(args: string[], env: Record<string, string>, timeout = 300_000) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

describe('device backend: none usable', () => {
  const spec = writeTinyModel(llamaSpec(), 3);
  const status = engine.deviceStatus();

  it('deviceStatus() reports whether the CUDA backend is usable, with a reason when not', () => {
    expect(typeof status.available).toBe('boolean');
    expect(status.devices).toBeGreaterThanOrEqual(0);
    if (!status.available) {
      expect(status.devices).toBe(0);
      expect(status.reason).toMatch(/\S/);
    }
  });

  // Runs on every machine: what is asserted depends on what deviceStatus() found.
  it("backend choice follows deviceStatus(): 'cuda' loads on a GPU or throws naming the reason; 'auto' falls back to the CPU", () => {
    const cpu = new engine.Model({ ...spec, backend: 'cpu' });
    expect(cpu.info().backend).toEqual({ kind: 'cpu' });
    const auto = new engine.Model({ ...spec, backend: 'auto' });
    const tokens = Int32Array.of(1, 2, 3, 4);
    if (status.available) {
      const m = new engine.Model({ ...spec, backend: 'cuda' });
      expect(m.info().backend.kind).toBe('cuda');
      expect(m.info().backend.device).toMatch(/\S/);
      expect(auto.info().backend.kind).toBe('cuda');
      expect(maxAbsDiff(m.forward(tokens, 1, 4), cpu.forward(tokens, 1, 4))).toBeLessThan(1e-4);
    } else {
      expect(() => new engine.Model({ ...spec, backend: 'cuda' })).toThrow(status.reason!);
      expect(() => new engine.Model({ ...spec, backend: 'cuda' })).toThrow(/backend 'cuda' is not available/);
      expect(auto.info().backend).toEqual({ kind: 'cpu', fallbackReason: status.reason });
      expect(maxAbsDiff(auto.forward(tokens, 1, 4), cpu.forward(tokens, 1, 4))).toBe(0);
    }
  });

  it('rejects an unknown backend name', () => {
    expect(() => new engine.Model({ ...spec, backend: 'tpu' as 'cpu' })).toThrow(/'backend' must be 'cpu', 'cuda' or 'auto'/);
  });

  it('validates precision (CUDA only, ignored on the CPU)', () => {
    expect(() => new engine.Model({ ...spec, precision: 'fp16' as 'bf16' })).toThrow(/'precision' must be 'fp32', 'tf32' or 'bf16'/);
    expect(new engine.Model({ ...spec, backend: 'cpu', precision: 'bf16' }).info().backend).toEqual({ kind: 'cpu' });
  });

  it('a missing library is reported with its path, and the fallback trains as the CPU (child process, $STUDIO_CUDA_LIBRARY)', () => {
    const missing = path.join(root, 'native', 'build', 'no-such-dir', 'libstudio_cuda.so');
    const code = `import { loadNativeEngine } from './main/engine/native/index.ts';
const e = loadNativeEngine();
const s = e.deviceStatus();
let error = '';
try { new e.Model({ ...JSON.parse(process.env.SPEC), backend: 'cuda' }); } catch (err) { error = err.message; }
const spec = JSON.parse(process.env.SPEC);
const fallback = new e.Model({ ...spec, backend: 'auto' });
const auto = fallback.info().backend;
// The fallback trains exactly as a plain CPU model (bit for bit).
const tokens = Int32Array.from({ length: 12 }, (_, i) => (i * 5) % spec.vocabSize);
const targets = Int32Array.from({ length: 12 }, (_, i) => (i * 7 + 1) % spec.vocabSize);
const plain = new e.Model(spec);
for (const m of [fallback, plain]) {
  m.addLora({ targets: ['q', 'v'], rank: 2, alpha: 4, dropout: 0.1, seed: 1 });
  m.forwardBackward({ tokens, targets, batch: 2, seq: 6 });
  m.optimizerStep({ lr: 1e-2, maxGradNorm: 1 });
}
const ta = fallback.getLoraTensors(), tp = plain.getLoraTensors();
const sameTraining = Object.keys(tp).length > 0 && Object.keys(tp).every((k) => ta[k].data.every((v, i) => Object.is(v, tp[k].data[i])));
console.log(JSON.stringify({ s, error, auto, sameTraining }));`;
    const r = node(['--input-type=module', '-e', code], { STUDIO_CUDA_LIBRARY: missing, SPEC: JSON.stringify(spec) }, 60_000);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { s: { available: boolean; devices: number; library: string; reason: string }; error: string; auto: { kind: string; fallbackReason: string }; sameTraining: boolean };
    expect(out.s).toMatchObject({ available: false, devices: 0, library: missing });
    expect(out.s.reason).toContain(`CUDA backend library not found at ${missing}`);
    expect(out.error).toContain(out.s.reason);
    expect(out.auto).toEqual({ kind: 'cpu', fallbackReason: out.s.reason });
    expect(out.sameTraining).toBe(true);
  });
});

describe(`device backend: ${process.env.STUDIO_TEST_CUDA_LIBRARY ? 'the CUDA library at $STUDIO_TEST_CUDA_LIBRARY' : 'emulated CUDA build'} vs the CPU engine`, () => {
  it('the emulated backend library is built (bash native/tools/cuda-build.sh --emulated)', () => {
    expect(existsSync(EMULATED), `${EMULATED} is missing: build it with bash native/tools/cuda-build.sh --emulated`).toBe(true);
  });

  it('a backend that computes wrong fails its self-check: auto falls back to the CPU saying so, cuda throws', () => {
    expect(existsSync(EMULATED), `${EMULATED} is missing: build it with bash native/tools/cuda-build.sh --emulated`).toBe(true);
    const spec = writeTinyModel(llamaSpec(), 3);
    const code = `import { loadNativeEngine } from './main/engine/native/index.ts';
const e = loadNativeEngine();
const spec = JSON.parse(process.env.SPEC);
const out = {};
for (const precision of ['fp32', 'bf16']) {
  let error = '';
  try { new e.Model({ ...spec, backend: 'cuda', precision }); } catch (err) { error = err.message; }
  // full-parameter training is CPU-only: a model on the device refuses it, naming why
  let fullError = '';
  if (!error) try { new e.Model({ ...spec, backend: 'cuda', precision }).enableFullTraining(); } catch (err) { fullError = err.message; }
  out[precision] = { error, fullError, auto: new e.Model({ ...spec, backend: 'auto', precision }).info().backend };
}
console.log(JSON.stringify(out));`;
    const run = (env: Record<string, string>) => {
      const r = node(['--input-type=module', '-e', code], { STUDIO_CUDA_LIBRARY: EMULATED, SPEC: JSON.stringify(spec), ...env }, 120_000);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, { error: string; fullError: string; auto: { kind: string; fallbackReason?: string } }>;
    };
    // Healthy: the self-check passes and the GPU is taken.
    for (const r of Object.values(run({}))) {
      expect(r.error).toBe('');
      expect(r.auto.kind).toBe('cuda');
      expect(r.fullError).toMatch(/full-parameter training runs on the CPU engine only/);
    }
    // Every emulated cuBLAS product 1.5x too large (STUDIO_EMU_FAULT, emulator only).
    for (const r of Object.values(run({ STUDIO_EMU_FAULT: 'cublas-scale' }))) {
      expect(r.error).toMatch(/backend 'cuda' is not available: the CUDA backend failed its self-check against the CPU engine: a tiny GPT-2: forward logits differ from the CPU engine by [\d.e+-]+ \(relative; allowed/);
      expect(r.auto.kind).toBe('cpu');
      expect(r.auto.fallbackReason).toMatch(/failed its self-check/);
    }
  }, 300_000);

  it('gpt2 and llama: forward, sessions, training, optimizer state, eval and projected gradients agree', () => {
    expect(existsSync(EMULATED), `${EMULATED} is missing: build it with bash native/tools/cuda-build.sh --emulated`).toBe(true);
    const r = node([path.join(here, 'helpers', 'deviceParity.ts')], { STUDIO_CUDA_LIBRARY: EMULATED });
    expect(r.code, `deviceParity failed:\n${r.stderr}\n${r.stdout}`).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { status: { available: boolean }; devices: string[]; checks: { name: string; err: number | null; tol: number }[] };
    expect(out.status.available).toBe(true);
    expect(out.checks.length).toBeGreaterThan(90);
    // JSON turns Infinity/NaN into null: a failed check
    const failed = out.checks.filter((c) => c.err === null || !(c.err <= c.tol)).map((c) => `${c.name}: ${c.err} > ${c.tol}`);
    expect(failed, failed.join('\n')).toEqual([]);
  }, 600_000);
});
