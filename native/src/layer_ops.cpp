#include "layer_ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "gemm.h"
#include "ops.h"
#include "threadpool.h"

namespace engine {
namespace detail {

void check(bool ok, const std::string& msg) {
  if (!ok) throw std::runtime_error(msg);
}

int qkvWidth(const ModelSpec& s) { return (s.numHeads + 2 * s.numKvHeads) * s.headDim; }

// y(N,out) (row stride ldy) = x(N,in)·Wᵀ + b + scale·(drop(x)·Aᵀ)·Bᵀ.
// When training with LoRA, u and the dropout factors are saved for backward.
void linearForward(const Linear& L, const float* x, int N, float* y, int ldy, bool train, float dropout,
                   uint64_t dropKey, std::vector<float>* saveU, std::vector<float>* saveDrop) {
  sgemmW(false, true, N, L.out, L.in, 1.f, x, L.in, L.W, 0.f, y, ldy);
  if (!L.bias.empty())
    parallelFor(N, 64, [&](int64_t a, int64_t b) {
      for (int64_t r = a; r < b; ++r)
        for (int j = 0; j < L.out; ++j) y[r * ldy + j] += L.bias[j];
    });
  if (L.segments) return applyLoraSegments(*L.segments, x, L.in, L.out, y, ldy);
  if (!L.lora) return;
  const LoraWeights& lw = *L.lora;
  const int r = lw.rank;
  const float* xin = x;
  std::vector<float> xd;
  if (train && dropout > 0.f) {
    // Inverted dropout on the LoRA branch's input, as PEFT's lora_dropout does.
    std::vector<float> fac(size_t(N) * L.in);
    const float keep = 1.f / (1.f - dropout);
    xd.resize(fac.size());
    parallelFor(int64_t(fac.size()), 1 << 14, [&](int64_t a, int64_t b) {
      for (int64_t i = a; i < b; ++i) {
        fac[i] = uniform01(mix64(dropKey ^ uint64_t(i) * 0x9E3779B97F4A7C15ull)) < dropout ? 0.f : keep;
        xd[i] = x[i] * fac[i];
      }
    });
    xin = xd.data();
    if (saveDrop) *saveDrop = std::move(fac);
  }
  std::vector<float> u(size_t(N) * r);
  sgemm(false, true, N, r, L.in, 1.f, xin, L.in, lw.A.data(), L.in, 0.f, u.data(), r);
  sgemm(false, true, N, L.out, r, lw.scale, u.data(), r, lw.B.data(), r, 1.f, y, ldy);
  if (saveU) *saveU = std::move(u);
}

// Given dy (N,out, stride ldy): dx(N,in) (+)= dy·W, and LoRA gradients dA, dB accumulate (or,
// in full-parameter training, the weight and bias gradients).
void linearBackward(Linear& L, const float* x, int N, const float* dy, int ldy, float* dx, bool accumulate,
                    const std::vector<float>* u, const std::vector<float>* drop) {
  sgemmW(false, false, N, L.in, L.out, 1.f, dy, ldy, L.W, accumulate ? 1.f : 0.f, dx, L.in);
  if (!L.dWt.empty()) {
    // Full-parameter training: dWᵀ(in,out) += x(N,in)ᵀ · dy(N,out), one GEMM through the same
    // kernels; the bias gradient sums dy's columns.
    sgemm(true, false, L.in, L.out, N, 1.f, x, L.in, dy, ldy, 1.f, L.dWt.data(), L.out);
    if (!L.dBias.empty()) columnSumAdd(dy, N, L.out, ldy, L.dBias.data());
  }
  if (!L.lora) return;
  LoraWeights& lw = *L.lora;
  const int r = lw.rank;
  const float* xin = x;
  std::vector<float> xd;
  const bool dropped = drop && !drop->empty();
  if (dropped) {
    xd.resize(size_t(N) * L.in);
    for (size_t i = 0; i < xd.size(); ++i) xd[i] = x[i] * (*drop)[i];
    xin = xd.data();
  }
  // dB(out,r) += scale · dyᵀ(out,N) · u(N,r)
  sgemm(true, false, L.out, r, N, lw.scale, dy, ldy, u->data(), r, 1.f, lw.dB.data(), r);
  // du(N,r) = scale · dy(N,out) · B(out,r)
  std::vector<float> du(size_t(N) * r);
  sgemm(false, false, N, r, L.out, lw.scale, dy, ldy, lw.B.data(), r, 0.f, du.data(), r);
  // dA(r,in) += duᵀ(r,N) · drop(x)(N,in)
  sgemm(true, false, r, L.in, N, 1.f, du.data(), r, xin, L.in, 1.f, lw.dA.data(), L.in);
  // dx += (du·A) ⊙ dropout factors
  if (!dropped) {
    sgemm(false, false, N, L.in, r, 1.f, du.data(), r, lw.A.data(), L.in, 1.f, dx, L.in);
  } else {
    std::vector<float> t(size_t(N) * L.in);
    sgemm(false, false, N, L.in, r, 1.f, du.data(), r, lw.A.data(), L.in, 0.f, t.data(), L.in);
    for (size_t i = 0; i < t.size(); ++i) dx[i] += t[i] * (*drop)[i];
  }
}

// Causal attention of T new queries per sequence against the cache's first pos0+T keys.
// q rows have stride ldq (head h at column h*D); K/V are (B,KV,cap,D); y is (N,H*D).
// P, when given, receives the probabilities (B,H,T,Tk).
// With pad, row b's products skip its first off = pad[b] keys entirely (scores and the P·V sum
// start at key off), so a padded row does the same arithmetic in the same order as the row alone.
void attentionForward(const ModelSpec& s, const float* q, int ldq, const float* K, const float* Vv, int cap,
                      int B, int T, int pos0, float* y, float* P, const int* pad) {
  const int H = s.numHeads, KV = s.numKvHeads, D = s.headDim, HD = H * D, G = H / KV;
  const int Tk = pos0 + T;
  const float scale = 1.f / std::sqrt(float(D));
  pool().run(int64_t(B) * H, [&](int64_t task, int) {
    int b = int(task / H), h = int(task % H), kvh = h / G;
    thread_local std::vector<float> local;
    float* S = P ? P + (size_t(b) * H + h) * T * Tk : (local.resize(size_t(T) * Tk), local.data());
    const float* Q = q + size_t(b) * T * ldq + size_t(h) * D;
    const float* Kb = K + (size_t(b) * KV + kvh) * cap * D;
    const float* Vb = Vv + (size_t(b) * KV + kvh) * cap * D;
    const int off = pad ? pad[b] : 0;  // first key a real query of this row may attend to
    // Queries [0, t0) are padding: each attends only to itself, so its output is its own value.
    const int t0 = std::max(0, std::min(T, off - pos0));
    float* Y = y + size_t(b) * T * HD + size_t(h) * D;
    for (int t = 0; t < t0; ++t) {
      float* row = S + size_t(t) * Tk;
      std::fill(row, row + Tk, 0.f);
      row[pos0 + t] = 1.f;
      std::memcpy(Y + size_t(t) * HD, Vb + size_t(pos0 + t) * D, sizeof(float) * D);
    }
    if (t0 == T) return;
    // Real queries [t0, T) against keys [off, Tk): the same products, in the same order, as the
    // row computed alone without its padding.
    const int Tq = T - t0, Tkr = Tk - off;
    float* S0 = S + size_t(t0) * Tk;
    sgemm(false, true, Tq, Tkr, D, scale, Q + size_t(t0) * ldq, ldq, Kb + size_t(off) * D, D, 0.f, S0 + off, Tk);
    for (int t = t0; t < T; ++t) {
      float* row = S + size_t(t) * Tk;
      int valid = pos0 + t + 1;
      for (int j = 0; j < off; ++j) row[j] = 0.f;
      float mx = row[off];
      for (int j = off + 1; j < valid; ++j) mx = row[j] > mx ? row[j] : mx;
      float sum = 0.f;
      for (int j = off; j < valid; ++j) { row[j] = std::exp(row[j] - mx); sum += row[j]; }  // T small: libm is fine
      float inv = 1.f / sum;
      for (int j = off; j < valid; ++j) row[j] *= inv;
      for (int j = valid; j < Tk; ++j) row[j] = 0.f;
    }
    sgemm(false, false, Tq, D, Tkr, 1.f, S0 + off, Tk, Vb + size_t(off) * D, D, 0.f, Y + size_t(t0) * HD, HD);
  });
}

// Backward of attentionForward with pos0 = 0 (training). dy (N,HD); writes dq into dqkv's q
// columns (stride ldq) and dk/dv (B,KV,T,D) (zeroed here). Tasks are (b, kv head) so the heads
// sharing a kv head add into dk/dv in a fixed order.
void attentionBackward(const ModelSpec& s, const LayerActs& a, int ldq, int B, int T, const float* dy,
                       float* dqkv, std::vector<float>& dK, std::vector<float>& dV) {
  const int H = s.numHeads, KV = s.numKvHeads, D = s.headDim, HD = H * D, G = H / KV;
  const float scale = 1.f / std::sqrt(float(D));
  dK.assign(size_t(B) * KV * T * D, 0.f);
  dV.assign(dK.size(), 0.f);
  pool().run(int64_t(B) * KV, [&](int64_t task, int) {
    int b = int(task / KV), kvh = int(task % KV);
    thread_local std::vector<float> dP;  // reused across tasks and calls on this thread
    dP.resize(size_t(T) * T);
    const float* Kb = a.kc.data() + (size_t(b) * KV + kvh) * T * D;
    const float* Vb = a.vc.data() + (size_t(b) * KV + kvh) * T * D;
    float* dKb = dK.data() + (size_t(b) * KV + kvh) * T * D;
    float* dVb = dV.data() + (size_t(b) * KV + kvh) * T * D;
    for (int h = kvh * G; h < (kvh + 1) * G; ++h) {
      const float* P = a.P.data() + (size_t(b) * H + h) * T * T;
      const float* dO = dy + size_t(b) * T * HD + size_t(h) * D;
      const float* Q = a.qkv.data() + size_t(b) * T * ldq + size_t(h) * D;
      float* dQ = dqkv + size_t(b) * T * ldq + size_t(h) * D;
      sgemm(false, true, T, T, D, 1.f, dO, HD, Vb, D, 0.f, dP.data(), T);  // dP = dO·Vᵀ
      for (int t = 0; t < T; ++t) {  // softmax backward: dS = P ⊙ (dP - Σ P·dP)
        const float* pr = P + size_t(t) * T;
        float* dr = dP.data() + size_t(t) * T;
        float dot = 0.f;
        for (int j = 0; j <= t; ++j) dot += pr[j] * dr[j];
        for (int j = 0; j <= t; ++j) dr[j] = pr[j] * (dr[j] - dot);
        for (int j = t + 1; j < T; ++j) dr[j] = 0.f;
      }
      sgemm(false, false, T, D, T, scale, dP.data(), T, Kb, D, 0.f, dQ, ldq);  // dQ = scale·dS·K
      sgemm(true, false, T, D, T, scale, dP.data(), T, Q, ldq, 1.f, dKb, D);  // dK += scale·dSᵀ·Q
      sgemm(true, false, T, D, T, 1.f, P, T, dO, HD, 1.f, dVb, D);            // dV += Pᵀ·dO
    }
  });
}

}  // namespace detail
}  // namespace engine
