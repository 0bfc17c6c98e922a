#include "model.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "gemm.h"
#include "ops.h"
#include "projection.h"
#include "threadpool.h"

namespace engine {

// Saved activations of one layer, enough to run its backward without recomputation.
struct LayerActs {
  std::vector<float> xin;             // (N,C) residual stream entering the layer (norm1 input)
  std::vector<float> n1, n1m, n1r;    // norm1 output (N,C), mean (N), rstd (N)
  std::vector<float> qkv;             // (N, qkvWidth) after RoPE
  std::vector<float> kc, vc;          // (B,KV,T,D) keys/values as the attention read them
  std::vector<float> P;               // (B,H,T,T) attention probabilities
  std::vector<float> y;               // (N,H*D) attention output before o
  std::vector<float> xmid;            // (N,C) residual after attention (norm2 input)
  std::vector<float> n2, n2m, n2r;
  std::vector<float> h;               // (N,I) c_fc output, or (N,2I) gate|up
  std::vector<float> g;               // (N,I) gelu(h) or silu(gate)*up: input of down
  std::vector<std::vector<float>> loraU;     // per linear: (N,r) = drop(x)·Aᵀ
  std::vector<std::vector<float>> loraDrop;  // per linear: (N,in) dropout factors, empty without dropout
};

// Work buffers of one forward pass, shared by its layers: (N, width) each.
struct LayerScratch {
  std::vector<float> n, qkv, y, tmp, h, g, mean, rstd;
  LayerScratch(const ModelSpec& s, int N) {
    const int W = (s.numHeads + 2 * s.numKvHeads) * s.headDim, I = s.intermediateSize;
    n.resize(size_t(N) * s.hiddenSize);
    qkv.resize(size_t(N) * W);
    y.resize(size_t(N) * s.numHeads * s.headDim);
    tmp.resize(size_t(N) * s.hiddenSize);
    h.resize(size_t(N) * (s.arch == Arch::Gpt2 ? I : 2 * I));
    g.resize(size_t(N) * I);
    mean.resize(size_t(N));
    rstd.resize(size_t(N));
  }
};

std::vector<Linear*> Layer::linears() {
  std::vector<Linear*> v;
  for (auto& l : qkv) v.push_back(&l);
  v.push_back(&o);
  for (auto& l : mlpIn) v.push_back(&l);
  v.push_back(&down);
  return v;
}

namespace {

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

// Given dy (N,out, stride ldy): dx(N,in) (+)= dy·W, and LoRA gradients dA, dB accumulate.
void linearBackward(Linear& L, const float* x, int N, const float* dy, int ldy, float* dx, bool accumulate,
                    const std::vector<float>* u, const std::vector<float>* drop) {
  sgemmW(false, false, N, L.in, L.out, 1.f, dy, ldy, L.W, accumulate ? 1.f : 0.f, dx, L.in);
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
void attentionForward(const ModelSpec& s, const float* q, int ldq, const float* K, const float* Vv, int cap,
                      int B, int T, int pos0, float* y, float* P) {
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
    sgemm(false, true, T, Tk, D, scale, Q, ldq, Kb, D, 0.f, S, Tk);
    for (int t = 0; t < T; ++t) {
      float* row = S + size_t(t) * Tk;
      int valid = pos0 + t + 1;
      float mx = row[0];
      for (int j = 1; j < valid; ++j) mx = row[j] > mx ? row[j] : mx;
      float sum = 0.f;
      for (int j = 0; j < valid; ++j) { row[j] = std::exp(row[j] - mx); sum += row[j]; }  // T small: libm is fine
      float inv = 1.f / sum;
      for (int j = 0; j < valid; ++j) row[j] *= inv;
      for (int j = valid; j < Tk; ++j) row[j] = 0.f;
    }
    sgemm(false, false, T, D, Tk, 1.f, S, Tk, Vb, D, 0.f, y + size_t(b) * T * HD + size_t(h) * D, HD);
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

}  // namespace

Model::Model(const ModelSpec& spec, std::map<std::string, Tensor>&& tensors) : spec_(spec) {
  const ModelSpec& s = spec_;
  check(s.vocabSize > 0 && s.hiddenSize > 0 && s.numLayers > 0 && s.numHeads > 0 && s.numKvHeads > 0 && s.headDim > 0 &&
            s.intermediateSize > 0 && s.maxPositions > 0,
        "model spec: sizes must be positive");
  check(s.numHeads % s.numKvHeads == 0, "model spec: numHeads must be a multiple of numKvHeads");
  check(s.headDim % 2 == 0 || s.arch == Arch::Gpt2, "model spec: headDim must be even for RoPE");
  if (s.arch == Arch::Gpt2) {
    check(s.numHeads * s.headDim == s.hiddenSize && s.numKvHeads == s.numHeads, "model spec: GPT-2 needs numHeads*headDim == hiddenSize and numKvHeads == numHeads");
    loadGpt2Weights(*this, tensors);
  } else {
    loadLlamaWeights(*this, tensors);
    buildRope();
  }
  tensors.clear();
#if defined(__GLIBC__)
  // The f32 tensors read from the files are freed by now; glibc keeps freed heap pages (buffers
  // under its adaptive mmap threshold) resident unless asked, which would hide the saving of
  // f16/bf16 storage in the process's memory.
  malloc_trim(0);
#endif
}

Model::~Model() = default;

void Model::buildRope() {
  const ModelSpec& s = spec_;
  const int half = s.headDim / 2;
  std::vector<double> inv(half);
  for (int i = 0; i < half; ++i) {
    double f = 1.0 / std::pow(s.ropeTheta, double(2 * i) / s.headDim);
    if (s.ropeScaling.enabled) {
      // Llama 3.1: long wavelengths are slowed by `factor`, short ones kept, the band between
      // interpolated smoothly.
      const RopeScaling& r = s.ropeScaling;
      double lowWave = r.originalMaxPositions / r.lowFreqFactor;
      double highWave = r.originalMaxPositions / r.highFreqFactor;
      double wave = 2 * M_PI / f;
      if (wave > lowWave) f = f / r.factor;
      else if (wave >= highWave) {
        double smooth = (r.originalMaxPositions / wave - r.lowFreqFactor) / (r.highFreqFactor - r.lowFreqFactor);
        f = (1 - smooth) * f / r.factor + smooth * f;
      }
    }
    inv[i] = f;
  }
  ropeCos_.resize(size_t(s.maxPositions) * half);
  ropeSin_.resize(ropeCos_.size());
  for (int p = 0; p < s.maxPositions; ++p)
    for (int i = 0; i < half; ++i) {
      // Hugging Face computes the angle in f32; do the same so long positions round alike.
      float ang = float(p) * float(inv[i]);
      ropeCos_[size_t(p) * half + i] = float(std::cos(double(ang)));
      ropeSin_[size_t(p) * half + i] = float(std::sin(double(ang)));
    }
}

void Model::checkTokens(const int32_t* tokens, int64_t n) const {
  for (int64_t i = 0; i < n; ++i)
    if (tokens[i] < 0 || tokens[i] >= spec_.vocabSize)
      throw std::runtime_error("token id " + std::to_string(tokens[i]) + " at index " + std::to_string(i) + " is outside the vocabulary (size " + std::to_string(spec_.vocabSize) + ")");
}

KVCache Model::newCache(int B, int capacity) const {
  check(B > 0 && capacity > 0, "cache: batch and capacity must be positive");
  check(capacity <= spec_.maxPositions, "cache: capacity " + std::to_string(capacity) + " exceeds maxPositions " + std::to_string(spec_.maxPositions));
  KVCache c;
  c.batch = B;
  c.capacity = capacity;
  size_t n = size_t(B) * spec_.numKvHeads * capacity * spec_.headDim;
  c.k.assign(size_t(spec_.numLayers), std::vector<float>(n, 0.f));
  c.v.assign(size_t(spec_.numLayers), std::vector<float>(n, 0.f));
  return c;
}

// One decoder layer over x (N,C) in place: appends its keys/values at [pos0, pos0+T) of Kc/Vc
// (B,KV,cap,D) and, when A is given, saves what its backward needs. Deterministic: run twice on
// the same input (and dropout counter) it gives the same bits, which gradient checkpointing uses.
void Model::layerForward(int l, std::vector<float>& x, int B, int T, int pos0, float* Kc, float* Vc, int cap, LayerActs* A,
                         bool train, float dropout, uint64_t dropCounter, LayerScratch& S) {
  const ModelSpec& s = spec_;
  const int C = s.hiddenSize, H = s.numHeads, KV = s.numKvHeads, D = s.headDim, HD = H * D, I = s.intermediateSize;
  const int W = qkvWidth(s);
  const int N = B * T;
  const bool gpt2 = s.arch == Arch::Gpt2;
  Layer& L = layers[size_t(l)];
  std::vector<float>&n = S.n, &qkv = S.qkv, &y = S.y, &tmp = S.tmp, &h = S.h, &g = S.g, &mean = S.mean, &rstd = S.rstd;
  {
    std::vector<Linear*> lins = L.linears();
    if (A) {
      A->loraU.resize(lins.size());
      A->loraDrop.resize(lins.size());
      for (auto& d : A->loraDrop) d.clear();  // refilled only when dropout is on
    }
    auto lin = [&](size_t idx, const float* in, float* out, int ldo) {
      uint64_t key = hashKey(loraCfg_.seed, dropCounter, uint64_t(l) * 64 + idx, 0xD0);
      linearForward(*lins[idx], in, N, out, ldo, train, dropout, key, A ? &A->loraU[idx] : nullptr, A ? &A->loraDrop[idx] : nullptr);
    };
    if (A) A->xin = x;
    // attention block
    if (gpt2) layerNormForward(x.data(), L.norm1W.data(), L.norm1B.data(), s.normEps, N, C, n.data(), mean.data(), rstd.data());
    else rmsNormForward(x.data(), L.norm1W.data(), s.normEps, N, C, n.data(), rstd.data());
    if (A) { A->n1 = n; A->n1m = mean; A->n1r = rstd; }
    {
      int col = 0;
      for (size_t i = 0; i < L.qkv.size(); ++i) {
        lin(i, n.data(), qkv.data() + col, W);
        col += L.qkv[i].out;
      }
    }
    if (!gpt2) {
      ropeApply(qkv.data(), W, N, T, pos0, H, D, ropeCos_.data(), ropeSin_.data(), false);
      ropeApply(qkv.data() + HD, W, N, T, pos0, KV, D, ropeCos_.data(), ropeSin_.data(), false);
    }
    // append this step's keys/values to the cache: (B,KV,cap,D)
    parallelFor(N, 16, [&](int64_t a, int64_t b) {
      for (int64_t r = a; r < b; ++r) {
        int bb = int(r / T), t = int(r % T);
        for (int kh = 0; kh < KV; ++kh) {
          size_t dst = ((size_t(bb) * KV + kh) * cap + pos0 + t) * D;
          std::memcpy(Kc + dst, qkv.data() + r * W + HD + kh * D, sizeof(float) * D);
          std::memcpy(Vc + dst, qkv.data() + r * W + HD + KV * D + kh * D, sizeof(float) * D);
        }
      }
    });
    if (A) {
      A->qkv = qkv;
      A->kc.assign(Kc, Kc + size_t(B) * KV * cap * D);
      A->vc.assign(Vc, Vc + size_t(B) * KV * cap * D);
      A->P.resize(size_t(B) * H * T * T);
    }
    attentionForward(s, qkv.data(), W, Kc, Vc, cap, B, T, pos0, y.data(), A ? A->P.data() : nullptr);
    if (A) A->y = y;
    const size_t oIdx = L.qkv.size();
    lin(oIdx, y.data(), tmp.data(), C);
    for (size_t i = 0; i < x.size(); ++i) x[i] += tmp[i];
    if (A) A->xmid = x;
    // MLP block
    if (gpt2) layerNormForward(x.data(), L.norm2W.data(), L.norm2B.data(), s.normEps, N, C, n.data(), mean.data(), rstd.data());
    else rmsNormForward(x.data(), L.norm2W.data(), s.normEps, N, C, n.data(), rstd.data());
    if (A) { A->n2 = n; A->n2m = mean; A->n2r = rstd; }
    if (gpt2) {
      lin(oIdx + 1, n.data(), h.data(), I);
      geluForward(h.data(), int64_t(N) * I, g.data());
    } else {
      lin(oIdx + 1, n.data(), h.data(), 2 * I);
      lin(oIdx + 2, n.data(), h.data() + I, 2 * I);
      swigluForward(h.data(), h.data() + I, 2 * I, N, I, g.data());
    }
    if (A) { A->h = h; A->g = g; }
    lin(lins.size() - 1, g.data(), tmp.data(), C);
    for (size_t i = 0; i < x.size(); ++i) x[i] += tmp[i];
  }
}

void Model::runForward(const int32_t* tokens, int B, int T, int pos0, KVCache& cache, std::vector<LayerActs>* acts, bool train, float* logits, bool lastOnly, bool checkpoint) {
  const ModelSpec& s = spec_;
  const int C = s.hiddenSize;
  const int N = B * T;
  const bool gpt2 = s.arch == Arch::Gpt2;
  check(B > 0 && T > 0, "forward: batch and sequence length must be positive");
  check(cache.batch == B, "forward: cache was made for batch " + std::to_string(cache.batch) + ", got " + std::to_string(B));
  check(pos0 + T <= cache.capacity, "forward: positions up to " + std::to_string(pos0 + T) + " exceed the cache capacity " + std::to_string(cache.capacity));
  checkTokens(tokens, N);
  const float dropout = train ? loraCfg_.dropout : 0.f;

  // x (N,C): token embeddings (+ learned positions for GPT-2)
  std::vector<float> x(size_t(N) * C);
  parallelFor(N, 16, [&](int64_t a, int64_t b) {
    for (int64_t r = a; r < b; ++r) {
      float* xr = x.data() + r * C;
      wte.row(tokens[r], xr);
      if (gpt2) {
        const float* p = wpe.data() + size_t(pos0 + r % T) * C;
        for (int i = 0; i < C; ++i) xr[i] = xr[i] + p[i];
      }
    }
  });

  LayerScratch S(s, N);
  std::vector<float>& n = S.n;
  std::vector<float>& mean = S.mean;
  std::vector<float>& rstd = S.rstd;
  for (int l = 0; l < s.numLayers; ++l) {
    LayerActs* A = acts ? &(*acts)[size_t(l)] : nullptr;
    if (A && checkpoint) {
      // Gradient checkpointing: keep only the layer's input; backward recomputes the rest.
      LayerActs keep;
      keep.xin = x;
      *A = std::move(keep);
      A = nullptr;
    }
    layerForward(l, x, B, T, pos0, cache.k[size_t(l)].data(), cache.v[size_t(l)].data(), cache.capacity, A, train, dropout, dropoutCounter_, S);
  }
  // final norm and head
  LayerActs* F = acts ? &(*acts)[size_t(s.numLayers)] : nullptr;
  if (F) F->xin = x;
  if (gpt2) layerNormForward(x.data(), lnfW.data(), lnfB.data(), s.normEps, N, C, n.data(), mean.data(), rstd.data());
  else rmsNormForward(x.data(), lnfW.data(), s.normEps, N, C, n.data(), rstd.data());
  if (F) { F->n1 = n; F->n1m = mean; F->n1r = rstd; }
  if (!logits) return;
  if (lastOnly) {
    // only the last position of each sequence: (B,V)
    std::vector<float> last(size_t(B) * C);
    for (int b = 0; b < B; ++b) std::memcpy(last.data() + size_t(b) * C, n.data() + (size_t(b) * T + T - 1) * C, sizeof(float) * C);
    sgemmW(false, true, B, s.vocabSize, C, 1.f, last.data(), C, headWeight(), 0.f, logits, s.vocabSize);
  } else {
    sgemmW(false, true, N, s.vocabSize, C, 1.f, n.data(), C, headWeight(), 0.f, logits, s.vocabSize);
  }
}

std::vector<float> Model::forward(const int32_t* tokens, int B, int T) {
  check(T <= spec_.maxPositions, "forward: sequence length " + std::to_string(T) + " exceeds maxPositions " + std::to_string(spec_.maxPositions));
  KVCache cache = newCache(B, T);
  std::vector<float> logits(size_t(B) * T * spec_.vocabSize);
  runForward(tokens, B, T, 0, cache, nullptr, false, logits.data(), false);
  return logits;
}

std::vector<float> Model::decode(KVCache& cache, int pos0, const int32_t* tokens, int B, int T, bool lastOnly) {
  std::vector<float> logits(size_t(B) * (lastOnly ? 1 : T) * spec_.vocabSize);
  runForward(tokens, B, T, pos0, cache, nullptr, false, logits.data(), lastOnly);
  return logits;
}

void Model::addLora(const LoraConfig& cfg) {
  check(!hasLora_, "addLora: the model already has an adapter");
  check(cfg.rank > 0, "addLora: rank must be positive");
  check(cfg.dropout >= 0.f && cfg.dropout < 1.f, "addLora: dropout must be in [0,1)");
  check(!cfg.targets.empty(), "addLora: no target modules");
  const bool gpt2 = spec_.arch == Arch::Gpt2;
  for (const auto& t : cfg.targets) {
    bool known = gpt2 ? (t == "c_attn" || t == "c_proj" || t == "attn.c_proj" || t == "c_fc" || t == "mlp.c_proj")
                      : (t == "q" || t == "k" || t == "v" || t == "o" || t == "gate" || t == "up" || t == "down" ||
                         t == "q_proj" || t == "k_proj" || t == "v_proj" || t == "o_proj" || t == "gate_proj" || t == "up_proj" || t == "down_proj");
    check(known, "addLora: unknown target module '" + t + "' for this architecture");
  }
  auto wanted = [&](const std::string& kind) {
    for (const auto& t : cfg.targets) {
      if (t == kind || t == kind + "_proj") return true;
      if (gpt2 && t == "c_proj" && (kind == "attn.c_proj" || kind == "mlp.c_proj")) return true;  // PEFT matches both
    }
    return false;
  };
  loraCfg_ = cfg;
  uint64_t stream = 0;
  for (auto& L : layers)
    for (Linear* lin : L.linears()) {
      ++stream;
      if (!wanted(lin->kind)) continue;
      lin->lora = std::make_unique<LoraWeights>();
      loraInit(*lin->lora, lin->in, lin->out, cfg, stream);
    }
  hasLora_ = true;
  opt_ = AdamWState();
  dropoutCounter_ = 0;
}

std::vector<Model::NamedParam> Model::loraParams() {
  std::vector<NamedParam> out;
  for (auto& L : layers)
    for (Linear* lin : L.linears()) {
      if (!lin->lora) continue;
      LoraWeights& w = *lin->lora;
      out.push_back({"base_model.model." + lin->peftName + ".lora_A.weight", {w.rank, w.in}, &w.A, &w.dA});
      out.push_back({"base_model.model." + lin->peftName + ".lora_B.weight", {w.out, w.rank}, &w.B, &w.dB});
    }
  return out;
}

void Model::zeroGrad() {
  for (auto& p : loraParams()) std::fill(p.grad->begin(), p.grad->end(), 0.f);
}

double Model::optimizerStep(const AdamWOptions& o) {
  check(hasLora_, "optimizerStep: the model has no adapter");
  std::vector<ParamRef> refs;
  for (auto& p : loraParams()) refs.push_back({p.value->data(), p.grad->data(), p.value->size()});
  double norm = adamwStep(refs, opt_, o);
  zeroGrad();
  return norm;
}

std::vector<float> Model::projectedExampleGrads(const TrainBatch& b, int k, uint64_t seed) {
  check(hasLora_, "projectedExampleGrads: add an adapter first (addLora)");
  check(k > 0 && k <= 1 << 20, "projectedExampleGrads: dim must be in 1..1048576");
  std::vector<NamedParam> params = loraParams();
  // keep the caller's accumulated gradients aside
  std::vector<std::vector<float>> saved;
  for (auto& p : params) saved.push_back(*p.grad);
  std::vector<float> out(size_t(b.B) * k, 0.f);
  try {
    for (int e = 0; e < b.B; ++e) {
      zeroGrad();
      TrainBatch one;
      one.tokens = b.tokens + size_t(e) * b.T;
      one.targets = b.targets + size_t(e) * b.T;
      one.mask = b.mask ? b.mask + size_t(e) * b.T : nullptr;
      one.B = 1;
      one.T = b.T;
      one.dropout = false;
      forwardBackward(one);
      std::vector<const std::vector<float>*> parts;
      for (auto& p : params) parts.push_back(p.grad);
      randomProject(parts, k, seed, out.data() + size_t(e) * k);
    }
  } catch (...) {
    for (size_t i = 0; i < params.size(); ++i) *params[i].grad = std::move(saved[i]);
    throw;
  }
  for (size_t i = 0; i < params.size(); ++i) *params[i].grad = std::move(saved[i]);
  return out;
}

std::vector<float> Model::projectedTokenGrads(const TrainBatch& b, int k, uint64_t seed, std::vector<int>& positions) {
  check(hasLora_, "projectedTokenGrads: add an adapter first (addLora)");
  check(b.B == 1, "projectedTokenGrads: one sequence at a time (batch must be 1)");
  check(k > 0 && k <= 1 << 20, "projectedTokenGrads: dim must be in 1..1048576");
  positions.clear();
  for (int t = 0; t < b.T; ++t)
    if (b.targets[t] >= 0 && (!b.mask || b.mask[t] != 0.f)) positions.push_back(t);
  std::vector<NamedParam> params = loraParams();
  std::vector<std::vector<float>> saved;
  for (auto& p : params) saved.push_back(*p.grad);
  std::vector<float> out(positions.size() * size_t(k), 0.f);
  auto restore = [&] {
    for (size_t i = 0; i < params.size(); ++i) *params[i].grad = std::move(saved[i]);
  };
  try {
    // One backward per token: the mask selects the token and normalizer 1 makes the gradient that
    // of -log p(target); the projection is negated to give d log p.
    std::vector<float> mask(size_t(b.T));
    for (size_t n = 0; n < positions.size(); ++n) {
      zeroGrad();
      std::fill(mask.begin(), mask.end(), 0.f);
      mask[size_t(positions[n])] = 1.f;
      TrainBatch one = b;
      one.mask = mask.data();
      one.normalizer = 1;
      one.dropout = false;
      forwardBackward(one);
      std::vector<const std::vector<float>*> parts;
      for (auto& p : params) parts.push_back(p.grad);
      float* dst = out.data() + n * size_t(k);
      randomProject(parts, k, seed, dst);
      for (int j = 0; j < k; ++j) dst[j] = -dst[j];
    }
  } catch (...) {
    restore();
    throw;
  }
  restore();
  return out;
}

size_t Model::weightBytes() const {
  size_t b = wte.bytes() + lmHead.bytes() + (wpe.size() + lnfW.size() + lnfB.size()) * 4;
  for (const Layer& L : layers) {
    b += (L.norm1W.size() + L.norm1B.size() + L.norm2W.size() + L.norm2B.size()) * 4;
    auto add = [&](const Linear& lin) { b += lin.W.bytes() + lin.bias.size() * 4; };
    for (const Linear& lin : L.qkv) add(lin);
    add(L.o);
    for (const Linear& lin : L.mlpIn) add(lin);
    add(L.down);
  }
  return b;
}

void Model::releaseTrainingBuffers() {
  trainActs_.reset();
  logitsBuf_ = std::vector<float>();
}

TrainResult Model::evalLoss(const TrainBatch& b) {
  const int N = b.B * b.T, V = spec_.vocabSize;
  check(b.T <= spec_.maxPositions, "evalLoss: sequence length exceeds maxPositions");
  for (int i = 0; i < N; ++i)
    check(b.targets[i] < V, "evalLoss: target id " + std::to_string(b.targets[i]) + " at index " + std::to_string(i) + " is outside the vocabulary");
  KVCache cache = newCache(b.B, b.T);
  std::vector<float>& logits = logitsBuf_;
  logits.resize(size_t(N) * V);
  runForward(b.tokens, b.B, b.T, 0, cache, nullptr, false, logits.data(), false);
  std::vector<double> rows(N);
  double sum = crossEntropy(logits.data(), N, V, b.targets, b.mask, 0.f, false, rows.data());
  TrainResult r;
  for (int i = 0; i < N; ++i) r.weight += b.targets[i] >= 0 ? (b.mask ? b.mask[i] : 1.f) : 0.f;
  double norm = b.normalizer > 0 ? b.normalizer : r.weight;
  r.loss = norm > 0 ? sum / norm : 0;
  if (!std::isfinite(r.loss)) throw std::runtime_error("evalLoss: loss is not finite (NaN or Inf)");
  return r;
}

TrainResult Model::forwardBackward(const TrainBatch& b) {
  check(hasLora_, "forwardBackward: add an adapter first (addLora)");
  const ModelSpec& s = spec_;
  const int B = b.B, T = b.T, N = B * T, V = s.vocabSize, C = s.hiddenSize, I = s.intermediateSize;
  const int H = s.numHeads, KV = s.numKvHeads, D = s.headDim, HD = H * D, W = qkvWidth(s);
  const bool gpt2 = s.arch == Arch::Gpt2;
  check(T <= s.maxPositions, "forwardBackward: sequence length exceeds maxPositions");
  for (int i = 0; i < N; ++i)
    check(b.targets[i] < V, "forwardBackward: target id " + std::to_string(b.targets[i]) + " at index " + std::to_string(i) + " is outside the vocabulary");

  TrainResult res;
  for (int i = 0; i < N; ++i) res.weight += b.targets[i] >= 0 ? (b.mask ? b.mask[i] : 1.f) : 0.f;
  const double norm = b.normalizer > 0 ? b.normalizer : res.weight;
  if (!trainActs_) trainActs_ = std::make_unique<std::vector<LayerActs>>();
  std::vector<LayerActs>& acts = *trainActs_;
  acts.resize(size_t(s.numLayers) + 1);
  KVCache cache = newCache(B, T);
  std::vector<float>& logits = logitsBuf_;
  logits.resize(size_t(N) * V);
  const float savedDropout = loraCfg_.dropout;
  const float usedDropout = b.dropout ? savedDropout : 0.f;  // what this forward draws, for recomputation
  const uint64_t usedCounter = dropoutCounter_;
  const bool checkpoint = b.checkpoint < 0 ? loraCfg_.gradientCheckpointing : b.checkpoint > 0;
  if (!b.dropout) loraCfg_.dropout = 0.f;
  try {
    runForward(b.tokens, B, T, 0, cache, &acts, true, logits.data(), false, checkpoint);
  } catch (...) {
    loraCfg_.dropout = savedDropout;
    throw;
  }
  loraCfg_.dropout = savedDropout;
  if (b.dropout) ++dropoutCounter_;  // the next micro-batch draws fresh dropout masks
  cache = KVCache();
  std::vector<double> rows(N);
  // logits become dlogits in place: (softmax - onehot) · weight / normalizer
  double sum = crossEntropy(logits.data(), N, V, b.targets, b.mask, norm > 0 ? float(1.0 / norm) : 0.f, true, rows.data());
  res.loss = norm > 0 ? sum / norm : 0;
  if (!std::isfinite(res.loss))
    throw std::runtime_error("forwardBackward: loss is not finite (NaN or Inf); gradients were not accumulated");
  if (res.weight == 0) return res;

  // head: dn(N,C) = dlogits(N,V) · head(V,C); then the final norm
  std::vector<float> dn(size_t(N) * C), dres(size_t(N) * C, 0.f);
  sgemmW(false, false, N, C, V, 1.f, logits.data(), V, headWeight(), 0.f, dn.data(), C);
  const LayerActs& F = acts[size_t(s.numLayers)];
  if (gpt2) layerNormBackward(F.xin.data(), lnfW.data(), F.n1m.data(), F.n1r.data(), dn.data(), N, C, dres.data());
  else rmsNormBackward(F.xin.data(), lnfW.data(), F.n1r.data(), dn.data(), N, C, dres.data());

  std::vector<float> dg(size_t(N) * I), dh(size_t(N) * (gpt2 ? I : 2 * I)), dy(size_t(N) * HD), dqkv(size_t(N) * W);
  std::vector<float> dK, dV;
  // With checkpointing, each layer's activations are recomputed from its saved input into one
  // reusable set (same inputs, same dropout keys, deterministic kernels: the same bits).
  std::unique_ptr<LayerActs> redo;
  std::unique_ptr<LayerScratch> redoScratch;
  std::vector<float> redoK, redoV, redoX;
  if (checkpoint) {
    redo = std::make_unique<LayerActs>();
    redoScratch = std::make_unique<LayerScratch>(s, N);
    redoK.resize(size_t(B) * KV * T * D);
    redoV.resize(redoK.size());
  }
  for (int l = s.numLayers - 1; l >= 0; --l) {
    Layer& L = layers[size_t(l)];
    if (checkpoint) {
      redoX = acts[size_t(l)].xin;
      layerForward(l, redoX, B, T, 0, redoK.data(), redoV.data(), T, redo.get(), true, usedDropout, usedCounter, *redoScratch);
    }
    LayerActs& A = checkpoint ? *redo : acts[size_t(l)];
    std::vector<Linear*> lins = L.linears();
    const size_t oIdx = L.qkv.size(), downIdx = lins.size() - 1;
    // MLP: x_out = xmid + down(g)
    linearBackward(L.down, A.g.data(), N, dres.data(), C, dg.data(), false, &A.loraU[downIdx], &A.loraDrop[downIdx]);
    if (gpt2) {
      geluBackward(A.h.data(), dg.data(), int64_t(N) * I, dh.data());
      linearBackward(L.mlpIn[0], A.n2.data(), N, dh.data(), I, dn.data(), false, &A.loraU[oIdx + 1], &A.loraDrop[oIdx + 1]);
    } else {
      swigluBackward(A.h.data(), A.h.data() + I, 2 * I, dg.data(), N, I, dh.data(), dh.data() + I, 2 * I);
      linearBackward(L.mlpIn[0], A.n2.data(), N, dh.data(), 2 * I, dn.data(), false, &A.loraU[oIdx + 1], &A.loraDrop[oIdx + 1]);
      linearBackward(L.mlpIn[1], A.n2.data(), N, dh.data() + I, 2 * I, dn.data(), true, &A.loraU[oIdx + 2], &A.loraDrop[oIdx + 2]);
    }
    if (gpt2) layerNormBackward(A.xmid.data(), L.norm2W.data(), A.n2m.data(), A.n2r.data(), dn.data(), N, C, dres.data());
    else rmsNormBackward(A.xmid.data(), L.norm2W.data(), A.n2r.data(), dn.data(), N, C, dres.data());
    // attention: xmid = xin + o(attn(qkv(norm1(xin))))
    linearBackward(L.o, A.y.data(), N, dres.data(), C, dy.data(), false, &A.loraU[oIdx], &A.loraDrop[oIdx]);
    attentionBackward(s, A, W, B, T, dy.data(), dqkv.data(), dK, dV);
    parallelFor(N, 16, [&](int64_t a, int64_t e) {
      for (int64_t r = a; r < e; ++r) {
        int bb = int(r / T), t = int(r % T);
        for (int kh = 0; kh < KV; ++kh) {
          size_t src = ((size_t(bb) * KV + kh) * T + t) * D;
          std::memcpy(dqkv.data() + r * W + HD + kh * D, dK.data() + src, sizeof(float) * D);
          std::memcpy(dqkv.data() + r * W + HD + KV * D + kh * D, dV.data() + src, sizeof(float) * D);
        }
      }
    });
    if (!gpt2) {  // RoPE is a rotation: its backward rotates the other way
      ropeApply(dqkv.data(), W, N, T, 0, H, D, ropeCos_.data(), ropeSin_.data(), true);
      ropeApply(dqkv.data() + HD, W, N, T, 0, KV, D, ropeCos_.data(), ropeSin_.data(), true);
    }
    {
      int col = 0;
      for (size_t i = 0; i < L.qkv.size(); ++i) {
        linearBackward(L.qkv[i], A.n1.data(), N, dqkv.data() + col, W, dn.data(), i > 0, &A.loraU[i], &A.loraDrop[i]);
        col += L.qkv[i].out;
      }
    }
    if (gpt2) layerNormBackward(A.xin.data(), L.norm1W.data(), A.n1m.data(), A.n1r.data(), dn.data(), N, C, dres.data());
    else rmsNormBackward(A.xin.data(), L.norm1W.data(), A.n1r.data(), dn.data(), N, C, dres.data());
  }
  return res;
}

}  // namespace engine
