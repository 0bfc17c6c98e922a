// Row-wise kernels of the transformer with their backward passes. N is the number of rows
// (tokens, B*T), C the row width. Rows are independent, so every function parallelises over rows
// and stays deterministic. The *Backward functions give input gradients only; normParamBackward
// gives the norm weights' own gradients (full-parameter training), parallel over columns.
#pragma once
#include <cstdint>

namespace engine {

// LayerNorm: out(N,C) = (x - mean) * rstd * w + b. Saves mean and rstd (N) when given.
void layerNormForward(const float* x, const float* w, const float* b, float eps, int N, int C, float* out, float* mean, float* rstd);
// dx(N,C) += dLayerNorm/dx · dout, given the saved mean/rstd.
void layerNormBackward(const float* x, const float* w, const float* mean, const float* rstd, const float* dout, int N, int C, float* dx);

// Parameter gradients of a norm (full-parameter training): dw[c] += Σ_r dout[r,c]·xhat[r,c] and
// db[c] += Σ_r dout[r,c] (db may be null), xhat = (x - mean)·rstd (mean null: RMSNorm, x·rstd).
// Each column sums its rows in row order, whatever the thread count.
void normParamBackward(const float* x, const float* mean, const float* rstd, const float* dout, int N, int C, float* dw, float* db);
// db[j] += Σ_r dy[r·ldy + j] (j < n), rows in order.
void columnSumAdd(const float* dy, int N, int n, int ldy, float* db);

// RMSNorm: out = x * rsqrt(mean(x²) + eps) * w.
void rmsNormForward(const float* x, const float* w, float eps, int N, int C, float* out, float* rstd);
void rmsNormBackward(const float* x, const float* w, const float* rstd, const float* dout, int N, int C, float* dx);

// gelu_new (tanh approximation), elementwise over n values; backward multiplies dout by gelu'(x).
void geluForward(const float* x, int64_t n, float* out);
void geluBackward(const float* x, const float* dout, int64_t n, float* dx);

// SwiGLU: act = silu(gate) * up. gate/up rows have stride ld (they sit side by side in one buffer).
void swigluForward(const float* gate, const float* up, int ld, int N, int I, float* act);
void swigluBackward(const float* gate, const float* up, int ld, const float* dact, int N, int I, float* dgate, float* dup, int ldd);

// Rotary embedding (rotate_half convention of Hugging Face) applied in place to `heads` heads of
// dimension D in each row; row r has position pos0 + (r % T). cos/sin tables are (maxPos, D/2).
// pad (B entries, or null): row b's slot p has position p - pad[b] (padding slots clamp to 0).
void ropeApply(float* x, int ld, int N, int T, int pos0, int heads, int D, const float* cosT, const float* sinT, bool inverse, const int* pad = nullptr);

// Cross-entropy over logits (N,V) with targets (N) (negative = ignored) and per-row weights.
// Returns the sum of weighted losses (double, summed in row order); when dlogits is given it
// receives weight * (softmax - onehot) * gradScale, in place of the logits allowed (may alias).
double crossEntropy(float* logits, int N, int V, const int32_t* targets, const float* weights, float gradScale, bool writeGrad, double* rowLoss);

}  // namespace engine
