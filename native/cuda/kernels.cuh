// Row-wise CUDA kernels mirroring src/ops.h (same math, same shapes), each with a CPU reference:
//   layerNormForward: out(N,C) = (x - mean) * rstd * w + b; one warp per row, two passes.
//   geluForward:      gelu_new, elementwise (memory-bound: 8 bytes per element moved).
//   crossEntropyGrad: per row logsumexp and dlogits = (softmax - onehot) * scale; one block per row.
#pragma once
#include <cuda_runtime.h>
#include <cstdint>

namespace engine {
namespace cuda {

void layerNormForward(const float* x, const float* w, const float* b, float eps, int N, int C, float* out, cudaStream_t s);
void geluForward(const float* x, int64_t n, float* out, cudaStream_t s);
// logits (N,V) are replaced by their gradient; loss (N) receives each row's loss (0 when ignored).
void crossEntropyGrad(float* logits, const int32_t* targets, int N, int V, float scale, float* loss, cudaStream_t s);

void cpuLayerNormForward(const float* x, const float* w, const float* b, float eps, int N, int C, float* out);
void cpuGeluForward(const float* x, int64_t n, float* out);
void cpuCrossEntropyGrad(float* logits, const int32_t* targets, int N, int V, float scale, float* loss);

}  // namespace cuda
}  // namespace engine
