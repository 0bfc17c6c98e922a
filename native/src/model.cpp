#include "model.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cancel.h"
#include "gemm.h"
#include "layer_ops.h"
#include "ops.h"
#include "threadpool.h"

namespace engine {

using namespace detail;

std::vector<Linear*> Layer::linears() {
  std::vector<Linear*> v;
  for (auto& l : qkv) v.push_back(&l);
  v.push_back(&o);
  for (auto& l : mlpIn) v.push_back(&l);
  v.push_back(&down);
  return v;
}

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
  if (device_) return deviceNewCache(B, capacity);
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
void Model::layerForward(int l, std::vector<float>& x, int B, int T, int pos0, const int* pad, float* Kc, float* Vc, int cap, LayerActs* A,
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
      ropeApply(qkv.data(), W, N, T, pos0, H, D, ropeCos_.data(), ropeSin_.data(), false, pad);
      ropeApply(qkv.data() + HD, W, N, T, pos0, KV, D, ropeCos_.data(), ropeSin_.data(), false, pad);
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
    attentionForward(s, qkv.data(), W, Kc, Vc, cap, B, T, pos0, y.data(), A ? A->P.data() : nullptr, pad);
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
  check(cache.pad.empty() || (cache.pad.size() == size_t(B) && !acts), "forward: cache padding must have one entry per row (and no training)");
  const int* pad = cache.pad.empty() ? nullptr : cache.pad.data();

  // x (N,C): token embeddings (+ learned positions for GPT-2)
  std::vector<float> x(size_t(N) * C);
  parallelFor(N, 16, [&](int64_t a, int64_t b) {
    for (int64_t r = a; r < b; ++r) {
      float* xr = x.data() + r * C;
      wte.row(tokens[r], xr);
      if (gpt2) {
        // padding slots (negative position) take position 0: their outputs are never attended
        int pos = pos0 + int(r % T) - (pad ? pad[r / T] : 0);
        const float* p = wpe.data() + size_t(pos < 0 ? 0 : pos) * C;
        for (int i = 0; i < C; ++i) xr[i] = xr[i] + p[i];
      }
    }
  });

  LayerScratch S(s, N);
  std::vector<float>& n = S.n;
  std::vector<float>& mean = S.mean;
  std::vector<float>& rstd = S.rstd;
  for (int l = 0; l < s.numLayers; ++l) {
    throwIfCancelled();  // between layers: a cancelled job's long call stops within one layer
    LayerActs* A = acts ? &(*acts)[size_t(l)] : nullptr;
    if (A && checkpoint) {
      // Gradient checkpointing: keep only the layer's input; backward recomputes the rest.
      LayerActs keep;
      keep.xin = x;
      *A = std::move(keep);
      A = nullptr;
    }
    layerForward(l, x, B, T, pos0, pad, cache.k[size_t(l)].data(), cache.v[size_t(l)].data(), cache.capacity, A, train, dropout, dropoutCounter_, S);
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
  if (device_) return deviceForward(tokens, B, T);
  check(T <= spec_.maxPositions, "forward: sequence length " + std::to_string(T) + " exceeds maxPositions " + std::to_string(spec_.maxPositions));
  KVCache cache = newCache(B, T);
  std::vector<float> logits(size_t(B) * T * spec_.vocabSize);
  runForward(tokens, B, T, 0, cache, nullptr, false, logits.data(), false);
  return logits;
}

std::vector<float> Model::decode(KVCache& cache, int pos0, const int32_t* tokens, int B, int T, bool lastOnly) {
  if (device_) return deviceDecode(cache, pos0, tokens, B, T, lastOnly);
  std::vector<float> logits(size_t(B) * (lastOnly ? 1 : T) * spec_.vocabSize);
  runForward(tokens, B, T, pos0, cache, nullptr, false, logits.data(), lastOnly);
  return logits;
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
  if (device_) device_->releaseTrainingBuffers();
  trainActs_.reset();
  logitsBuf_ = std::vector<float>();
}

}  // namespace engine
