// JS bindings of the GEMM kernels and the thread pool: gemm, benchGemm, gemmKernels, gemmKernel,
// setThreads, getThreads, peakGflops.
#pragma once
#include <napi.h>

namespace engine {
namespace js {
void registerGemmBindings(Napi::Env env, Napi::Object exports);
}
}  // namespace engine
