// CudaModel: the LoRA state and its transfers, the loss, forward+backward with saved or recomputed
// activations, and AdamW on the device (model_training.cpp on the CPU).
#include "cuda_model_impl.cuh"

namespace engine {
namespace cuda {
namespace model_impl {

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

}  // namespace model_impl
}  // namespace cuda
}  // namespace engine
