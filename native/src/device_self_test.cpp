#include "device_self_test.h"

#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

#include "device_init.h"
#include "model.h"
#include "tiny_weights.h"

namespace engine {
namespace {

// Gross errors (a transposed operand, a kernel reading the wrong rows, a broken reduction) move
// results by O(1) of their scale; rounding differences stay near 1e-6 in fp32 (cuda/test measures
// them). TF32 keeps 10 mantissa bits and bf16 7, hence the looser bounds there.
double toleranceFor(int precision) { return precision == device::kFp32 ? 1e-3 : 5e-2; }

// Largest |a-b| relative to the largest |b|.
double relErr(const float* a, const float* b, size_t n) {
  double d = 0, m = 1e-6;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(a[i])) return INFINITY;
    d = std::fmax(d, std::fabs(double(a[i]) - double(b[i])));
    m = std::fmax(m, std::fabs(double(b[i])));
  }
  return d / m;
}

std::string describe(const std::string& model, const char* what, double err, double tol) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s %s differ from the CPU engine by %.3g (relative; allowed %.0e)", model.c_str(), what, err, tol);
  return buf;
}

std::string checkModel(const device::Entry& entry, const std::string& name, ModelSpec spec, const std::vector<std::string>& targets, int precision) {
  const double tol = toleranceFor(precision);
  // bf16 keeps the frozen weights in bf16 on the device: the CPU side holds the same rounded values.
  if (precision == device::kBf16) spec.weightStorage = WeightStorage::BF16;
  std::mt19937 rng(3);
  Model cpu(spec, testing::tinyWeights(rng, spec));
  std::unique_ptr<device::Model> dev;
  {
    std::vector<std::vector<float>> keep;
    device::ModelInit init = makeDeviceInit(cpu, keep);
    init.precision = precision;
    std::string err;
    dev.reset(entry.create(init, 0, &err));
    if (!dev) return name + ": the device could not load it: " + err;
  }
  const int V = spec.vocabSize, B = 2, T = 6;
  std::vector<int32_t> tok(size_t(B) * T), tgt(size_t(B) * T);
  for (size_t i = 0; i < tok.size(); ++i) {
    tok[i] = int32_t(rng() % uint32_t(V));
    tgt[i] = int32_t(rng() % uint32_t(V));
  }

  // Full forward (attention through GEMMs), then prefill + one decode step (the fused kernel).
  std::vector<float> ref = cpu.forward(tok.data(), B, T), got(ref.size());
  auto full = dev->newCache(B, T);
  dev->forward(*full, tok.data(), B, T, 0, nullptr, false, got.data());
  double e = relErr(got.data(), ref.data(), ref.size());
  if (!(e <= tol)) return describe(name, "forward logits", e, tol);
  KVCache cc = cpu.newCache(B, T);
  auto dc = dev->newCache(B, T);
  std::vector<int32_t> pre = {tok[0], tok[1], tok[2], tok[size_t(T)], tok[size_t(T) + 1], tok[size_t(T) + 2]};
  cpu.decode(cc, 0, pre.data(), B, 3, true);
  std::vector<float> step(size_t(B) * V);
  dev->forward(*dc, pre.data(), B, 3, 0, nullptr, true, step.data());
  int32_t next[2] = {tok[3], tok[size_t(T) + 3]};
  std::vector<float> r = cpu.decode(cc, 3, next, B, 1, true);
  dev->forward(*dc, next, B, 1, 3, nullptr, true, step.data());
  e = relErr(step.data(), r.data(), r.size());
  if (!(e <= tol)) return describe(name, "KV-cache decode logits", e, tol);

  // One LoRA step (backward through every frozen product): loss and the factors' gradients.
  LoraConfig cfg;
  cfg.targets = targets;
  cfg.rank = 2;
  cfg.alpha = 4;
  cpu.addLora(cfg);
  std::normal_distribution<float> nd(0.f, 0.05f);
  for (auto& p : cpu.loraParams())
    for (float& v : *p.value) v += nd(rng);  // a fresh B is zero: give gradients a path to A
  std::vector<device::LoraSlot> slots = makeLoraSlots(cpu);
  dev->setLora(slots);
  dev->upload(slots, device::kValues);
  TrainBatch tb;
  tb.tokens = tok.data(); tb.targets = tgt.data(); tb.B = B; tb.T = T;
  device::TrainInput in;
  in.tokens = tok.data(); in.targets = tgt.data(); in.B = B; in.T = T;
  const double lc = cpu.forwardBackward(tb).loss, ld = dev->forwardBackward(in).loss;
  e = std::fabs(ld - lc) / std::fabs(lc);
  if (!(e <= tol)) return describe(name, "training loss", e, tol);
  std::vector<device::LoraSlot> ref2 = makeLoraSlots(cpu), mine = ref2;
  std::vector<std::vector<float>> store;
  store.reserve(mine.size() * 2);
  for (device::LoraSlot& s : mine) {
    store.emplace_back(size_t(s.rank) * s.in);
    s.dA = store.back().data();
    store.emplace_back(size_t(s.out) * s.rank);
    s.dB = store.back().data();
  }
  dev->download(mine, device::kGrads);
  e = 0;
  for (size_t i = 0; i < mine.size(); ++i) {
    e = std::fmax(e, relErr(mine[i].dA, ref2[i].dA, size_t(mine[i].rank) * mine[i].in));
    e = std::fmax(e, relErr(mine[i].dB, ref2[i].dB, size_t(mine[i].out) * mine[i].rank));
  }
  if (!(e <= tol)) return describe(name, "LoRA gradients", e, tol);
  return "";
}

std::string run(const device::Entry& entry, int precision) {
  try {
    ModelSpec g;
    g.arch = Arch::Gpt2; g.vocabSize = 50; g.hiddenSize = 24; g.numLayers = 2; g.numHeads = 3; g.numKvHeads = 3; g.headDim = 8;
    g.intermediateSize = 40; g.maxPositions = 16;
    std::string why = checkModel(entry, "a tiny GPT-2:", g, {"c_attn", "c_proj", "c_fc"}, precision);
    if (!why.empty()) return why;
    ModelSpec l;
    l.arch = Arch::Llama; l.vocabSize = 61; l.hiddenSize = 24; l.numLayers = 2; l.numHeads = 6; l.numKvHeads = 2; l.headDim = 4;
    l.intermediateSize = 32; l.maxPositions = 16; l.attentionBias = true; l.tieWordEmbeddings = false;
    l.ropeScaling.enabled = true; l.ropeScaling.factor = 8; l.ropeScaling.originalMaxPositions = 8;
    return checkModel(entry, "a tiny Llama:", l, {"q", "k", "v", "o", "gate", "up", "down"}, precision);
  } catch (const std::exception& e) {
    return std::string("the self-check stopped with an error: ") + e.what();
  }
}

}  // namespace

std::string deviceSelfTest(const device::Entry& entry, int precision) {
  static std::mutex mutex;
  static std::map<int, std::string> results;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = results.find(precision);
  if (it == results.end()) it = results.emplace(precision, run(entry, precision)).first;
  return it->second;
}

}  // namespace engine
