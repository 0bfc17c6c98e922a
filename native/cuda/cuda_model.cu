// CudaModel: construction (weights uploaded), the forward pass and decoding (model.cpp on the CPU).
#include "cuda_model_impl.cuh"

namespace engine {
namespace cuda {
namespace model_impl {

static Buf uploaded(const float* host, size_t n, cudaStream_t s) {
  Buf b;
  if (host && n) b.upload(host, n, s);
  return b;
}

DevWeight CudaModel::uploadWeight(const float* host, int rows, int cols, Buf& staging) {
  DevWeight w;
  const size_t n = size_t(rows) * size_t(cols);
  if (!host || !n) return w;
  if (!bf16()) {
    w.f32.upload(host, n, stream_);
    return w;
  }
  // Rounded on the device by the kernel the activations go through (stream order keeps the
  // staging buffer's reuse safe).
  staging.upload(host, n, stream_);
  w.bf16.resize(n);
  roundToBf16(staging.get(), cols, rows, cols, w.bf16.get(), stream_);
  return w;
}

void CudaModel::baseProduct(bool transW, int M, int N, int K, const float* x, int ldx, const DevWeight& W, float beta, float* y, int ldy) {
  const int ldw = transW ? K : N;
  if (!bf16()) {
    blas_->gemm(false, transW, M, N, K, 1.f, x, ldx, W.f32.get(), ldw, beta, y, ldy);
    return;
  }
  S_.xb.resize(size_t(M) * K);
  roundToBf16(x, ldx, M, K, S_.xb.get(), stream_);
  blas_->gemmBf16(false, transW, M, N, K, 1.f, S_.xb.get(), K, W.bf16.get(), ldw, beta, y, ldy);
}

CudaModel::CudaModel(const device::ModelInit& init, int ordinal) : spec_(init.spec), precision_(init.precision), ordinal_(ordinal) {
  const device::Spec& sp = spec_;
  require(sp.vocabSize > 0 && sp.hiddenSize > 0 && sp.numLayers > 0 && sp.numHeads > 0 && sp.numKvHeads > 0 && sp.headDim > 0 &&
              sp.intermediateSize > 0 && sp.maxPositions > 0 && sp.numHeads % sp.numKvHeads == 0,
          "cuda model: inconsistent model spec");
  require(init.precision == device::kFp32 || init.precision == device::kTf32 || init.precision == device::kBf16,
          "cuda model: unknown precision " + std::to_string(init.precision) + " (0 fp32, 1 tf32, 2 bf16)");
  require(int(init.layers.size()) == sp.numLayers, "cuda model: expected " + std::to_string(sp.numLayers) + " layers in the init");
  check(cudaSetDevice(ordinal), "cudaSetDevice");
  check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate");
  try {
    blas_ = std::make_unique<Blas>(stream_, true, init.precision == device::kTf32);
    const size_t C = size_t(sp.hiddenSize);
    Buf staging;  // bf16 mode: each f32 matrix on its way to being rounded
    wte_ = uploadWeight(init.wte, sp.vocabSize, sp.hiddenSize, staging);
    if (gpt2()) {
      require(init.wpe && init.lnfB, "cuda model: GPT-2 needs wpe and ln_f bias");
      wpe_ = uploaded(init.wpe, size_t(sp.maxPositions) * C, stream_);
      lnfB_ = uploaded(init.lnfB, C, stream_);
    } else {
      require(init.ropeCos && init.ropeSin, "cuda model: Llama needs the RoPE tables");
      ropeCos_ = uploaded(init.ropeCos, size_t(sp.maxPositions) * (sp.headDim / 2), stream_);
      ropeSin_ = uploaded(init.ropeSin, size_t(sp.maxPositions) * (sp.headDim / 2), stream_);
    }
    lnfW_ = uploaded(init.lnfW, C, stream_);
    if (init.lmHead) lmHead_ = uploadWeight(init.lmHead, sp.vocabSize, sp.hiddenSize, staging);
    const size_t expected = gpt2() ? 4 : 7;
    for (const device::LayerInit& li : init.layers) {
      require(li.linears.size() == expected, "cuda model: a layer has " + std::to_string(li.linears.size()) + " linears, expected " + std::to_string(expected));
      DevLayer L;
      L.norm1W = uploaded(li.norm1W, C, stream_);
      L.norm2W = uploaded(li.norm2W, C, stream_);
      if (gpt2()) {
        L.norm1B = uploaded(li.norm1B, C, stream_);
        L.norm2B = uploaded(li.norm2B, C, stream_);
      }
      L.nQkv = gpt2() ? 1 : 3;
      for (const device::LinearInit& x : li.linears) {
        DevLinear d;
        d.in = x.in;
        d.out = x.out;
        d.W = uploadWeight(x.W, x.out, x.in, staging);
        d.bias = uploaded(x.bias, size_t(x.out), stream_);
        L.lin.push_back(std::move(d));
      }
      layers_.push_back(std::move(L));
    }
    check(cudaStreamSynchronize(stream_), "weight upload");
    cudaDeviceProp prop{};
    check(cudaGetDeviceProperties(&prop, ordinal), "cudaGetDeviceProperties");
    char mem[32];
    std::snprintf(mem, sizeof mem, "%.1f GiB", double(prop.totalGlobalMem) / (1ull << 30));
    static const char* const kPrecision[] = {"fp32", "tf32", "bf16"};
    description_ = "cuda:" + std::to_string(ordinal) + " " + prop.name + ", sm_" + std::to_string(prop.major) + std::to_string(prop.minor) + ", " + mem +
                   "; " + blas_->describe() + "; " + kPrecision[precision_];
  } catch (...) {
    blas_.reset();
    cudaStreamDestroy(stream_);
    throw;
  }
}

CudaModel::~CudaModel() {
  if (stream_) cudaStreamSynchronize(stream_);
  // Buffers free themselves; the stream must outlive the Blas handle bound to it.
  blas_.reset();
  if (stream_) cudaStreamDestroy(stream_);
}

size_t CudaModel::deviceBytes() const {
  size_t b = wte_.bytes() + wpe_.bytes() + lnfW_.bytes() + lnfB_.bytes() + lmHead_.bytes() + ropeCos_.bytes() + ropeSin_.bytes();
  for (const DevLayer& L : layers_) {
    b += L.norm1W.bytes() + L.norm1B.bytes() + L.norm2W.bytes() + L.norm2B.bytes();
    for (const DevLinear& x : L.lin) b += x.W.bytes() + x.bias.bytes();
  }
  for (const DevAdapter& a : adapters_)
    b += a.A.bytes() + a.B.bytes() + a.dA.bytes() + a.dB.bytes() + a.mA.bytes() + a.vA.bytes() + a.mB.bytes() + a.vB.bytes();
  auto actsBytes = [](const DevActs& A) {
    size_t n = 0;
    for (const Buf* x : {&A.xin, &A.n1, &A.n1m, &A.n1r, &A.qkv, &A.kc, &A.vc, &A.P, &A.y, &A.xmid, &A.n2, &A.n2m, &A.n2r, &A.h, &A.g}) n += x->bytes();
    for (const Buf& x : A.loraU) n += x.bytes();
    for (const Buf& x : A.loraDrop) n += x.bytes();
    return n;
  };
  for (const DevActs& A : acts_) b += actsBytes(A);
  if (redo_) b += actsBytes(*redo_);
  b += S_.xb.bytes();
  for (const Buf* x : {&S_.x, &S_.n, &S_.mean, &S_.rstd, &S_.qkv, &S_.y, &S_.tmp, &S_.h, &S_.g, &S_.u, &S_.fac, &S_.xd, &S_.last, &S_.P, &logits_, &dres_,
                       &dn_, &dg_, &dh_, &dy_, &dqkv_, &dK_, &dV_, &dS_, &tmpGrad_, &mask_})
    b += x->bytes();
  return b;
}

void CudaModel::checkTokens(const int32_t* tokens, int64_t n) const {
  for (int64_t i = 0; i < n; ++i)
    if (tokens[i] < 0 || tokens[i] >= spec_.vocabSize)
      throw std::runtime_error("token id " + std::to_string(tokens[i]) + " at index " + std::to_string(i) + " is outside the vocabulary (size " +
                               std::to_string(spec_.vocabSize) + ")");
}

std::unique_ptr<device::Cache> CudaModel::newCache(int B, int capacity) {
  bind();
  require(B > 0 && capacity > 0, "cache: batch and capacity must be positive");
  require(capacity <= spec_.maxPositions, "cache: capacity " + std::to_string(capacity) + " exceeds maxPositions " + std::to_string(spec_.maxPositions));
  auto c = std::make_unique<DevCache>();
  c->batch = B;
  c->capacity = capacity;
  const size_t n = size_t(B) * spec_.numKvHeads * capacity * spec_.headDim;
  for (int l = 0; l < spec_.numLayers; ++l) {
    c->k.emplace_back(n);
    c->v.emplace_back(n);
    // Slots not yet written are never read (causal mask), but zero them so a bug reads zeros.
    c->k.back().zero(stream_);
    c->v.back().zero(stream_);
  }
  return c;
}

// y(N,out) (stride ldy) = x·Wᵀ + b + scale·(drop(x)·Aᵀ)·Bᵀ, as detail::linearForward.
void CudaModel::linearForward(const DevLinear& L, const float* x, int N, float* y, int ldy, const device::TrainInput* tin, uint64_t key, DevActs* A,
                              size_t idx) {
  baseProduct(true, N, L.out, L.in, x, L.in, L.W, 0.f, y, ldy);
  if (L.bias.size()) addBias(y, ldy, L.bias.get(), N, L.out, stream_);
  if (L.adapter < 0) return;
  const DevAdapter& a = adapters_[size_t(L.adapter)];
  const float* xin = x;
  const size_t nx = size_t(N) * L.in;
  if (tin && tin->dropout > 0.f) {
    Buf& fac = A ? A->loraDrop[idx] : S_.fac;
    fac.resize(nx);
    S_.xd.resize(nx);
    dropout(x, int64_t(nx), tin->dropout, key, fac.get(), S_.xd.get(), stream_);
    xin = S_.xd.get();
  } else if (A) {
    A->loraDrop[idx].resize(0);
  }
  Buf& u = A ? A->loraU[idx] : S_.u;
  u.resize(size_t(N) * a.rank);
  blas_->gemm(false, true, N, a.rank, L.in, 1.f, xin, L.in, a.A.get(), L.in, 0.f, u.get(), a.rank);
  blas_->gemm(false, true, N, L.out, a.rank, a.scale, u.get(), a.rank, a.B.get(), a.rank, 1.f, y, ldy);
}

// Attention as layer_ops.cpp attentionForward computes it, on the GPU: per (sequence, head)
// S = scale·Q·Kᵀ into P (B,H,T,Tk), causalSoftmax, y = P·V. Q rows are qkv's q columns (row
// stride W, head h at column h·D), K/V the cache (B,KV,cap,D). Heads h = kvh·G + g share kv head
// kvh (G = H/KV): for each sequence and each g, one batched product over the KV kv heads, whose
// Q columns are G·D apart, so grouped-query attention needs no copies. Every key [0, Tk) enters
// the products (padding keys and those after the query too); causalSoftmax zeroes the masked
// probabilities, so they add nothing to y. The (B,H,T,Tk) matrix costs memory a fused flash
// attention would not (README "The CUDA backend").
void CudaModel::attentionGemm(const float* qkv, const float* Kc, const float* Vc, int cap, int B, int T, int pos0, const int* dPad, float* P,
                              float* y) {
  const int H = spec_.numHeads, KV = spec_.numKvHeads, D = spec_.headDim, HD = H * D, G = H / KV, W = qkvWidth(), Tk = pos0 + T;
  const float scale = 1.f / std::sqrt(float(D));
  const long long sP = (long long)G * T * Tk, sKV = (long long)cap * D, sQ = (long long)G * D;
  for (int b = 0; b < B; ++b)
    for (int g = 0; g < G; ++g) {
      const float* Q = qkv + size_t(b) * T * W + size_t(g) * D;
      const float* K = Kc + size_t(b) * KV * cap * D;
      float* S = P + (size_t(b) * H + g) * T * Tk;
      blas_->gemmBatched(false, true, T, Tk, D, scale, Q, W, sQ, K, D, sKV, 0.f, S, Tk, sP, KV);
    }
  causalSoftmax(P, B, H, T, pos0, dPad, stream_);
  for (int b = 0; b < B; ++b)
    for (int g = 0; g < G; ++g) {
      const float* S = P + (size_t(b) * H + g) * T * Tk;
      const float* V = Vc + size_t(b) * KV * cap * D;
      float* Y = y + size_t(b) * T * HD + size_t(g) * D;
      blas_->gemmBatched(false, false, T, D, Tk, 1.f, S, Tk, sP, V, D, sKV, 0.f, Y, HD, sQ, KV);
    }
}

// One decoder layer over S_.x (N,C) in place (Model::layerForward).
void CudaModel::layerForward(int l, int B, int T, int pos0, const int* dPad, float* Kc, float* Vc, int cap, DevActs* A, const device::TrainInput* tin) {
  const device::Spec& sp = spec_;
  const int C = sp.hiddenSize, H = sp.numHeads, KV = sp.numKvHeads, D = sp.headDim, HD = H * D, I = sp.intermediateSize, W = qkvWidth();
  const int N = B * T;
  const size_t NC = size_t(N) * C;
  DevLayer& L = layers_[size_t(l)];
  float* x = S_.x.get();
  float *n = S_.n.get(), *mean = S_.mean.get(), *rstd = S_.rstd.get(), *qkv = S_.qkv.get(), *y = S_.y.get(), *tmp = S_.tmp.get(), *h = S_.h.get(),
        *g = S_.g.get();
  if (A) {
    // Training saves straight into the layer's activations instead of copying scratch buffers.
    A->loraU.resize(L.lin.size());
    A->loraDrop.resize(L.lin.size());
    A->xin.resize(NC);
    check(cudaMemcpyAsync(A->xin.get(), x, NC * 4, cudaMemcpyDeviceToDevice, stream_), "save xin");
    A->n1.resize(NC); A->n1m.resize(N); A->n1r.resize(N);
    A->qkv.resize(size_t(N) * W);
    A->P.resize(size_t(B) * H * T * T);
    A->y.resize(size_t(N) * HD);
    A->xmid.resize(NC);
    A->n2.resize(NC); A->n2m.resize(N); A->n2r.resize(N);
    A->h.resize(size_t(N) * (gpt2() ? I : 2 * I));
    A->g.resize(size_t(N) * I);
    n = A->n1.get(); mean = A->n1m.get(); rstd = A->n1r.get(); qkv = A->qkv.get(); y = A->y.get(); h = A->h.get(); g = A->g.get();
  }
  auto lin = [&](size_t idx, const float* in, float* out, int ldo) {
    uint64_t key = tin ? hashKey(tin->seed, tin->dropoutCounter, uint64_t(l) * 64 + idx, 0xD0) : 0;
    linearForward(L.lin[idx], in, N, out, ldo, tin, key, A, idx);
  };
  if (gpt2()) layerNormForward(x, L.norm1W.get(), L.norm1B.get(), sp.normEps, N, C, n, mean, rstd, stream_);
  else rmsNormForward(x, L.norm1W.get(), sp.normEps, N, C, n, rstd, stream_);
  for (int i = 0, col = 0; i < L.nQkv; ++i) {
    lin(size_t(i), n, qkv + col, W);
    col += L.lin[size_t(i)].out;
  }
  if (!gpt2()) {
    ropeApply(qkv, W, N, T, pos0, H, D, ropeCos_.get(), ropeSin_.get(), false, dPad, stream_);
    ropeApply(qkv + HD, W, N, T, pos0, KV, D, ropeCos_.get(), ropeSin_.get(), false, dPad, stream_);
  }
  kvAppend(qkv, W, HD, KV, D, B, T, pos0, cap, Kc, Vc, stream_);
  if (T == 1 && !A) {
    // Decoding: one query per sequence, memory-bound on the cache: the fused kernel.
    attentionForward(qkv, W, Kc, Vc, cap, B, H, KV, D, T, pos0, y, dPad, stream_);
  } else {
    // Prefill and training: products through Blas; training keeps P for backward.
    float* P = A ? A->P.get() : (S_.P.resize(size_t(B) * H * T * (pos0 + T)), S_.P.get());
    attentionGemm(qkv, Kc, Vc, cap, B, T, pos0, dPad, P, y);
  }
  const size_t oIdx = size_t(L.nQkv);
  lin(oIdx, y, tmp, C);
  axpy(x, tmp, int64_t(NC), 1.f, stream_);
  if (A) {
    check(cudaMemcpyAsync(A->xmid.get(), x, NC * 4, cudaMemcpyDeviceToDevice, stream_), "save xmid");
    n = A->n2.get(); mean = A->n2m.get(); rstd = A->n2r.get();
  }
  if (gpt2()) layerNormForward(x, L.norm2W.get(), L.norm2B.get(), sp.normEps, N, C, n, mean, rstd, stream_);
  else rmsNormForward(x, L.norm2W.get(), sp.normEps, N, C, n, rstd, stream_);
  if (gpt2()) {
    lin(oIdx + 1, n, h, I);
    geluForward(h, int64_t(N) * I, g, stream_);
  } else {
    lin(oIdx + 1, n, h, 2 * I);
    lin(oIdx + 2, n, h + I, 2 * I);
    swigluForward(h, h + I, 2 * I, N, I, g, stream_);
  }
  lin(L.lin.size() - 1, g, tmp, C);
  axpy(x, tmp, int64_t(NC), 1.f, stream_);
}

// Model::runForward: tokens (and pad) already on the device; logits (device) when non-null.
void CudaModel::runForward(int B, int T, int pos0, const int32_t* dTokens, const int* dPad, std::vector<Buf>& Kc, std::vector<Buf>& Vc, int cap,
                           bool train, const device::TrainInput* tin, float* dLogits, bool lastOnly) {
  const device::Spec& sp = spec_;
  const int C = sp.hiddenSize, N = B * T, W = qkvWidth(), I = sp.intermediateSize;
  S_.x.resize(size_t(N) * C);
  S_.n.resize(size_t(N) * C);
  S_.mean.resize(size_t(N));
  S_.rstd.resize(size_t(N));
  S_.qkv.resize(size_t(N) * W);
  S_.y.resize(size_t(N) * sp.numHeads * sp.headDim);
  S_.tmp.resize(size_t(N) * C);
  S_.h.resize(size_t(N) * (gpt2() ? I : 2 * I));
  S_.g.resize(size_t(N) * I);
  if (bf16()) embed(wte_.bf16.get(), gpt2() ? wpe_.get() : nullptr, dTokens, N, T, C, pos0, dPad, S_.x.get(), stream_);
  else embed(wte_.f32.get(), gpt2() ? wpe_.get() : nullptr, dTokens, N, T, C, pos0, dPad, S_.x.get(), stream_);
  if (train) acts_.resize(size_t(sp.numLayers) + 1);
  const bool checkpoint = train && tin->checkpoint;
  for (int l = 0; l < sp.numLayers; ++l) {
    DevActs* A = train ? &acts_[size_t(l)] : nullptr;
    if (checkpoint) {
      // Keep only the layer's input; backward recomputes the rest (recomputeLayer).
      A->xin.resize(size_t(N) * C);
      check(cudaMemcpyAsync(A->xin.get(), S_.x.get(), size_t(N) * C * 4, cudaMemcpyDeviceToDevice, stream_), "save layer input");
      A = nullptr;
    }
    layerForward(l, B, T, pos0, dPad, Kc[size_t(l)].get(), Vc[size_t(l)].get(), cap, A, train ? tin : nullptr);
  }
  float *n = S_.n.get(), *mean = S_.mean.get(), *rstd = S_.rstd.get();
  if (train) {
    DevActs& F = acts_[size_t(sp.numLayers)];
    F.xin.resize(size_t(N) * C);
    check(cudaMemcpyAsync(F.xin.get(), S_.x.get(), size_t(N) * C * 4, cudaMemcpyDeviceToDevice, stream_), "save final input");
    F.n1.resize(size_t(N) * C); F.n1m.resize(N); F.n1r.resize(N);
    n = F.n1.get(); mean = F.n1m.get(); rstd = F.n1r.get();
  }
  if (gpt2()) layerNormForward(S_.x.get(), lnfW_.get(), lnfB_.get(), sp.normEps, N, C, n, mean, rstd, stream_);
  else rmsNormForward(S_.x.get(), lnfW_.get(), sp.normEps, N, C, n, rstd, stream_);
  if (!dLogits) return;
  if (lastOnly) {
    std::vector<int32_t> rows(static_cast<size_t>(B));
    for (int b = 0; b < B; ++b) rows[size_t(b)] = b * T + T - 1;
    uploadInts(rows_, rows.data(), rows.size());
    S_.last.resize(size_t(B) * C);
    gatherRows(n, C, rows_.get(), B, C, S_.last.get(), C, stream_);
    baseProduct(true, B, sp.vocabSize, C, S_.last.get(), C, head(), 0.f, dLogits, sp.vocabSize);
  } else {
    baseProduct(true, N, sp.vocabSize, C, n, C, head(), 0.f, dLogits, sp.vocabSize);
  }
}

void CudaModel::forward(device::Cache& cacheBase, const int32_t* tokens, int B, int T, int pos0, const int* pad, bool lastOnly, float* logits) {
  bind();
  DevCache& cache = dynamic_cast<DevCache&>(cacheBase);
  require(B > 0 && T > 0, "forward: batch and sequence length must be positive");
  require(cache.batch == B, "forward: cache was made for batch " + std::to_string(cache.batch) + ", got " + std::to_string(B));
  require(pos0 >= 0 && pos0 + T <= cache.capacity,
          "forward: positions up to " + std::to_string(pos0 + T) + " exceed the cache capacity " + std::to_string(cache.capacity));
  checkTokens(tokens, int64_t(B) * T);
  uploadInts(tokens_, tokens, size_t(B) * T);
  if (pad) uploadInts(pad_, pad, size_t(B));
  const size_t rows = lastOnly ? size_t(B) : size_t(B) * T;
  logits_.resize(rows * spec_.vocabSize);
  runForward(B, T, pos0, tokens_.get(), pad ? pad_.get() : nullptr, cache.k, cache.v, cache.capacity, false, nullptr, logits_.get(), lastOnly);
  logits_.download(logits, rows * spec_.vocabSize, stream_);
}

}  // namespace model_impl

std::unique_ptr<device::Model> createModel(const device::ModelInit& init, int ordinal) { return std::make_unique<model_impl::CudaModel>(init, ordinal); }

}  // namespace cuda
}  // namespace engine
