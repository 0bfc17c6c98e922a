// Thin loader for the native engine addon (native/, C++ through N-API). It only finds the
// compiled file and gives it types; the engine's behaviour is documented in native/README.md.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelSpec, RopeScalingLlama3 } from '../modelConfig';
import type { BankTensorSource } from '../peft/peftBankSources';

export type Arch = ModelSpec['arch'];
export type RopeScalingSpec = RopeScalingLlama3;

/** The normalised spec (modelConfig.ts: the one contract both engines share) plus the weights. */
export interface NativeModelSpec extends ModelSpec {
  /** safetensors paths; a sharded model gives several. */
  files: string[];
  /**
   * Precision the frozen weights (linear layers, embeddings, LM head) are kept in. Default 'file':
   * as each tensor is stored (f16/bf16 files stay half size, losslessly). 'f16'/'bf16' on an f32
   * file halve memory and decoding's memory traffic at the cost of rounding the weights once.
   */
  weightDtype?: 'file' | 'f32' | 'f16' | 'bf16';
  /**
   * Where the model runs. 'cpu' (default): the native CPU engine, the reference. 'cuda': the CUDA
   * backend (libstudio_cuda.so, loaded at run time); throws when it cannot be loaded or there is
   * no GPU. 'auto': CUDA when available, else the CPU (info().backend.fallbackReason says why).
   */
  backend?: DeviceChoice;
  /**
   * CUDA only (ignored by the CPU backend, which computes in f32 on the weights as weightDtype
   * keeps them). 'fp32' (default): f32 products, agrees with the CPU to rounding. 'tf32': cuBLAS
   * may use TF32 tensor cores for f32 products (~1e-3 relative). 'bf16': mixed precision like
   * PyTorch's bf16 autocast of the frozen model: the frozen weights (linears, token embedding,
   * untied LM head) are kept on the GPU as bf16 (half the memory) and their products take
   * bf16-rounded activations with f32 accumulation; norms, attention, loss, LoRA factors,
   * gradients and optimizer state stay f32 (~1e-2 relative to an f32 computation).
   */
  precision?: DevicePrecision;
}

/** NativeModelSpec.precision: how the CUDA backend multiplies by the frozen weights. */
export type DevicePrecision = 'fp32' | 'tf32' | 'bf16';

/** The engine.device setting and the CLI's --device. */
export type DeviceChoice = 'auto' | 'cpu' | 'cuda';

/** Where a loaded model runs (NativeModel.info().backend). */
export interface NativeBackendInfo {
  kind: 'cpu' | 'cuda';
  /** CUDA: the device, e.g. "cuda:0 NVIDIA H100 80GB HBM3, sm_90, 79.1 GiB; cublas 13.1" */
  device?: string;
  /** 'auto' that fell back to the CPU: why CUDA was not used */
  fallbackReason?: string;
  /** CUDA: bytes held on the device now */
  deviceBytes?: number;
  /** CUDA: the precision it was created with (NativeModelSpec.precision) */
  precision?: DevicePrecision;
}

/** deviceStatus(): whether the CUDA backend can be used on this machine. */
export interface NativeDeviceStatus {
  available: boolean;
  devices: number;
  /** where the backend library is (or would be) loaded from */
  library?: string;
  /** why it is unavailable */
  reason?: string;
}

export interface LoraOptions {
  /** llama: q, k, v, o, gate, up, down (or q_proj ...); gpt2: c_attn, c_proj (both), attn.c_proj, c_fc, mlp.c_proj */
  targets: string[];
  rank: number;
  alpha: number;
  rslora?: boolean;
  dropout?: number;
  seed?: number;
  /** recompute each layer's activations during backward instead of keeping them (same gradients, less memory); default false */
  gradientCheckpointing?: boolean;
}

export interface TrainBatch {
  /** (batch, seq) input ids */
  tokens: Int32Array;
  /** (batch, seq) next-token ids; a negative id is not trained on */
  targets: Int32Array;
  batch: number;
  seq: number;
  /** (batch, seq) per-token weight, 1 = train on it, 0 = skip (prompt tokens) */
  mask?: Float32Array;
  /** loss = sum of weighted token losses / normalizer; default: the weight sum of this batch */
  normalizer?: number;
  /** false: no LoRA dropout for this call, and the dropout stream does not advance (default true) */
  dropout?: boolean;
  /** gradient checkpointing for this forwardBackward call (default: the adapter's gradientCheckpointing) */
  checkpoint?: boolean;
}

export interface LossResult {
  loss: number;
  /** sum of the token weights counted in this batch */
  weight: number;
}

export interface AdamWOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** global L2 norm to clip to; 0 or absent = no clipping */
  maxGradNorm?: number;
}

export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

export interface OptimizerState {
  step: number;
  dropoutCounter: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export interface NativeModel {
  /** logits (batch, seq, vocab) */
  forward(tokens: Int32Array, batch: number, seq: number): Float32Array;
  info(): {
    arch: Arch;
    vocabSize: number;
    hiddenSize: number;
    numLayers: number;
    loraParameters: number;
    /** 'full' after enableFullTraining, 'lora' after addLora */
    trainingMode?: 'none' | 'lora' | 'full';
    /** values the optimizer updates: LoRA factors, or every weight in full mode */
    trainableParameters?: number;
    gemmKernel: string;
    threads: number;
    weightBytes?: number;
    backend: NativeBackendInfo;
  };
  addLora(options: LoraOptions): void;
  forwardBackward(batch: TrainBatch): LossResult;
  evalLoss(batch: TrainBatch): LossResult;
  optimizerStep(options: AdamWOptions): { gradNorm: number; step: number };
  zeroGrad(): void;
  /**
   * Per sequence of the batch: the gradient of its own loss (no dropout) w.r.t. every LoRA factor,
   * randomly projected to `dim` values with a seeded ±1/sqrt(dim) matrix. (batch, dim).
   * Accumulated gradients are left untouched.
   */
  projectedExampleGrads(options: TrainBatch & { dim: number; seed?: number }): Float32Array;
  /**
   * For one sequence (batch 1): for each position with a target >= 0 (and mask non-zero), the
   * gradient of log p(target | prefix) w.r.t. every LoRA factor, projected like projectedExampleGrads.
   * grads is (positions.length, dim).
   */
  projectedTokenGrads(options: TrainBatch & { dim: number; seed?: number }): { positions: Int32Array; grads: Float32Array };
  /** frees the activation buffers kept between training steps */
  releaseTrainingBuffers(): void;
  /** PEFT names: base_model.model.<module>.lora_A.weight (r,in) / lora_B.weight (out,r) */
  getLoraTensors(): Record<string, NamedTensor>;
  getLoraGrads(): Record<string, NamedTensor>;
  setLoraTensors(tensors: Record<string, Float32Array | NamedTensor>): void;
  /**
   * Keeps an adapter on the model for per-row serving (segmented LoRA; CPU backend): PEFT names
   * as setLoraTensors takes them, any subset of modules. Returns its bank id for Session's
   * `adapters` option. Independent of addLora.
   */
  loraBankAdd(tensors: Record<string, Float32Array | NamedTensor>, options: { rank: number; alpha: number; rslora?: boolean }): number;
  /**
   * loraBankAdd's entry read from a safetensors file straight into the bank (one copy; F16/BF16
   * widened natively, bit for bit as the JS reader does). The tensors' offsets and dtypes come
   * from a validated header (peftBankSources); a short file names the file and the tensor.
   */
  loraBankLoad(path: string, tensors: BankTensorSource[], options: { rank: number; alpha: number; rslora?: boolean }): number;
  /** A copy of the bank's factors for an id, by PEFT name (tests compare the ways of filling it). */
  loraBankTensors(id: number): Record<string, NamedTensor>;
  loraBankRemove(id: number): void;
  /** In full mode the moments are keyed by the model files' tensor names, in the files' layout. */
  getOptimizerState(): OptimizerState;
  setOptimizerState(state: OptimizerState): void;
  /**
   * Full-parameter training: every weight trainable (f32 master weights, the frozen f16/bf16
   * copies widened once), no adapter, CPU only. forwardBackward / optimizerStep / zeroGrad then
   * act on all parameters; weight decay skips norms and biases.
   */
  enableFullTraining(options?: { gradientCheckpointing?: boolean }): void;
  /** every parameter by the model files' tensor names and in their layout (GPT-2 Conv1D (in,out)) */
  getParameters(): Record<string, NamedTensor>;
  getParameterGrads(): Record<string, NamedTensor>;
  setParameters(tensors: Record<string, Float32Array | NamedTensor>): void;
}

export interface NativeSession {
  /**
   * appends (batch, n) tokens; logits of the last position (batch, vocab), or all (batch, n, vocab).
   * `lengths` (batch), first prefill only: row b is left-padded, its real tokens are its last
   * lengths[b]; padding is masked out and each row's positions start at its first real token.
   */
  prefill(tokens: Int32Array, options?: { allLogits?: boolean; lengths?: Int32Array; adapters?: Int32Array }): Float32Array;
  /**
   * appends one token per sequence; logits (batch, vocab). `adapters` (batch): each row's LoRA bank
   * id (Model.loraBankAdd) or -1 for the base: the base GEMMs are shared by all rows, each row's
   * LoRA product is applied per segment of rows with one adapter.
   */
  step(tokens: Int32Array, options?: { adapters?: Int32Array }): Float32Array;
  reset(): void;
  readonly position: number;
}

export interface GemmOptions {
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
  alpha?: number;
  beta?: number;
  /** op(A) is (M,K): A is stored (M,K), or (K,M) when transA */
  A: Float32Array;
  B: Float32Array;
  C?: Float32Array;
  kernel?: 'auto' | 'reference' | 'scalar' | 'avx2' | 'avx512';
  /** B as a frozen model weight kept in this precision (rounded to it), as Model stores weights */
  bDtype?: 'f32' | 'f16' | 'bf16';
}

export interface SafetensorsContents {
  tensors: Record<string, { dtype: 'F32' | 'F16' | 'BF16'; shape: number[]; data: Float32Array }>;
  metadata: Record<string, string>;
}

export interface NativeEngine {
  loadSafetensors(path: string): SafetensorsContents;
  readSafetensorsHeader(path: string): {
    tensors: { name: string; dtype: string; shape: number[]; dataOffsets: [number, number] }[];
    metadata: Record<string, string>;
    dataStart: number;
  };
  gemm(options: GemmOptions): Float32Array;
  /** the projection projectedExampleGrads uses, applied to any vector (the concatenated LoRA gradient in getLoraGrads order) */
  projectVector(v: Float32Array, dim: number, seed?: number): Float32Array;
  /**
   * The whole file as an ArrayBuffer backed by a memory mapping (zero-copy; unmapped when the
   * buffer is collected). Read-only unless writable. Runtimes that refuse external buffers get a
   * copy (read-only only). Windows: not supported yet (throws).
   */
  mapFile(path: string, options?: { writable?: boolean }): ArrayBuffer;
  /** Scores Σ_j M[r,j]·query[j] of each row of the (rows, k) matrix at byteOffset in buffer (double accumulation). */
  gradientDot(buffer: ArrayBuffer, byteOffset: number, rows: number, k: number, dtype: 'f32' | 'f16', query: Float32Array): Float32Array;
  /**
   * The suffix array of text (symbols in [0, alphabet)) by SA-IS: suffix starts in lexicographic
   * order, a suffix that is a prefix of another first.
   */
  suffixArray(text: Int32Array, alphabet: number): Int32Array;
  /**
   * The infini-gram suffix table of a token file's bytes (tokens of `width` bytes, little-endian):
   * each suffix's byte offset, `ptrSize` bytes little-endian, in memcmp order of the suffixes.
   * `threads` (default 2) share the alphabet mapping and the table encoding.
   */
  tokenSuffixTable(tokens: Uint8Array, width: 2 | 4, ptrSize: number, threads?: number): Uint8Array;
  /** f32 -> IEEE binary16 bits, round to nearest even */
  toF16(values: Float32Array): Uint16Array;
  /** n binary16 values at byteOffset in buffer, widened exactly to f32 */
  fromF16(buffer: ArrayBuffer, byteOffset: number, n: number): Float32Array;
  /** seconds per call (best of iters) of sgemm on buffers allocated natively */
  benchGemm(options: { transA: boolean; transB: boolean; M: number; N: number; K: number; iters?: number; bDtype?: 'f32' | 'f16' | 'bf16' }): number;
  gemmKernels(): string[];
  gemmKernel(): string;
  setThreads(n: number): void;
  getThreads(): number;
  peakGflops(threads?: number, seconds?: number): number;
  /**
   * The thread pool's counters since the last resetPoolStats(): parallel regions run, their
   * tasks, how many of those a worker thread ran (the rest ran on the calling thread), and the
   * milliseconds callers waited for workers after finishing their own share. For profiling.
   */
  poolStats(): { regions: number; tasks: number; workerTasks: number; callerWaitMs: number };
  resetPoolStats(): void;
  /**
   * true: a parallel region also waits until every worker thread has looked at it (the pool's
   * behaviour before 2026-12-05), the reference benches compare against; false (default): only
   * for its tasks. Same results either way. Not while an engine call runs.
   */
  setPoolWaitsForWorkers(wait: boolean): void;
  /**
   * true (default): weight matrices of 2 MiB or more built afterwards are mapped 2 MiB-aligned and
   * advised MADV_HUGEPAGE (Linux), fewer TLB misses while decoding streams them; false: 4 KiB
   * pages, the reference benches compare against. Same results either way. Not while a model loads.
   */
  setWeightHugePages(on: boolean): void;
  /**
   * Whether the CUDA backend is usable: loads libstudio_cuda.so ($STUDIO_CUDA_LIBRARY, else next
   * to the addon) on first use and counts devices; creates no model.
   */
  deviceStatus(): NativeDeviceStatus;
  /**
   * Engine calls made on this thread from now on stop between transformer layers with an Error
   * whose code is 'ENGINE_CANCELLED' once flag[0] is non-zero (another thread sets it: the job
   * runner on cancel). flag must be an Int32Array over a SharedArrayBuffer; null stops watching.
   */
  setCancelSignal(flag: Int32Array | null): void;
  /**
   * A batch of datanet records' MinHash signatures (128 slots each, of the normalised texts, as
   * main/datanets/minhashSignature.ts) and keccak256 hashes (32 bytes each, of the UTF-8 of the
   * canonical content JSON), computed on the engine's thread pool. main/datanets/recordHashes.ts.
   */
  /** kernel: the MinHash slot loop to use (default auto, the widest the CPU has; each gives the same signatures). */
  datanetHashes(normalized: string[], canonical: string[], kernel?: 'auto' | 'scalar' | 'avx2' | 'avx512'): { minhash: Uint32Array; keccak: Uint8Array };
  /** The word lists datanetTextSignals reads (stop words with their language indices, English stop words, BIP-39), held by the handle. */
  datanetTextTables(stopWords: [string, number[]][], english: string[], bip39: string[]): object;
  /**
   * A batch of datanet texts' heuristic counts and PII candidate bits in one pass, on the engine's
   * pool: 13 int32 per text in the order of main/datanets/nativeTextSignals.ts (the first 0 when
   * the text is not ASCII and the caller must use the reference).
   */
  datanetTextSignals(texts: string[], tables: object): Int32Array;
  /**
   * A datanet version's Merkle tree as @openzeppelin's StandardMerkleTree over ["address",
   * "bytes32"] builds it, from leaves streamed in batches (main/datanets/versionMerkle.ts):
   * datanetMerkleAdd takes 52-byte pairs (20-byte address, 32-byte record hash) in value order;
   * datanetMerkleFinish returns the root and, for value index `prove` (-1: none), its proof
   * (32 bytes a sibling, leaf to root). The builder is spent by finish.
   */
  datanetMerkleBegin(expectedLeaves: number): object;
  datanetMerkleAdd(builder: object, pairs: Uint8Array): void;
  datanetMerkleFinish(builder: object, prove: number): { root: Uint8Array; proof: Uint8Array };
  /** Snappy of one Parquet page, the same bytes as hyparquet-writer's JS compressor (main/datanets/writeSnapshotFiles.ts). */
  parquetSnappy(input: Uint8Array): Uint8Array;
  /**
   * What an import stages of each record of a batch, in one pass per record on the engine's pool
   * (main/datanets/stageSignals.ts): keccak256 of the canonical content's UTF-8 (32 bytes each),
   * and for an ASCII text the first 16 bytes of the SHA-256 of its normalised form, its MinHash
   * (128 slots) and its 13 text figures as datanetTextSignals; a non-ASCII text's figures start
   * with 0 and its other fields are left 0 (the caller computes them). sha256Kernel: the SHA-256
   * block function (default auto: SHA-NI where the CPU has it; each gives the same digest).
   */
  datanetStageSignals(
    texts: string[],
    canonical: string[],
    tables: object,
    sha256Kernel?: 'auto' | 'scalar' | 'shani',
  ): { keccak: Uint8Array; normHash: Uint8Array; minhash: Uint32Array; figures: Int32Array };
  Model: new (spec: NativeModelSpec) => NativeModel;
  Session: new (model: NativeModel, options: { batch: number; capacity?: number }) => NativeSession;
}

let cached: NativeEngine | undefined;

const ADDON = path.join('native', 'build', 'Release', 'engine.node');

/**
 * Where the addon is looked for: $STUDIO_ENGINE_NATIVE, then native/build/Release/engine.node in
 * the nearest folder above this module that has one. Walking up (rather than a fixed "../../..")
 * is what lets the same code find it from the sources (main/engine/native/) and from the esbuild
 * bundles (dist/node/), which sit at different depths below the project root.
 */
export function nativeEnginePath(): string {
  const fromEnv = process.env['STUDIO_ENGINE_NATIVE'];
  if (fromEnv) return fromEnv;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; ) {
    const candidate = path.join(dir, ADDON);
    if (existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // Not built anywhere: name where the sources' build would put it.
  return path.resolve(here, '../../..', ADDON);
}

export function loadNativeEngine(): NativeEngine {
  if (cached) return cached;
  const file = nativeEnginePath();
  if (!existsSync(file)) {
    throw new Error(`native engine not built: ${file} is missing (run: npx node-gyp rebuild -C native)`);
  }
  const require = createRequire(import.meta.url);
  cached = require(file) as NativeEngine;
  return cached;
}

/**
 * The engine when it is built and has `fn`, else null: an addon built before `fn` existed still
 * loads without it, and the caller then uses its TypeScript reference.
 */
export function loadNativeEngineWith(fn: keyof NativeEngine): NativeEngine | null {
  try {
    const engine = loadNativeEngine();
    return typeof engine[fn] === 'function' ? engine : null;
  } catch {
    return null;
  }
}
