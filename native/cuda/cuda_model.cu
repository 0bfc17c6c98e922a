#include "cuda_model.cuh"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "../src/rng.h"
#include "blas.cuh"
#include "device_buffer.cuh"
#include "launch.cuh"
#include "ops.cuh"

namespace engine {
namespace cuda {
namespace {

using Buf = DeviceBuffer<float>;
using Buf16 = DeviceBuffer<bf16_t>;

void require(bool ok, const std::string& msg) {
  if (!ok) throw std::runtime_error(msg);
}

// A frozen weight matrix, row-major: f32, or bf16 in bf16 mode (exactly one is non-empty).
struct DevWeight {
  Buf f32;
  Buf16 bf16;
  size_t bytes() const { return f32.bytes() + bf16.bytes(); }
};

struct DevLinear {
  int in = 0, out = 0;
  DevWeight W;       // (out,in)
  Buf bias;          // (out) or empty
  int adapter = -1;  // index into CudaModel::adapters_, -1 without LoRA
};

struct DevLayer {
  Buf norm1W, norm1B, norm2W, norm2B;
  std::vector<DevLinear> lin;  // Layer::linears() order: qkv..., o, mlpIn..., down
  int nQkv = 0;                // GPT-2 1 (c_attn), Llama 3 (q, k, v)
};

struct DevAdapter {
  int layer = 0, linear = 0, in = 0, out = 0, rank = 0;
  float scale = 1.f;
  Buf A, B, dA, dB, mA, vA, mB, vB;
};

// Saved activations of one layer (src/layer_ops.h LayerActs, on the device).
struct DevActs {
  Buf xin, n1, n1m, n1r, qkv, kc, vc, P, y, xmid, n2, n2m, n2r, h, g;
  std::vector<Buf> loraU, loraDrop;  // per linear; loraDrop empty (size 0) without dropout
};

class DevCache : public device::Cache {
 public:
  int batch = 0, capacity = 0;
  std::vector<Buf> k, v;  // per layer (B,KV,capacity,D)
};

class CudaModel : public device::Model {
 public:
  CudaModel(const device::ModelInit& init, int ordinal);
  ~CudaModel() override;

  std::string describe() const override { return description_; }
  size_t deviceBytes() const override;
  std::unique_ptr<device::Cache> newCache(int B, int capacity) override;
  void forward(device::Cache& cache, const int32_t* tokens, int B, int T, int pos0, const int* pad, bool lastOnly, float* logits) override;
  void setLora(const std::vector<device::LoraSlot>& slots) override;
  void upload(const std::vector<device::LoraSlot>& slots, unsigned parts) override;
  void download(const std::vector<device::LoraSlot>& slots, unsigned parts) override;
  void zeroGrad() override;
  device::TrainOutput forwardBackward(const device::TrainInput& b) override;
  device::TrainOutput evalLoss(const device::TrainInput& b) override;
  double optimizerStep(const device::AdamW& o) override;
  void releaseTrainingBuffers() override;

 private:
  struct Scratch {  // work buffers of one forward pass, (N, width) each
    Buf x, n, mean, rstd, qkv, y, tmp, h, g, u, fac, xd, last;
    Buf P;     // prefill without training: attention probabilities (B,H,T,Tk)
    Buf16 xb;  // bf16 mode: the activation operand of a product with a frozen weight, rounded
  };
  int qkvWidth() const { return (spec_.numHeads + 2 * spec_.numKvHeads) * spec_.headDim; }
  bool gpt2() const { return spec_.arch == 0; }
  const DevWeight& head() const { return lmHead_.bytes() ? lmHead_ : wte_; }
  bool bf16() const { return precision_ == device::kBf16; }
  DevWeight uploadWeight(const float* host, int rows, int cols, Buf& staging);  // (rows,cols) row-major
  // y(M,N) (stride ldy) = beta·y + x·op(W), x (M,K) f32 with row stride ldx, op(W) = Wᵀ when
  // transW (W (N,K)) else W (K,N): the product with a frozen weight, in the model's precision
  // (bf16 mode: x rounded to bf16, bf16 x bf16 products summed in f32).
  void baseProduct(bool transW, int M, int N, int K, const float* x, int ldx, const DevWeight& W, float beta, float* y, int ldy);
  void checkTokens(const int32_t* tokens, int64_t n) const;
  void checkBatch(const device::TrainInput& b, const char* what) const;  // sizes, token ids, targets
  static double tokenWeight(const device::TrainInput& b);
  // The current device is per host thread; calls may come from another thread than the creator.
  void bind() const { check(cudaSetDevice(ordinal_), "cudaSetDevice"); }
  void uploadInts(DeviceBuffer<int32_t>& dst, const int32_t* src, size_t n) { dst.upload(src, n, stream_); }

  void runForward(int B, int T, int pos0, const int32_t* dTokens, const int* dPad, std::vector<Buf>& Kc, std::vector<Buf>& Vc, int cap,
                  bool train, const device::TrainInput* tin, float* dLogits, bool lastOnly);
  void layerForward(int l, int B, int T, int pos0, const int* dPad, float* Kc, float* Vc, int cap, DevActs* A, const device::TrainInput* tin);
  void recomputeLayer(int l, int B, int T, const device::TrainInput& b);
  // Attention of T > 1 queries (prefill) or of training, as layer_ops.cpp computes it: products
  // per (sequence, head) through Blas, probabilities P (B,H,T,pos0+T) materialised.
  void attentionGemm(const float* qkv, const float* Kc, const float* Vc, int cap, int B, int T, int pos0, const int* dPad, float* P, float* y);
  // Its backward (pos0 = 0, cap = T): dq into dqkv's q columns, dK_/dV_ (B,KV,T,D); dS_ scratch.
  void attentionGemmBackward(const DevActs& A, const float* dy, int B, int T, float* dqkv);
  void linearForward(const DevLinear& L, const float* x, int N, float* y, int ldy, const device::TrainInput* tin, uint64_t key, DevActs* A,
                     size_t idx);
  void linearBackward(DevLinear& L, const float* x, int N, const float* dy, int ldy, float* dx, bool accumulate, const DevActs& A, size_t idx);
  double lossOnDevice(const device::TrainInput& b, int N, bool writeGrad, double norm);
  double sumHost(size_t n);

  device::Spec spec_;
  int precision_ = device::kFp32;
  int ordinal_ = 0;
  cudaStream_t stream_ = nullptr;
  std::unique_ptr<Blas> blas_;
  std::string description_;
  DevWeight wte_, lmHead_;
  Buf wpe_, lnfW_, lnfB_, ropeCos_, ropeSin_;
  std::vector<DevLayer> layers_;
  std::vector<DevAdapter> adapters_;
  Scratch S_;
  std::vector<DevActs> acts_;
  std::unique_ptr<DevActs> redo_;  // one layer's recomputed activations (gradient checkpointing)  // numLayers + 1 (the last: final norm input and statistics)
  Buf logits_, dres_, dn_, dg_, dh_, dy_, dqkv_, dK_, dV_, dS_, tmpGrad_;
  DeviceBuffer<int32_t> tokens_, targets_, pad_, rows_;
  Buf mask_;
  DeviceBuffer<double> rowLoss_, norm_;
};

Buf uploaded(const float* host, size_t n, cudaStream_t s) {
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

void CudaModel::checkBatch(const device::TrainInput& b, const char* what) const {
  const int N = b.B * b.T;
  require(b.B > 0 && b.T > 0, std::string(what) + ": batch and sequence length must be positive");
  require(b.T <= spec_.maxPositions, std::string(what) + ": sequence length exceeds maxPositions");
  checkTokens(b.tokens, N);
  for (int i = 0; i < N; ++i)
    require(b.targets[i] < spec_.vocabSize,
            std::string(what) + ": target id " + std::to_string(b.targets[i]) + " at index " + std::to_string(i) + " is outside the vocabulary");
}

// The sum of token weights counted by the loss (engine::TrainResult::weight).
double CudaModel::tokenWeight(const device::TrainInput& b) {
  double w = 0;
  for (int i = 0; i < b.B * b.T; ++i) w += b.targets[i] >= 0 ? (b.mask ? b.mask[i] : 1.f) : 0.f;
  return w;
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

// dx(N,in) (+)= dy·W; LoRA gradients accumulate, as detail::linearBackward.
void CudaModel::linearBackward(DevLinear& L, const float* x, int N, const float* dy, int ldy, float* dx, bool accumulate, const DevActs& A, size_t idx) {
  baseProduct(false, N, L.in, L.out, dy, ldy, L.W, accumulate ? 1.f : 0.f, dx, L.in);
  if (L.adapter < 0) return;
  DevAdapter& a = adapters_[size_t(L.adapter)];
  const int r = a.rank;
  const size_t nx = size_t(N) * L.in;
  const Buf& drop = A.loraDrop[idx];
  const bool dropped = drop.size() > 0;
  const float* xin = x;
  if (dropped) {
    S_.xd.resize(nx);
    mul(S_.xd.get(), x, drop.get(), int64_t(nx), false, stream_);
    xin = S_.xd.get();
  }
  const float* u = A.loraU[idx].get();
  blas_->gemm(true, false, L.out, r, N, a.scale, dy, ldy, u, r, 1.f, a.dB.get(), r);  // dB += scale·dyᵀ·u
  S_.u.resize(size_t(N) * r);
  float* du = S_.u.get();
  blas_->gemm(false, false, N, r, L.out, a.scale, dy, ldy, a.B.get(), r, 0.f, du, r);  // du = scale·dy·B
  blas_->gemm(true, false, r, L.in, N, 1.f, du, r, xin, L.in, 1.f, a.dA.get(), L.in);  // dA += duᵀ·drop(x)
  if (!dropped) {
    blas_->gemm(false, false, N, L.in, r, 1.f, du, r, a.A.get(), L.in, 1.f, dx, L.in);  // dx += du·A
  } else {
    tmpGrad_.resize(nx);
    blas_->gemm(false, false, N, L.in, r, 1.f, du, r, a.A.get(), L.in, 0.f, tmpGrad_.get(), L.in);
    mul(dx, tmpGrad_.get(), drop.get(), int64_t(nx), true, stream_);  // dx += (du·A) ⊙ factors
  }
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

// Backward of attentionGemm with pos0 = 0 and cap = T (training), as layer_ops.cpp
// attentionBackward: dP = dO·Vᵀ (into dS_), softmaxBackward makes it dS in place, dQ = scale·dS·K
// (dqkv's q columns, overwritten), dK = scale·Σ_h dSᵀ·Q and dV = Σ_h Pᵀ·dO over the G heads of
// each kv head, added in order g = 0..G-1 (beta 0 for the first, 1 after): deterministic, no
// atomics.
void CudaModel::attentionGemmBackward(const DevActs& A, const float* dy, int B, int T, float* dqkv) {
  const int H = spec_.numHeads, KV = spec_.numKvHeads, D = spec_.headDim, HD = H * D, G = H / KV, W = qkvWidth();
  const float scale = 1.f / std::sqrt(float(D));
  const long long sP = (long long)G * T * T, sKV = (long long)T * D, sQ = (long long)G * D;
  const size_t kvn = size_t(B) * KV * T * D;
  dS_.resize(size_t(B) * H * T * T);
  dK_.resize(kvn);
  dV_.resize(kvn);
  float* dS = dS_.get();
  for (int b = 0; b < B; ++b)
    for (int g = 0; g < G; ++g)  // dP = dO·Vᵀ
      blas_->gemmBatched(false, true, T, T, D, 1.f, dy + size_t(b) * T * HD + size_t(g) * D, HD, sQ, A.vc.get() + size_t(b) * KV * T * D, D, sKV,
                         0.f, dS + (size_t(b) * H + g) * T * T, T, sP, KV);
  softmaxBackward(A.P.get(), dS, B, H, T, 0, nullptr, stream_);
  for (int b = 0; b < B; ++b) {
    const float* K = A.kc.get() + size_t(b) * KV * T * D;
    float* dK = dK_.get() + size_t(b) * KV * T * D;
    float* dV = dV_.get() + size_t(b) * KV * T * D;
    for (int g = 0; g < G; ++g) {
      const size_t hq = size_t(b) * T * W + size_t(g) * D;  // head g's q columns of sequence b
      const float* dSg = dS + (size_t(b) * H + g) * T * T;
      const float* Pg = A.P.get() + (size_t(b) * H + g) * T * T;
      const float* dO = dy + size_t(b) * T * HD + size_t(g) * D;
      const float beta = g == 0 ? 0.f : 1.f;
      blas_->gemmBatched(false, false, T, D, T, scale, dSg, T, sP, K, D, sKV, 0.f, dqkv + hq, W, sQ, KV);               // dQ = scale·dS·K
      blas_->gemmBatched(true, false, T, D, T, scale, dSg, T, sP, A.qkv.get() + hq, W, sQ, beta, dK, D, sKV, KV);     // dK += scale·dSᵀ·Q
      blas_->gemmBatched(true, false, T, D, T, 1.f, Pg, T, sP, dO, HD, sQ, beta, dV, D, sKV, KV);                      // dV += Pᵀ·dO
    }
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

void CudaModel::setLora(const std::vector<device::LoraSlot>& slots) {
  bind();
  check(cudaStreamSynchronize(stream_), "setLora (sync)");
  for (DevLayer& L : layers_)
    for (DevLinear& x : L.lin) x.adapter = -1;
  adapters_.clear();
  for (const device::LoraSlot& sl : slots) {
    require(sl.layer >= 0 && sl.layer < spec_.numLayers && sl.linear >= 0 && size_t(sl.linear) < layers_[size_t(sl.layer)].lin.size(),
            "setLora: slot names a linear that does not exist (layer " + std::to_string(sl.layer) + ", linear " + std::to_string(sl.linear) + ")");
    DevLinear& lin = layers_[size_t(sl.layer)].lin[size_t(sl.linear)];
    require(sl.in == lin.in && sl.out == lin.out && sl.rank > 0, "setLora: slot shape does not match its linear");
    require(lin.adapter < 0, "setLora: two slots for one linear");
    DevAdapter a;
    a.layer = sl.layer; a.linear = sl.linear; a.in = sl.in; a.out = sl.out; a.rank = sl.rank; a.scale = sl.scale;
    const size_t nA = size_t(sl.rank) * sl.in, nB = size_t(sl.out) * sl.rank;
    for (Buf* b : {&a.A, &a.dA, &a.mA, &a.vA}) { b->resize(nA); b->zero(stream_); }
    for (Buf* b : {&a.B, &a.dB, &a.mB, &a.vB}) { b->resize(nB); b->zero(stream_); }
    lin.adapter = int(adapters_.size());
    adapters_.push_back(std::move(a));
  }
}

void CudaModel::upload(const std::vector<device::LoraSlot>& slots, unsigned parts) {
  bind();
  require(slots.size() == adapters_.size(), "upload: " + std::to_string(slots.size()) + " slots for " + std::to_string(adapters_.size()) + " adapters");
  for (size_t i = 0; i < slots.size(); ++i) {
    const device::LoraSlot& sl = slots[i];
    DevAdapter& a = adapters_[i];
    require(sl.layer == a.layer && sl.linear == a.linear, "upload: slots are not in setLora order");
    const size_t nA = a.A.size(), nB = a.B.size();
    auto put = [&](Buf& b, const float* host, size_t n) {
      if (host) b.upload(host, n, stream_);
      else b.zero(stream_);
    };
    if (parts & device::kValues) { put(a.A, sl.A, nA); put(a.B, sl.B, nB); }
    if (parts & device::kGrads) { put(a.dA, sl.dA, nA); put(a.dB, sl.dB, nB); }
    if (parts & device::kMoments) { put(a.mA, sl.mA, nA); put(a.vA, sl.vA, nA); put(a.mB, sl.mB, nB); put(a.vB, sl.vB, nB); }
  }
  check(cudaStreamSynchronize(stream_), "upload (sync)");
}

void CudaModel::download(const std::vector<device::LoraSlot>& slots, unsigned parts) {
  bind();
  require(slots.size() == adapters_.size(), "download: " + std::to_string(slots.size()) + " slots for " + std::to_string(adapters_.size()) + " adapters");
  for (size_t i = 0; i < slots.size(); ++i) {
    const device::LoraSlot& sl = slots[i];
    const DevAdapter& a = adapters_[i];
    require(sl.layer == a.layer && sl.linear == a.linear, "download: slots are not in setLora order");
    auto get = [&](const Buf& b, float* host) {
      if (host) b.download(host, b.size(), stream_);
    };
    if (parts & device::kValues) { get(a.A, sl.A); get(a.B, sl.B); }
    if (parts & device::kGrads) { get(a.dA, sl.dA); get(a.dB, sl.dB); }
    if (parts & device::kMoments) { get(a.mA, sl.mA); get(a.vA, sl.vA); get(a.mB, sl.mB); get(a.vB, sl.vB); }
  }
}

void CudaModel::zeroGrad() {
  bind();
  for (DevAdapter& a : adapters_) {
    a.dA.zero(stream_);
    a.dB.zero(stream_);
  }
}

// Per-row losses on the device, summed in row order on the host (crossEntropy in ops.cpp).
double CudaModel::lossOnDevice(const device::TrainInput& b, int N, bool writeGrad, double norm) {
  uploadInts(targets_, b.targets, size_t(N));
  if (b.mask) mask_.upload(b.mask, size_t(N), stream_);
  rowLoss_.resize(size_t(N));
  crossEntropy(logits_.get(), N, spec_.vocabSize, targets_.get(), b.mask ? mask_.get() : nullptr, norm > 0 ? float(1.0 / norm) : 0.f, writeGrad,
               rowLoss_.get(), stream_);
  return sumHost(size_t(N));
}

double CudaModel::sumHost(size_t n) {
  std::vector<double> rows(n);
  rowLoss_.download(rows.data(), n, stream_);
  double total = 0;
  for (double r : rows) total += r;
  return total;
}

device::TrainOutput CudaModel::evalLoss(const device::TrainInput& b) {
  bind();
  const int N = b.B * b.T, V = spec_.vocabSize;
  checkBatch(b, "evalLoss");
  device::TrainOutput r;
  r.weight = tokenWeight(b);
  const double norm = b.normalizer > 0 ? b.normalizer : r.weight;
  std::vector<Buf> K(size_t(spec_.numLayers)), Vv(size_t(spec_.numLayers));
  const size_t kvn = size_t(b.B) * spec_.numKvHeads * b.T * spec_.headDim;
  for (int l = 0; l < spec_.numLayers; ++l) { K[size_t(l)].resize(kvn); Vv[size_t(l)].resize(kvn); }
  uploadInts(tokens_, b.tokens, size_t(N));
  logits_.resize(size_t(N) * V);
  runForward(b.B, b.T, 0, tokens_.get(), nullptr, K, Vv, b.T, false, nullptr, logits_.get(), false);
  double sum = lossOnDevice(b, N, false, 0);
  r.loss = norm > 0 ? sum / norm : 0;
  if (!std::isfinite(r.loss)) throw std::runtime_error("evalLoss: loss is not finite (NaN or Inf)");
  return r;
}

// Gradient checkpointing: runs layer l again from its saved input into redo_ (its keys and values
// into redo_'s kc/vc), with the same dropout keys, so backward sees the activations the forward
// had: the kernels are deterministic, so they are the same bits.
void CudaModel::recomputeLayer(int l, int B, int T, const device::TrainInput& b) {
  DevActs& R = *redo_;
  const size_t NC = size_t(B) * T * spec_.hiddenSize, kvn = size_t(B) * spec_.numKvHeads * T * spec_.headDim;
  check(cudaMemcpyAsync(S_.x.get(), acts_[size_t(l)].xin.get(), NC * 4, cudaMemcpyDeviceToDevice, stream_), "recompute: layer input");
  R.kc.resize(kvn);
  R.vc.resize(kvn);
  layerForward(l, B, T, 0, nullptr, R.kc.get(), R.vc.get(), T, &R, &b);
}

device::TrainOutput CudaModel::forwardBackward(const device::TrainInput& b) {
  bind();
  require(!adapters_.empty(), "forwardBackward: add an adapter first (addLora)");
  const device::Spec& sp = spec_;
  const int B = b.B, T = b.T, N = B * T, V = sp.vocabSize, C = sp.hiddenSize, I = sp.intermediateSize;
  const int H = sp.numHeads, KV = sp.numKvHeads, D = sp.headDim, HD = H * D, W = qkvWidth();
  checkBatch(b, "forwardBackward");
  device::TrainOutput res;
  res.weight = tokenWeight(b);
  const double norm = b.normalizer > 0 ? b.normalizer : res.weight;

  // Forward with saved activations; each layer's keys/values land in its saved kc/vc (cap = T).
  if (acts_.size() != size_t(sp.numLayers) + 1) acts_.resize(size_t(sp.numLayers) + 1);
  if (b.checkpoint) {
    // Only the layer inputs stay: release what a previous step without checkpointing kept.
    for (int l = 0; l < sp.numLayers; ++l) {
      if (acts_[size_t(l)].qkv.bytes() == 0) continue;
      DevActs keep;
      keep.xin = std::move(acts_[size_t(l)].xin);
      acts_[size_t(l)] = std::move(keep);
    }
  } else {
    redo_.reset();
  }
  std::vector<Buf> K(size_t(sp.numLayers)), Vv(size_t(sp.numLayers));
  const size_t kvn = size_t(B) * KV * T * D;
  for (int l = 0; l < sp.numLayers; ++l) {
    acts_[size_t(l)].kc.resize(kvn);
    acts_[size_t(l)].vc.resize(kvn);
    K[size_t(l)] = std::move(acts_[size_t(l)].kc);
    Vv[size_t(l)] = std::move(acts_[size_t(l)].vc);
  }
  uploadInts(tokens_, b.tokens, size_t(N));
  logits_.resize(size_t(N) * V);
  try {
    runForward(B, T, 0, tokens_.get(), nullptr, K, Vv, T, true, &b, logits_.get(), false);
  } catch (...) {
    for (int l = 0; l < sp.numLayers; ++l) { acts_[size_t(l)].kc = std::move(K[size_t(l)]); acts_[size_t(l)].vc = std::move(Vv[size_t(l)]); }
    throw;
  }
  for (int l = 0; l < sp.numLayers; ++l) { acts_[size_t(l)].kc = std::move(K[size_t(l)]); acts_[size_t(l)].vc = std::move(Vv[size_t(l)]); }
  // logits become dlogits in place: (softmax - onehot) · weight / normalizer
  const double sum = lossOnDevice(b, N, true, norm);
  res.loss = norm > 0 ? sum / norm : 0;
  if (!std::isfinite(res.loss) || res.weight == 0) return res;  // non-finite: the caller reports it, gradients untouched

  const size_t NC = size_t(N) * C;
  dn_.resize(NC);
  dres_.resize(NC);
  dres_.zero(stream_);
  baseProduct(false, N, C, V, logits_.get(), V, head(), 0.f, dn_.get(), C);  // dn = dlogits·head
  const DevActs& F = acts_[size_t(sp.numLayers)];
  if (gpt2()) layerNormBackward(F.xin.get(), lnfW_.get(), F.n1m.get(), F.n1r.get(), dn_.get(), N, C, dres_.get(), stream_);
  else rmsNormBackward(F.xin.get(), lnfW_.get(), F.n1r.get(), dn_.get(), N, C, dres_.get(), stream_);

  dg_.resize(size_t(N) * I);
  dh_.resize(size_t(N) * (gpt2() ? I : 2 * I));
  dy_.resize(size_t(N) * HD);
  dqkv_.resize(size_t(N) * W);
  float *dres = dres_.get(), *dn = dn_.get(), *dg = dg_.get(), *dh = dh_.get(), *dy = dy_.get(), *dqkv = dqkv_.get();
  if (b.checkpoint && !redo_) redo_ = std::make_unique<DevActs>();
  for (int l = sp.numLayers - 1; l >= 0; --l) {
    DevLayer& L = layers_[size_t(l)];
    if (b.checkpoint) recomputeLayer(l, B, T, b);
    const DevActs& A = b.checkpoint ? *redo_ : acts_[size_t(l)];
    const size_t oIdx = size_t(L.nQkv), downIdx = L.lin.size() - 1;
    // MLP: x_out = xmid + down(g)
    linearBackward(L.lin[downIdx], A.g.get(), N, dres, C, dg, false, A, downIdx);
    if (gpt2()) {
      geluBackward(A.h.get(), dg, int64_t(N) * I, dh, stream_);
      linearBackward(L.lin[oIdx + 1], A.n2.get(), N, dh, I, dn, false, A, oIdx + 1);
    } else {
      swigluBackward(A.h.get(), A.h.get() + I, 2 * I, dg, N, I, dh, dh + I, 2 * I, stream_);
      linearBackward(L.lin[oIdx + 1], A.n2.get(), N, dh, 2 * I, dn, false, A, oIdx + 1);
      linearBackward(L.lin[oIdx + 2], A.n2.get(), N, dh + I, 2 * I, dn, true, A, oIdx + 2);
    }
    if (gpt2()) layerNormBackward(A.xmid.get(), L.norm2W.get(), A.n2m.get(), A.n2r.get(), dn, N, C, dres, stream_);
    else rmsNormBackward(A.xmid.get(), L.norm2W.get(), A.n2r.get(), dn, N, C, dres, stream_);
    // attention: xmid = xin + o(attn(qkv(norm1(xin))))
    linearBackward(L.lin[oIdx], A.y.get(), N, dres, C, dy, false, A, oIdx);
    attentionGemmBackward(A, dy, B, T, dqkv);
    kvScatterGrad(dK_.get(), dV_.get(), W, HD, KV, D, B, T, dqkv, stream_);
    if (!gpt2()) {  // RoPE is a rotation: its backward rotates the other way
      ropeApply(dqkv, W, N, T, 0, H, D, ropeCos_.get(), ropeSin_.get(), true, nullptr, stream_);
      ropeApply(dqkv + HD, W, N, T, 0, KV, D, ropeCos_.get(), ropeSin_.get(), true, nullptr, stream_);
    }
    for (int i = 0, col = 0; i < L.nQkv; ++i) {
      linearBackward(L.lin[size_t(i)], A.n1.get(), N, dqkv + col, W, dn, i > 0, A, size_t(i));
      col += L.lin[size_t(i)].out;
    }
    if (gpt2()) layerNormBackward(A.xin.get(), L.norm1W.get(), A.n1m.get(), A.n1r.get(), dn, N, C, dres, stream_);
    else rmsNormBackward(A.xin.get(), L.norm1W.get(), A.n1r.get(), dn, N, C, dres, stream_);
  }
  check(cudaStreamSynchronize(stream_), "forwardBackward");
  return res;
}

double CudaModel::optimizerStep(const device::AdamW& o) {
  bind();
  require(!adapters_.empty(), "optimizerStep: the model has no adapter");
  // Global L2 norm in parameter order (A then B per adapter), in double like adamw.cpp.
  norm_.resize(1 + kSumSquaresScratch);  // [0] the sum, then the reduction's scratch
  norm_.zero(stream_);
  for (const DevAdapter& a : adapters_) {
    addSumSquares(a.dA.get(), int64_t(a.dA.size()), norm_.get(), norm_.get() + 1, stream_);
    addSumSquares(a.dB.get(), int64_t(a.dB.size()), norm_.get(), norm_.get() + 1, stream_);
  }
  double sq = 0;
  norm_.download(&sq, 1, stream_);
  const double norm = std::sqrt(sq);
  if (!std::isfinite(norm)) throw std::runtime_error("optimizer step: gradient norm is not finite (" + std::to_string(norm) + ")");
  if (!std::isfinite(o.lr)) throw std::runtime_error("optimizer step: learning rate is not finite");
  require(o.step >= 1, "optimizer step: step must be >= 1");
  float clip = 1.f;
  if (o.maxGradNorm > 0 && norm > o.maxGradNorm) clip = float(o.maxGradNorm / (norm + 1e-6));
  const double bc1 = 1.0 - std::pow(double(o.beta1), double(o.step));
  const double bc2 = 1.0 - std::pow(double(o.beta2), double(o.step));
  const float stepSize = float(o.lr / bc1);
  const float bc2Sqrt = float(std::sqrt(bc2));
  const float decay = 1.f - o.lr * o.weightDecay;
  for (DevAdapter& a : adapters_) {
    adamwUpdate(a.A.get(), a.dA.get(), a.mA.get(), a.vA.get(), int64_t(a.A.size()), clip, o.beta1, o.beta2, o.eps, stepSize, bc2Sqrt, decay, stream_);
    adamwUpdate(a.B.get(), a.dB.get(), a.mB.get(), a.vB.get(), int64_t(a.B.size()), clip, o.beta1, o.beta2, o.eps, stepSize, bc2Sqrt, decay, stream_);
  }
  zeroGrad();
  check(cudaStreamSynchronize(stream_), "optimizerStep");
  return norm;
}

void CudaModel::releaseTrainingBuffers() {
  bind();
  check(cudaStreamSynchronize(stream_), "releaseTrainingBuffers (sync)");
  acts_.clear();
  redo_.reset();
  for (Buf* b : {&logits_, &dres_, &dn_, &dg_, &dh_, &dy_, &dqkv_, &dK_, &dV_, &dS_, &tmpGrad_}) *b = Buf();
}

}  // namespace

std::unique_ptr<device::Model> createModel(const device::ModelInit& init, int ordinal) { return std::make_unique<CudaModel>(init, ordinal); }

}  // namespace cuda
}  // namespace engine
