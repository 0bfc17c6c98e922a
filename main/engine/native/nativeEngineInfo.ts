// What the loaded addon says about the machine it computes on, for the status bar and the
// benchmarks: the GEMM micro-kernel picked at run time (its SIMD level) and the thread count.
// This describes the CPU engine; whether the CUDA backend is usable is `engine.deviceStatus()`,
// and where a model runs is its `info().backend`.
import type { NativeEngine } from './index';

export interface NativeEngineInfo {
  backend: 'cpu';
  /** The kernel in use: 'avx512' | 'avx2' | 'scalar'. */
  kernel: string;
  /** Every kernel this CPU can run. */
  kernels: string[];
  /** People's name for the kernel's instruction set. */
  simd: string;
  threads: number;
}

const SIMD_NAMES: Record<string, string> = { avx512: 'AVX-512', avx2: 'AVX2', scalar: 'scalar' };

export function nativeEngineInfo(engine: NativeEngine): NativeEngineInfo {
  const kernel = engine.gemmKernel();
  return { backend: 'cpu', kernel, kernels: engine.gemmKernels(), simd: SIMD_NAMES[kernel] ?? kernel, threads: engine.getThreads() };
}
