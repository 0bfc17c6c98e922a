// Model's LoRA and training passes: the adapter, its parameters and optimizer step, the loss
// (eval), forward+backward, and the randomly projected per-example / per-token gradients.
#include "model.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "cancel.h"
#include "gemm.h"
#include "layer_ops.h"
#include "ops.h"
#include "projection.h"
#include "threadpool.h"

namespace engine {

using namespace detail;

void Model::addLora(const LoraConfig& cfg) {
  check(!hasLora_, "addLora: the model already has an adapter");
  check(!fullTraining_, "addLora: the model is in full-parameter training mode (every weight is trained; no adapter)");
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
  if (device_) deviceAddLora();
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
  if (device_) {
    device_->zeroGrad();
    return;
  }
  for (auto& p : loraParams()) std::fill(p.grad->begin(), p.grad->end(), 0.f);
  for (auto& p : fullParams()) std::fill(p.grad->begin(), p.grad->end(), 0.f);
}

double Model::optimizerStep(const AdamWOptions& o) {
  if (fullTraining_) return fullOptimizerStep(o);
  check(hasLora_, "optimizerStep: the model has no adapter");
  if (device_) return deviceOptimizerStep(o);
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
  syncFromDevice(device::kGrads);  // with a device: its accumulated gradients, to put back at the end
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
      syncFromDevice(device::kGrads);
      std::vector<const std::vector<float>*> parts;
      for (auto& p : params) parts.push_back(p.grad);
      randomProject(parts, k, seed, out.data() + size_t(e) * k);
    }
  } catch (...) {
    for (size_t i = 0; i < params.size(); ++i) *params[i].grad = std::move(saved[i]);
    syncToDevice(device::kGrads);
    throw;
  }
  for (size_t i = 0; i < params.size(); ++i) *params[i].grad = std::move(saved[i]);
  syncToDevice(device::kGrads);
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
  syncFromDevice(device::kGrads);
  std::vector<std::vector<float>> saved;
  for (auto& p : params) saved.push_back(*p.grad);
  std::vector<float> out(positions.size() * size_t(k), 0.f);
  auto restore = [&] {
    for (size_t i = 0; i < params.size(); ++i) *params[i].grad = std::move(saved[i]);
    syncToDevice(device::kGrads);
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
      syncFromDevice(device::kGrads);
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

TrainResult Model::evalLoss(const TrainBatch& b) {
  if (device_) return deviceEvalLoss(b);
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
  check(hasLora_ || fullTraining_, "forwardBackward: add an adapter first (addLora), or enable full-parameter training");
  if (device_) return deviceForwardBackward(b);
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
  const bool defaultCheckpoint = fullTraining_ ? fullCfg_.gradientCheckpointing : loraCfg_.gradientCheckpointing;
  const bool checkpoint = b.checkpoint < 0 ? defaultCheckpoint : b.checkpoint > 0;
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
  if (fullTraining_) {
    fullHeadBackward(F.n1.data(), logits.data(), N);
    normParamBackward(F.xin.data(), gpt2 ? F.n1m.data() : nullptr, F.n1r.data(), dn.data(), N, C, dLnfW.data(), gpt2 ? dLnfB.data() : nullptr);
  }
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
    throwIfCancelled();
    Layer& L = layers[size_t(l)];
    if (checkpoint) {
      redoX = acts[size_t(l)].xin;
      layerForward(l, redoX, B, T, 0, nullptr, redoK.data(), redoV.data(), T, redo.get(), true, usedDropout, usedCounter, *redoScratch);
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
    if (fullTraining_)
      normParamBackward(A.xmid.data(), gpt2 ? A.n2m.data() : nullptr, A.n2r.data(), dn.data(), N, C, L.dNorm2W.data(), gpt2 ? L.dNorm2B.data() : nullptr);
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
    if (fullTraining_)
      normParamBackward(A.xin.data(), gpt2 ? A.n1m.data() : nullptr, A.n1r.data(), dn.data(), N, C, L.dNorm1W.data(), gpt2 ? L.dNorm1B.data() : nullptr);
    if (gpt2) layerNormBackward(A.xin.data(), L.norm1W.data(), A.n1m.data(), A.n1r.data(), dn.data(), N, C, dres.data());
    else rmsNormBackward(A.xin.data(), L.norm1W.data(), A.n1r.data(), dn.data(), N, C, dres.data());
  }
  // dres is now the gradient at the embeddings' output
  if (fullTraining_) fullEmbeddingBackward(b.tokens, dres.data(), B, T);
  return res;
}

}  // namespace engine
