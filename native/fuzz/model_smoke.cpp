// Runs the whole engine (GPT-2 and Llama tiny models built in memory) through forward, KV-cache
// decoding, LoRA training with dropout, the optimizer and gradient projection, so that
// tools/asan-test.sh can check the model code under AddressSanitizer + UBSan, not only the reader.
// Also checks that bad inputs throw instead of crashing. Exit 0 on success.
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>

#include "../src/model.h"
#include "../src/tiny_weights.h"
#include "../src/threadpool.h"

using namespace engine;

namespace {
std::mt19937 rng(1);

std::map<std::string, Tensor> weights(const ModelSpec& s) { return testing::tinyWeights(rng, s); }

template <class F>
void expectThrow(const char* what, F f) {
  try {
    f();
  } catch (const std::runtime_error&) {
    return;
  }
  throw std::logic_error(std::string("expected an error: ") + what);
}

void exercise(const ModelSpec& s, const std::vector<std::string>& targets) {
  Model m(s, weights(s));
  const int B = 2, T = 7;
  std::vector<int32_t> tok(B * T), tgt(B * T);
  for (int i = 0; i < B * T; ++i) { tok[i] = int32_t(rng() % uint32_t(s.vocabSize)); tgt[i] = i % 5 == 0 ? -100 : int32_t(rng() % uint32_t(s.vocabSize)); }
  std::vector<float> full = m.forward(tok.data(), B, T);
  KVCache c = m.newCache(B, 12);
  std::vector<int32_t> first = {tok[0], tok[1], tok[2], tok[T], tok[T + 1], tok[T + 2]};
  m.decode(c, 0, first.data(), B, 3, true);
  double maxd = 0;
  for (int t = 3; t < T; ++t) {
    int32_t step[2] = {tok[t], tok[T + t]};
    std::vector<float> l = m.decode(c, t, step, B, 1, true);
    for (int b = 0; b < B; ++b)
      for (int v = 0; v < s.vocabSize; ++v) maxd = std::fmax(maxd, std::fabs(l[size_t(b) * s.vocabSize + v] - full[(size_t(b) * T + t) * s.vocabSize + v]));
  }
  if (maxd > 1e-5) throw std::logic_error("decode differs from forward");
  expectThrow("cache overflow", [&] { std::vector<int32_t> many(B * 9, 1); m.decode(c, 7, many.data(), B, 9, true); });
  {
    // Left-padded rows (row 1 holds 2 real tokens of 4, then steps): each row equals the
    // unpadded sequence decoded alone (the full forward of its tokens).
    KVCache p = m.newCache(B, 12);
    p.pad = {0, 2};
    std::vector<int32_t> pre = {tok[0], tok[1], tok[2], tok[3], 0, 0, tok[T], tok[T + 1]};
    std::vector<float> l0 = m.decode(p, 0, pre.data(), B, 4, false);
    std::vector<int32_t> row1 = {tok[T], tok[T + 1], tok[T + 2], tok[T + 3]};
    std::vector<float> f1 = m.forward(row1.data(), 1, 4);
    double d = 0;
    for (int t = 0; t < 2; ++t)
      for (int v = 0; v < s.vocabSize; ++v) d = std::fmax(d, std::fabs(l0[(size_t(1) * 4 + 2 + t) * s.vocabSize + v] - f1[size_t(t) * s.vocabSize + v]));
    for (int t = 0; t < 2; ++t) {
      int32_t st[2] = {tok[4 + t], row1[size_t(2 + t)]};
      std::vector<float> l = m.decode(p, 4 + t, st, B, 1, true);
      for (int v = 0; v < s.vocabSize; ++v) d = std::fmax(d, std::fabs(l[size_t(s.vocabSize) + v] - f1[size_t(2 + t) * s.vocabSize + v]));
    }
    if (d > 1e-5) throw std::logic_error("padded decode differs from the row alone");
  }
  expectThrow("bad token", [&] { int32_t bad[2] = {-1, 0}; m.forward(bad, 1, 2); });
  LoraConfig cfg;
  cfg.targets = targets;
  cfg.rank = 3;
  cfg.alpha = 6;
  cfg.dropout = 0.25f;
  cfg.seed = 9;
  m.addLora(cfg);
  std::vector<float> mask(B * T, 1.f);
  mask[1] = 0.f;
  TrainBatch tb;
  tb.tokens = tok.data(); tb.targets = tgt.data(); tb.mask = mask.data(); tb.B = B; tb.T = T;
  AdamWOptions o;
  o.lr = 1e-2f; o.weightDecay = 0.01f; o.maxGradNorm = 1.f;
  for (int i = 0; i < 3; ++i) {
    m.forwardBackward(tb);
    m.optimizerStep(o);
  }
  m.evalLoss(tb);
  m.projectedExampleGrads(tb, 70, 3);
  m.releaseTrainingBuffers();
  m.forwardBackward(tb);
  tb.checkpoint = 1;  // gradient checkpointing: recompute each layer in backward
  m.forwardBackward(tb);
  tb.checkpoint = -1;
  std::vector<int32_t> badTgt = tgt;
  badTgt[3] = s.vocabSize;
  tb.targets = badTgt.data();
  expectThrow("bad target", [&] { m.forwardBackward(tb); });

  // Full-parameter training on a fresh copy: every weight's gradient, the optimizer over all of
  // them, with and without checkpointing, and the file-layout reads and writes of a resume.
  Model f(s, weights(s));
  FullTrainConfig fc;
  f.enableFullTraining(fc);
  expectThrow("lora in full mode", [&] { f.addLora(cfg); });
  tb.targets = tgt.data();
  for (int i = 0; i < 2; ++i) {
    tb.checkpoint = i;
    f.forwardBackward(tb);
    f.optimizerStep(o);
  }
  tb.checkpoint = -1;
  for (const auto& p : f.fullParams())
    for (int what = 0; what < 4; ++what) {
      std::vector<float> v = f.fullParamRead(p, what);
      if (v.size() != p.size()) throw std::logic_error("full parameter read: wrong size");
      f.fullParamWrite(p, what, v.data());
    }
  f.evalLoss(tb);
}
}  // namespace

int main() {
  try {
    for (int threads : {1, 2, 3}) {
      setThreadCount(threads);
      ModelSpec g;
      g.arch = Arch::Gpt2; g.vocabSize = 53; g.hiddenSize = 24; g.numLayers = 2; g.numHeads = 3; g.numKvHeads = 3; g.headDim = 8;
      g.intermediateSize = 40; g.maxPositions = 16;
      exercise(g, {"c_attn", "c_proj", "c_fc"});
      g.weightStorage = WeightStorage::F16;  // half-precision panels: decode, prefill, training
      exercise(g, {"c_attn", "c_proj", "c_fc"});
      ModelSpec l;
      l.arch = Arch::Llama; l.vocabSize = 61; l.hiddenSize = 20; l.numLayers = 2; l.numHeads = 6; l.numKvHeads = 2; l.headDim = 6;
      l.intermediateSize = 28; l.maxPositions = 16; l.attentionBias = true; l.tieWordEmbeddings = false;
      l.ropeScaling.enabled = true; l.ropeScaling.factor = 8; l.ropeScaling.originalMaxPositions = 8;
      exercise(l, {"q", "k", "v", "o", "gate", "up", "down"});
      l.weightStorage = WeightStorage::BF16;
      exercise(l, {"q", "k", "v", "o", "gate", "up", "down"});
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "model_smoke: %s\n", e.what());
    return 1;
  }
  std::printf("model_smoke: ok\n");
  return 0;
}
