// Kernel launches and error checks shared by every CUDA source of the backend.
//
// The same .cu files compile two ways:
//   - with nvcc, for the GPU (libstudio_cuda.so, tools/cuda-build.sh);
//   - with g++ as plain C++ against the host emulator in emu/ (STUDIO_CUDA_EMULATED), so the
//     kernels' indexing, shared-memory reductions and barriers run in CI on machines without a
//     GPU, under AddressSanitizer, and are compared with the CPU engine (tools/cuda-test.sh).
// That is why kernels are launched through STUDIO_LAUNCH instead of <<<...>>> (not C++ syntax),
// use only static __shared__ arrays (no dynamic shared memory), and why the backend reaches
// cuBLAS only through blas.cuh.
//
//   STUDIO_LAUNCH(kernel, grid, block, stream)(args...);
#pragma once
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#ifdef STUDIO_CUDA_EMULATED
#define STUDIO_LAUNCH(kernel, grid, block, stream) ::emu::launch(kernel, #kernel, dim3(grid), dim3(block), stream)
#else
#define STUDIO_LAUNCH(kernel, grid, block, stream) kernel<<<dim3(grid), dim3(block), 0, stream>>>
#endif

namespace engine {
namespace cuda {

// Throws std::runtime_error naming the call site when a CUDA runtime call failed.
inline void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw std::runtime_error(std::string("CUDA: ") + what + ": " + cudaGetErrorString(e));
}
// After a launch: configuration errors surface here (execution errors at the next sync).
inline void checkLaunch(const char* kernel) { check(cudaGetLastError(), kernel); }

inline int ceilDiv(long long a, long long b) { return int((a + b - 1) / b); }

}  // namespace cuda
}  // namespace engine
