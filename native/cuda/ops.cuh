// Device versions of the CPU engine's row-wise kernels (src/ops.h) and the other pieces a decoder
// layer needs on the GPU. Every pointer is device memory; every function enqueues on `s` and
// returns without synchronising. Semantics, shapes and argument order follow src/ops.h and
// src/layer_ops.cpp exactly, so the device model (cuda_model.cu) reads like the CPU model and
// test/ops_test.cpp compares each function with its CPU counterpart.
#pragma once
#include <cuda_runtime.h>

#include <cstdint>

#include "bf16.cuh"

namespace engine {
namespace cuda {

// --- norms (ops.h) ------------------------------------------------------------------------------
// out(N,C) = (x - mean) * rstd * w + b (b may be null). mean/rstd (N) saved when non-null.
void layerNormForward(const float* x, const float* w, const float* b, float eps, int N, int C, float* out, float* mean, float* rstd, cudaStream_t s);
// dx(N,C) += dLayerNorm/dx · dout (accumulates, as the CPU version does).
void layerNormBackward(const float* x, const float* w, const float* mean, const float* rstd, const float* dout, int N, int C, float* dx, cudaStream_t s);
// out = x * rsqrt(mean(x²) + eps) * w; rstd (N) saved when non-null.
void rmsNormForward(const float* x, const float* w, float eps, int N, int C, float* out, float* rstd, cudaStream_t s);
// dx += dRMSNorm/dx · dout.
void rmsNormBackward(const float* x, const float* w, const float* rstd, const float* dout, int N, int C, float* dx, cudaStream_t s);

// --- activations (ops.h) -------------------------------------------------------------------------
void geluForward(const float* x, int64_t n, float* out, cudaStream_t s);
// dx = dout * gelu'(x) (overwrites dx).
void geluBackward(const float* x, const float* dout, int64_t n, float* dx, cudaStream_t s);
// act(N,I) = silu(gate) * up; gate/up rows have stride ld.
void swigluForward(const float* gate, const float* up, int ld, int N, int I, float* act, cudaStream_t s);
// dgate/dup (row stride ldd) from dact (N,I) (overwrites).
void swigluBackward(const float* gate, const float* up, int ld, const float* dact, int N, int I, float* dgate, float* dup, int ldd, cudaStream_t s);

// --- positions -----------------------------------------------------------------------------------
// RoPE in place, as ops.h ropeApply (rotate_half; pad: device (B) or null; cos/sin (maxPos, D/2)).
void ropeApply(float* x, int ld, int N, int T, int pos0, int heads, int D, const float* cosT, const float* sinT, bool inverse, const int* pad, cudaStream_t s);
// x(N,C) = wte[tokens[r]] (+ wpe[pos] when wpe is non-null, GPT-2), pos = pos0 + r%T - pad[r/T],
// clamped to 0. wte/wpe are row-major f32 (V,C) / (P,C). tokens, pad: device.
void embed(const float* wte, const float* wpe, const int32_t* tokens, int N, int T, int C, int pos0, const int* pad, float* x, cudaStream_t s);
// The same with bf16 token embeddings (bf16 mode): each row widened exactly, then as above.
void embed(const bf16_t* wte, const float* wpe, const int32_t* tokens, int N, int T, int C, int pos0, const int* pad, float* x, cudaStream_t s);

// --- precision -----------------------------------------------------------------------------------
// out (rows, cols, dense) = x (rows, cols, row stride ldx) rounded to bf16 as precision.h
// floatToBf16 does (nearest even, bit for bit): the activation operand of a bf16 product.
void roundToBf16(const float* x, int ldx, int rows, int cols, bf16_t* out, cudaStream_t s);

// --- elementwise ---------------------------------------------------------------------------------
// y(N, out) (row stride ldy) += bias (out) on every row.
void addBias(float* y, int ldy, const float* bias, int N, int out, cudaStream_t s);
// y += alpha * x (n values).
void axpy(float* y, const float* x, int64_t n, float alpha, cudaStream_t s);
// y = a * b, or y += a * b when accumulate (n values).
void mul(float* y, const float* a, const float* b, int64_t n, bool accumulate, cudaStream_t s);
// Inverted dropout exactly as layer_ops.cpp draws it: fac[i] = 0 when
// uniform01(mix64(key ^ i * 0x9E3779B97F4A7C15)) < p, else 1/(1-p); xd[i] = x[i] * fac[i].
// Same bits as the CPU (integer hashing, one float compare).
void dropout(const float* x, int64_t n, float p, uint64_t key, float* fac, float* xd, cudaStream_t s);
// Copies rows: dst row r (stride ldd) = src row map[r] (stride lds), C values each, R rows.
// map: device (R) row indices.
void gatherRows(const float* src, int lds, const int32_t* map, int R, int C, float* dst, int ldd, cudaStream_t s);

// --- KV cache ------------------------------------------------------------------------------------
// Appends keys/values of qkv (N = B*T rows, stride W; k at column HD + kh*D, v at HD + KV*D + kh*D)
// at slots [pos0, pos0+T) of Kc/Vc (B,KV,cap,D).
void kvAppend(const float* qkv, int W, int HD, int KV, int D, int B, int T, int pos0, int cap, float* Kc, float* Vc, cudaStream_t s);
// The reverse for gradients: dK/dV (B,KV,T,D) written into dqkv's k and v columns (stride W).
void kvScatterGrad(const float* dK, const float* dV, int W, int HD, int KV, int D, int B, int T, float* dqkv, cudaStream_t s);

// --- attention (layer_ops.h) ---------------------------------------------------------------------
// Two forms. Decoding (one new query per sequence; memory-bound on the KV cache) uses
// attentionForward, a fused kernel. Prefill and training (cuda_model.cu) compute attention as
// layer_ops.cpp does: S = scale·Q·Kᵀ per (sequence, head) with Blas::gemmBatched into the
// probabilities (B,H,T,Tk), causalSoftmax, y = P·V; backward dP = dO·Vᵀ, softmaxBackward, then
// dQ, dK, dV as products.
//
// Masking, the same in both forms (layer_ops.cpp attentionForward): query t of sequence b (slot
// pos0 + t) attends to keys [pad[b], pos0 + t]; a padding query (pos0 + t < pad[b]) attends only
// to itself (its probabilities are one-hot at its own slot, its output its own value). pad:
// device (B) or null (no padding).
//
// Causal attention of T new queries per sequence against keys [0, pos0+T) of K/V (B,KV,cap,D),
// scale 1/sqrt(D), heads h use kv head h/(H/KV). q rows stride ldq (head h at column h*D);
// y (N, H*D). One block per (sequence, head, query), online softmax over the keys.
void attentionForward(const float* q, int ldq, const float* K, const float* V, int cap, int B, int H, int KV, int D, int T, int pos0,
                      float* y, const int* pad, cudaStream_t s);
// In place on P (B,H,T,Tk), Tk = pos0 + T, holding the scaled scores: each row becomes the
// softmax over its query's keys, every masked entry exactly 0.
void causalSoftmax(float* P, int B, int H, int T, int pos0, const int* pad, cudaStream_t s);
// Softmax backward, in place on dP (B,H,T,Tk) given the probabilities P of causalSoftmax (same
// B, H, T, pos0, pad): dS = P ⊙ (dP - Σ_j P·dP) over each row's keys, masked entries exactly 0.
void softmaxBackward(const float* P, float* dP, int B, int H, int T, int pos0, const int* pad, cudaStream_t s);

// --- loss ----------------------------------------------------------------------------------------
// Cross-entropy as ops.h crossEntropy: rowLoss (N, device doubles) = w·(logsumexp - logit[t]),
// 0 for ignored rows (target < 0 or weight 0); with writeGrad, logits become
// w·gradScale·(softmax - onehot) (rows ignored: 0). weights: device (N) or null. The caller sums
// rowLoss in row order on the host (deterministic).
void crossEntropy(float* logits, int N, int V, const int32_t* targets, const float* weights, float gradScale, bool writeGrad, double* rowLoss, cudaStream_t s);

// --- optimizer (adamw.h) -------------------------------------------------------------------------
// out[0] (device double) += Σ g[i]² (fixed-order reduction: same bits every run). scratch: device
// space for kSumSquaresScratch doubles (the first stage's partial sums), owned by the caller so no
// allocation happens per call (stream-ordered allocation is not available on every setup).
constexpr int kSumSquaresScratch = 256;
void addSumSquares(const float* g, int64_t n, double* out, double* scratch, cudaStream_t s);
// One AdamW update of n values with the CPU's float arithmetic (adamw.cpp): g' = g*clip,
// m = b1 m + (1-b1) g', v = b2 v + (1-b2) g'², p *= decay, p -= stepSize·m/(sqrt(v)/bc2Sqrt + eps).
void adamwUpdate(float* p, const float* g, float* m, float* v, int64_t n, float clip, float beta1, float beta2, float eps, float stepSize,
                 float bc2Sqrt, float decay, cudaStream_t s);

}  // namespace cuda
}  // namespace engine
