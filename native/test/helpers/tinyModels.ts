// Test helpers: a minimal safetensors writer (f32/f16/bf16) and tiny random GPT-2 / Llama models
// in Hugging Face tensor naming, so the native tests need nothing but the addon.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NativeModelSpec } from '../../../main/engine/native/index.js';

export type Dtype = 'F32' | 'F16' | 'BF16';
export interface TensorIn {
  shape: number[];
  data: Float32Array;
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randn(r: () => number, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.max(r(), 1e-12);
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r()) * std;
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** f32 -> bf16 bits, round to nearest even. */
export function toBf16(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/** f32 -> f16 bits, round to nearest even (normal range; tests stay well inside it). */
export function toF16(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    if (rem > half || (rem === half && (m & 1))) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (m & 1))) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 31) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

export function safetensorsBytes(tensors: Record<string, TensorIn>, dtype: Dtype = 'F32'): Buffer {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  const parts: Buffer[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const size = dtype === 'F32' ? 4 : 2;
    const buf = Buffer.alloc(t.data.length * size);
    for (let i = 0; i < t.data.length; i++) {
      const v = t.data[i]!;
      if (dtype === 'F32') buf.writeFloatLE(v, i * 4);
      else buf.writeUInt16LE(dtype === 'F16' ? toF16(v) : toBf16(v), i * 2);
    }
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + buf.length] };
    parts.push(buf);
    offset += buf.length;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, ...parts]);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function writeSafetensors(file: string, tensors: Record<string, TensorIn>, dtype: Dtype = 'F32'): void {
  writeFileSync(file, safetensorsBytes(tensors, dtype));
}

export type SpecNoFiles = Omit<NativeModelSpec, 'files'>;

export function gpt2Spec(over: Partial<SpecNoFiles> = {}): SpecNoFiles {
  return {
    arch: 'gpt2', vocabSize: 37, hiddenSize: 16, numLayers: 2, numHeads: 2, numKvHeads: 2, headDim: 8,
    intermediateSize: 64, maxPositions: 32, normEps: 1e-5, ropeTheta: 10000, ropeScaling: null,
    tieWordEmbeddings: true, attentionBias: true, ...over,
  };
}

export function llamaSpec(over: Partial<SpecNoFiles> = {}): SpecNoFiles {
  return {
    arch: 'llama', vocabSize: 41, hiddenSize: 16, numLayers: 2, numHeads: 4, numKvHeads: 2, headDim: 4,
    intermediateSize: 24, maxPositions: 64, normEps: 1e-5, ropeTheta: 10000,
    ropeScaling: { type: 'llama3', factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 16 },
    tieWordEmbeddings: false, attentionBias: true, ...over,
  };
}

/** Random weights in Hugging Face naming for the given spec. */
export function randomWeights(spec: SpecNoFiles, seed: number, std = 0.2): Record<string, TensorIn> {
  const r = rng(seed);
  const t: Record<string, TensorIn> = {};
  const put = (name: string, shape: number[], s = std, mean = 0) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const d = randn(r, n, s);
    if (mean) for (let i = 0; i < n; i++) d[i] = d[i]! + mean;
    t[name] = { shape, data: d };
  };
  const C = spec.hiddenSize, I = spec.intermediateSize, V = spec.vocabSize;
  if (spec.arch === 'gpt2') {
    put('wte.weight', [V, C]);
    put('wpe.weight', [spec.maxPositions, C], std / 2);
    for (let i = 0; i < spec.numLayers; i++) {
      const h = `h.${i}.`;
      put(h + 'ln_1.weight', [C], 0.1, 1);
      put(h + 'ln_1.bias', [C], 0.1);
      put(h + 'attn.c_attn.weight', [C, 3 * C]);
      put(h + 'attn.c_attn.bias', [3 * C], 0.1);
      put(h + 'attn.c_proj.weight', [C, C]);
      put(h + 'attn.c_proj.bias', [C], 0.1);
      put(h + 'ln_2.weight', [C], 0.1, 1);
      put(h + 'ln_2.bias', [C], 0.1);
      put(h + 'mlp.c_fc.weight', [C, I]);
      put(h + 'mlp.c_fc.bias', [I], 0.1);
      put(h + 'mlp.c_proj.weight', [I, C]);
      put(h + 'mlp.c_proj.bias', [C], 0.1);
    }
    put('ln_f.weight', [C], 0.1, 1);
    put('ln_f.bias', [C], 0.1);
    if (!spec.tieWordEmbeddings) put('lm_head.weight', [V, C]);
  } else {
    const HD = spec.numHeads * spec.headDim, KVD = spec.numKvHeads * spec.headDim;
    put('model.embed_tokens.weight', [V, C]);
    for (let i = 0; i < spec.numLayers; i++) {
      const p = `model.layers.${i}.`;
      put(p + 'input_layernorm.weight', [C], 0.1, 1);
      put(p + 'post_attention_layernorm.weight', [C], 0.1, 1);
      put(p + 'self_attn.q_proj.weight', [HD, C]);
      put(p + 'self_attn.k_proj.weight', [KVD, C]);
      put(p + 'self_attn.v_proj.weight', [KVD, C]);
      if (spec.attentionBias) {
        put(p + 'self_attn.q_proj.bias', [HD], 0.1);
        put(p + 'self_attn.k_proj.bias', [KVD], 0.1);
        put(p + 'self_attn.v_proj.bias', [KVD], 0.1);
      }
      put(p + 'self_attn.o_proj.weight', [C, HD]);
      put(p + 'mlp.gate_proj.weight', [I, C]);
      put(p + 'mlp.up_proj.weight', [I, C]);
      put(p + 'mlp.down_proj.weight', [C, I]);
    }
    put('model.norm.weight', [C], 0.1, 1);
    if (!spec.tieWordEmbeddings) put('lm_head.weight', [V, C]);
  }
  return t;
}

/** Writes a tiny model to a temp dir and returns its full spec (with files). */
export function writeTinyModel(spec: SpecNoFiles, seed: number, dtype: Dtype = 'F32', shards = 1): NativeModelSpec {
  const dir = tempDir('engine-tiny-');
  const weights = randomWeights(spec, seed);
  const names = Object.keys(weights);
  const files: string[] = [];
  for (let s = 0; s < shards; s++) {
    const part: Record<string, TensorIn> = {};
    names.forEach((n, i) => {
      if (i % shards === s) part[n] = weights[n]!;
    });
    const f = path.join(dir, `model-${s + 1}-of-${shards}.safetensors`);
    writeSafetensors(f, part, dtype);
    files.push(f);
  }
  return { ...spec, files };
}
