// The CUDA device model against the CPU engine (the reference), on tiny GPT-2 and Llama-family
// models built in memory: full forward, KV-cache decoding (with left padding; prefill of several
// tokens runs attention through GEMMs, decoding through the fused kernel), LoRA training
// steps with dropout, clipping and weight decay (loss, gradients, factors and AdamW moments),
// eval loss, and bad input. Built by tools/cuda-test.sh twice: with g++ against the host emulator
// (CI, under AddressSanitizer) and with nvcc on a GPU machine (--device). Prints one line per
// check; exit 1 on any failure.
//
// Tolerances: both sides compute in f32 but sum in different orders (blocked GEMMs vs cuBLAS or
// the tiled kernel, warp-shuffle reductions), so values agree to rounding: errors are measured
// relative to the largest magnitude of the compared tensor, 2e-5 for logits and losses, 1e-4 for
// gradients, factors and moments after three steps (rounding differences grow through Adam's
// division by sqrt(v)). The emulated build sees about 1e-6. Dropout masks are bit-identical (same
// counter-based hash), so the comparison with dropout on is as tight as without.
//
// bf16 mode (device_model.h kBf16) runs against the CPU model holding the same bf16 weights
// (WeightStorage::BF16), so the one difference is the device rounding each activation operand of
// a frozen-weight product to bf16 (2^-9 relative per element) forward and backward. Measured in
// the emulated build (max over the three models; tolerance in brackets):
//   logits, decode    7.4e-3 [2e-2]   several rounded products per layer, two layers and the head
//   losses            5.2e-4 [2e-3]   a mean over tokens: per-token errors partly cancel
//   gradients step 1  2.0e-2 [4e-2]   same factors on both sides; dY is rounded too
//   gradients 2, 3    6.3e-2 [1e-1]   computed from factors that already differ (next line)
//   gradient norm     1.8e-3 [1e-2]
//   factors, moments  1.6e-1 [3e-1]   Adam's first steps move each coordinate by ~lr·sign(g): a
//                                     coordinate whose gradient is near zero can move the other
//                                     way (up to 2·lr per step, 0.06 after 3 steps of lr 1e-2,
//                                     against factors of ~0.2): an optimizer property, not drift.
// and a lower bound (logits differ by > 5e-4) proves the activations are rounded at all. The
// device weight memory is checked exactly: 2 bytes less per frozen matrix element than the same
// model uploaded as f32 (ratio 0.51-0.54 on these tiny models, whose norms, biases and positions
// stay f32).
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../src/tiny_weights.h"
#include "../../src/device_init.h"
#include "../../src/device_self_test.h"
#include "../../src/model.h"
#include "../cuda_model.cuh"
#ifdef STUDIO_CUDA_EMULATED
#include <cuda_runtime.h>  // the emulator's: emu::launches
#endif

using namespace engine;

namespace {

// Launches of a kernel so far: counted by the emulator, not on a GPU (0 there).
#ifdef STUDIO_CUDA_EMULATED
constexpr bool kCountsLaunches = true;
long long launches(const char* kernel) { return emu::launches(kernel); }
#else
constexpr bool kCountsLaunches = false;
long long launches(const char*) { return 0; }
#endif

int failures = 0;

// Largest |a-b| relative to the largest |b| (at least 1e-6, so all-zero tensors compare absolutely).
double relErr(const float* a, const float* b, size_t n) {
  double d = 0, m = 1e-6;
  for (size_t i = 0; i < n; ++i) {
    d = std::fmax(d, std::fabs(double(a[i]) - double(b[i])));
    m = std::fmax(m, std::fabs(double(b[i])));
  }
  return d / m;
}

void expect(const std::string& what, double err, double tol) {
  bool ok = std::isfinite(err) && err <= tol;
  std::printf("%s %-58s rel err %.3g (tol %.0e)\n", ok ? "ok  " : "FAIL", what.c_str(), err, tol);
  if (!ok) ++failures;
}

void expectTrue(const std::string& what, bool ok) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++failures;
}

template <class F>
void expectThrows(const std::string& what, F f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    std::printf("ok   %s (\"%s\")\n", what.c_str(), e.what());
    return;
  }
  std::printf("FAIL %s: no error\n", what.c_str());
  ++failures;
}

// Host buffers shaped like the model's adapters, to download device state into.
struct HostLora {
  std::vector<std::vector<float>> store;
  std::vector<device::LoraSlot> slots;
  explicit HostLora(const std::vector<device::LoraSlot>& like) {
    slots = like;
    store.reserve(like.size() * 8);
    for (device::LoraSlot& s : slots) {
      const size_t nA = size_t(s.rank) * s.in, nB = size_t(s.out) * s.rank;
      auto fresh = [&](size_t n) { store.emplace_back(n, 0.f); return store.back().data(); };
      s.A = fresh(nA); s.dA = fresh(nA); s.mA = fresh(nA); s.vA = fresh(nA);
      s.B = fresh(nB); s.dB = fresh(nB); s.mB = fresh(nB); s.vB = fresh(nB);
    }
  }
};

void compareLora(const std::string& label, Model& cpu, device::Model& dev, unsigned parts, double tol) {
  std::vector<device::LoraSlot> ref = makeLoraSlots(cpu);
  HostLora got(ref);
  dev.download(got.slots, parts);
  double eV = 0, eG = 0, eM = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    const device::LoraSlot &r = ref[i], &g = got.slots[i];
    const size_t nA = size_t(r.rank) * r.in, nB = size_t(r.out) * r.rank;
    eV = std::fmax(eV, std::fmax(relErr(g.A, r.A, nA), relErr(g.B, r.B, nB)));
    eG = std::fmax(eG, std::fmax(relErr(g.dA, r.dA, nA), relErr(g.dB, r.dB, nB)));
    if (r.mA) eM = std::fmax(eM, std::fmax(std::fmax(relErr(g.mA, r.mA, nA), relErr(g.vA, r.vA, nA)), std::fmax(relErr(g.mB, r.mB, nB), relErr(g.vB, r.vB, nB))));
  }
  if (parts & device::kValues) expect(label + ": LoRA factors", eV, tol);
  if (parts & device::kGrads) expect(label + ": LoRA gradients", eG, tol);
  if (parts & device::kMoments) expect(label + ": AdamW moments", eM, tol);
}

// Tolerances of one precision (see the top of the file).
struct Tol {
  double logits, loss, gradsFirst, grads, gradNorm, factors;
};
constexpr Tol kFp32Tol{2e-5, 2e-5, 1e-4, 1e-4, 1e-4, 1e-4};
constexpr Tol kBf16Tol{2e-2, 2e-3, 4e-2, 1e-1, 1e-2, 3e-1};

size_t frozenWeightElements(const Model& m) {
  size_t n = size_t(m.wte.rows) * m.wte.cols + size_t(m.lmHead.rows) * m.lmHead.cols;
  for (const Layer& cl : m.layers)
    for (Linear* lin : const_cast<Layer&>(cl).linears()) n += size_t(lin->in) * lin->out;
  return n;
}

void run(const std::string& name, ModelSpec spec, const std::vector<std::string>& targets, int precision = device::kFp32) {
  const bool bf16 = precision == device::kBf16;
  const Tol tol = bf16 ? kBf16Tol : kFp32Tol;
  // bf16: the CPU reference holds the same bf16-rounded weights (weightDtype 'bf16'), so what is
  // left to differ is the device's rounding of activations before each product with them.
  if (bf16) spec.weightStorage = WeightStorage::BF16;
  std::mt19937 rng(11);
  Model cpu(spec, testing::tinyWeights(rng, spec));
  std::vector<std::vector<float>> keep;
  device::ModelInit init = makeDeviceInit(cpu, keep);
  init.precision = precision;
  std::unique_ptr<device::Model> dev = cuda::createModel(init, 0);
  if (bf16) {
    // Weight memory: the same weights uploaded as f32 take 2 more bytes per frozen matrix element.
    init.precision = device::kFp32;
    const size_t f32Bytes = cuda::createModel(init, 0)->deviceBytes(), bf16Bytes = dev->deviceBytes();
    const size_t elems = frozenWeightElements(cpu);
    std::printf("     device weight bytes: bf16 %zu, fp32 %zu (ratio %.3f; %zu frozen matrix elements)\n", bf16Bytes, f32Bytes,
                double(bf16Bytes) / double(f32Bytes), elems);
    expectTrue(name + ": bf16 weights take 2 bytes per element less than f32 (about half the memory)",
               f32Bytes - bf16Bytes == 2 * elems && double(bf16Bytes) < 0.6 * double(f32Bytes));
  }
  keep.clear();
  std::printf("%s on %s\n", name.c_str(), dev->describe().c_str());
  const int V = spec.vocabSize, B = 2, T = 7;
  std::vector<int32_t> tok(B * T), tgt(B * T);
  for (int i = 0; i < B * T; ++i) {
    tok[size_t(i)] = int32_t(rng() % uint32_t(V));
    tgt[size_t(i)] = i % 5 == 0 ? -100 : int32_t(rng() % uint32_t(V));
  }

  // Full forward.
  std::vector<float> ref = cpu.forward(tok.data(), B, T), got(ref.size());
  {
    auto c = dev->newCache(B, T);
    dev->forward(*c, tok.data(), B, T, 0, nullptr, false, got.data());
  }
  expect(name + ": forward logits (2x7)", relErr(got.data(), ref.data(), ref.size()), tol.logits);
  if (bf16)  // the activations really are rounded: an f32 product would agree to ~1e-6
    expectTrue(name + ": logits differ from the f32-activation CPU by more than 5e-4 (activations rounded to bf16)",
               relErr(got.data(), ref.data(), ref.size()) > 5e-4);

  // Prefill 3 then decode one token at a time; every step's last logits against the CPU's.
  {
    KVCache cc = cpu.newCache(B, 12);
    auto dc = dev->newCache(B, 12);
    std::vector<int32_t> first = {tok[0], tok[1], tok[2], tok[T], tok[T + 1], tok[T + 2]};
    std::vector<float> r = cpu.decode(cc, 0, first.data(), B, 3, true), g(r.size());
    dev->forward(*dc, first.data(), B, 3, 0, nullptr, true, g.data());
    double e = relErr(g.data(), r.data(), r.size());
    for (int t = 3; t < T; ++t) {
      int32_t step[2] = {tok[size_t(t)], tok[size_t(T + t)]};
      r = cpu.decode(cc, t, step, B, 1, true);
      dev->forward(*dc, step, B, 1, t, nullptr, true, g.data());
      e = std::fmax(e, relErr(g.data(), r.data(), r.size()));
    }
    expect(name + ": KV-cache decode, last logits per step", e, tol.logits);
    expectThrows(name + ": decoding past the cache capacity is refused", [&] {
      std::vector<int32_t> many(size_t(B) * 9, 1);
      dev->forward(*dc, many.data(), B, 9, 7, nullptr, true, g.data());
    });
  }

  // Left-padded rows (row 1 has 2 padding slots), then two decode steps.
  {
    KVCache cc = cpu.newCache(B, 12);
    cc.pad = {0, 2};
    auto dc = dev->newCache(B, 12);
    const int pad[2] = {0, 2};
    std::vector<int32_t> pre = {tok[0], tok[1], tok[2], tok[3], 0, 0, tok[T], tok[T + 1]};
    std::vector<float> r = cpu.decode(cc, 0, pre.data(), B, 4, false), g(r.size());
    dev->forward(*dc, pre.data(), B, 4, 0, pad, false, g.data());
    // Padding queries' logits are unused (and differ by design only in what they attend); compare the real ones.
    double e = relErr(g.data(), r.data(), size_t(4) * V);
    e = std::fmax(e, relErr(g.data() + size_t(6) * V, r.data() + size_t(6) * V, size_t(2) * V));
    for (int t = 0; t < 2; ++t) {
      int32_t st[2] = {tok[size_t(4 + t)], tok[size_t(T + 2 + t)]};
      std::vector<float> rs = cpu.decode(cc, 4 + t, st, B, 1, true), gs(rs.size());
      dev->forward(*dc, st, B, 1, 4 + t, pad, true, gs.data());
      e = std::fmax(e, relErr(gs.data(), rs.data(), rs.size()));
    }
    expect(name + ": left-padded prefill and decode", e, tol.logits);
  }

  // A longer prefill (3x12, left padding of 0, 3 and 7 slots: attention through the GEMM path,
  // padding queries among the rows), then two decode steps (the fused kernel). Emulated, the
  // kernel launches show which path each call took.
  {
    const int B3 = 3, T3 = 12, cap = 14, pad3[3] = {0, 3, 7};
    std::mt19937 r3(7);
    std::vector<int32_t> pre(size_t(B3) * T3);
    for (int b = 0; b < B3; ++b)
      for (int t = 0; t < T3; ++t) pre[size_t(b * T3 + t)] = t < pad3[b] ? 0 : int32_t(r3() % uint32_t(V));
    KVCache cc = cpu.newCache(B3, cap);
    cc.pad = {pad3[0], pad3[1], pad3[2]};
    auto dc = dev->newCache(B3, cap);
    const long long fusedBefore = launches("attentionForwardKernel"), softmaxBefore = launches("causalSoftmaxKernel");
    std::vector<float> r = cpu.decode(cc, 0, pre.data(), B3, T3, false), g(r.size());
    dev->forward(*dc, pre.data(), B3, T3, 0, pad3, false, g.data());
    const long long fusedPrefill = launches("attentionForwardKernel"), softmaxPrefill = launches("causalSoftmaxKernel");
    double e = 0;
    for (int b = 0; b < B3; ++b) {  // the real queries' logits
      const size_t first = size_t(b * T3 + pad3[b]) * V, n = size_t(T3 - pad3[b]) * V;
      e = std::fmax(e, relErr(g.data() + first, r.data() + first, n));
    }
    expect(name + ": left-padded prefill 3x12 (pads 0, 3, 7)", e, tol.logits);
    e = 0;
    for (int t = 0; t < 2; ++t) {
      int32_t st[3] = {int32_t(r3() % uint32_t(V)), int32_t(r3() % uint32_t(V)), int32_t(r3() % uint32_t(V))};
      std::vector<float> rs = cpu.decode(cc, T3 + t, st, B3, 1, true), gs(rs.size());
      dev->forward(*dc, st, B3, 1, T3 + t, pad3, true, gs.data());
      e = std::fmax(e, relErr(gs.data(), rs.data(), rs.size()));
    }
    expect(name + ": decode after the 3x12 padded prefill", e, tol.logits);
    if (kCountsLaunches) {
      const long long L = spec.numLayers;
      expectTrue(name + ": prefill attention runs causalSoftmax once per layer, not the fused kernel",
                 softmaxPrefill - softmaxBefore == L && fusedPrefill == fusedBefore);
      expectTrue(name + ": decode attention runs the fused kernel once per layer and step, not causalSoftmax",
                 launches("attentionForwardKernel") - fusedPrefill == 2 * L && launches("causalSoftmaxKernel") == softmaxPrefill);
    }
  }

  expectThrows(name + ": a token outside the vocabulary is refused", [&] {
    int32_t bad[2] = {-1, 0};
    auto c = dev->newCache(1, 2);
    std::vector<float> out(size_t(2) * V);
    dev->forward(*c, bad, 1, 2, 0, nullptr, false, out.data());
  });

  // LoRA training: the same adapter on both sides, three steps with dropout, masking, clipping.
  LoraConfig cfg;
  cfg.targets = targets;
  cfg.rank = 3;
  cfg.alpha = 6;
  cfg.dropout = 0.25f;
  cfg.seed = 9;
  cpu.addLora(cfg);
  {
    // A fresh adapter has B = 0; give it values so the first step's gradients reach A too.
    std::mt19937 r2(5);
    std::normal_distribution<float> nd(0.f, 0.05f);
    for (auto& p : cpu.loraParams())
      for (float& v : *p.value) v += nd(r2);
  }
  std::vector<device::LoraSlot> slots = makeLoraSlots(cpu);
  dev->setLora(slots);
  dev->upload(slots, device::kValues);
  compareLora(name + ": adapter upload", cpu, *dev, device::kValues | device::kGrads, 0);

  std::vector<float> mask(size_t(B) * T, 1.f);
  mask[1] = 0.f;
  mask[9] = 0.5f;
  TrainBatch tb;
  tb.tokens = tok.data(); tb.targets = tgt.data(); tb.mask = mask.data(); tb.B = B; tb.T = T;
  AdamWOptions o;
  o.lr = 1e-2f; o.weightDecay = 0.01f; o.maxGradNorm = 0.5f;
  for (int step = 1; step <= 3; ++step) {
    device::TrainInput in;
    in.tokens = tok.data(); in.targets = tgt.data(); in.mask = mask.data(); in.B = B; in.T = T;
    in.dropout = cfg.dropout; in.dropoutCounter = cpu.dropoutCounter(); in.seed = cfg.seed;
    TrainResult rc = cpu.forwardBackward(tb);
    device::TrainOutput rd = dev->forwardBackward(in);
    const std::string at = name + ": step " + std::to_string(step);
    expect(at + " loss", std::fabs(rd.loss - rc.loss) / std::fabs(rc.loss), tol.loss);
    expectTrue(at + " token weight equal", rd.weight == rc.weight);
    compareLora(at, cpu, *dev, device::kGrads, step == 1 ? tol.gradsFirst : tol.grads);
    device::AdamW a;
    a.lr = o.lr; a.weightDecay = o.weightDecay; a.maxGradNorm = o.maxGradNorm; a.step = cpu.optimizerState().step + 1;
    double nc = cpu.optimizerStep(o);
    double nd = dev->optimizerStep(a);
    expect(at + " gradient norm (clipped at 0.5)", std::fabs(nd - nc) / nc, tol.gradNorm);
  }
  std::vector<device::LoraSlot> withMoments = makeLoraSlots(cpu);
  compareLora(name + ": after 3 steps", cpu, *dev, device::kValues | device::kGrads | device::kMoments, tol.factors);

  device::TrainInput ev;
  ev.tokens = tok.data(); ev.targets = tgt.data(); ev.mask = mask.data(); ev.B = B; ev.T = T;
  double lc = cpu.evalLoss(tb).loss, ld = dev->evalLoss(ev).loss;
  expect(name + ": eval loss", std::fabs(ld - lc) / std::fabs(lc), tol.loss);

  // Round trip: the host state uploaded back gives the same eval loss.
  dev->upload(withMoments, device::kValues | device::kMoments);
  expect(name + ": eval loss after re-upload", std::fabs(dev->evalLoss(ev).loss - lc) / std::fabs(lc), tol.loss);

  // Gradient checkpointing: the same micro-batch (same dropout stream position) with and without
  // recomputation gives the same loss and the same gradient bits, holding less memory.
  {
    device::TrainInput in = ev;
    in.dropout = cfg.dropout; in.dropoutCounter = 17; in.seed = cfg.seed;
    std::vector<device::LoraSlot> like = makeLoraSlots(cpu);
    HostLora plain(like), redone(like);
    dev->zeroGrad();
    dev->releaseTrainingBuffers();
    double l0 = dev->forwardBackward(in).loss;
    const size_t keptAll = dev->deviceBytes();
    dev->download(plain.slots, device::kGrads);
    dev->zeroGrad();
    in.checkpoint = true;
    double l1 = dev->forwardBackward(in).loss;
    const size_t keptInputs = dev->deviceBytes();
    dev->download(redone.slots, device::kGrads);
    dev->zeroGrad();
    bool same = l0 == l1;
    for (size_t i = 0; i < like.size(); ++i) {
      const size_t nA = size_t(like[i].rank) * like[i].in, nB = size_t(like[i].out) * like[i].rank;
      same = same && std::memcmp(plain.slots[i].dA, redone.slots[i].dA, nA * 4) == 0 && std::memcmp(plain.slots[i].dB, redone.slots[i].dB, nB * 4) == 0;
    }
    expectTrue(name + ": gradient checkpointing gives the same loss and gradient bits", same);
    expectTrue(name + ": gradient checkpointing holds less device memory (" + std::to_string(keptInputs) + " < " + std::to_string(keptAll) + " bytes)",
               keptInputs < keptAll);
  }

  std::vector<int32_t> badTgt = tgt;
  badTgt[3] = V;
  ev.targets = badTgt.data();
  expectThrows(name + ": a target outside the vocabulary is refused", [&] { dev->forwardBackward(ev); });
  dev->releaseTrainingBuffers();
  ev.targets = tgt.data();
  ev.dropout = 0;
  device::TrainOutput again = dev->forwardBackward(ev);
  expectTrue(name + ": training works after releasing its buffers", std::isfinite(again.loss) && again.loss > 0);
}

}  // namespace

int main() {
  try {
    ModelSpec g;
    g.arch = Arch::Gpt2; g.vocabSize = 53; g.hiddenSize = 24; g.numLayers = 2; g.numHeads = 3; g.numKvHeads = 3; g.headDim = 8;
    g.intermediateSize = 40; g.maxPositions = 16;
    run("gpt2", g, {"c_attn", "c_proj", "c_fc"});
    ModelSpec l;
    l.arch = Arch::Llama; l.vocabSize = 61; l.hiddenSize = 20; l.numLayers = 2; l.numHeads = 6; l.numKvHeads = 2; l.headDim = 6;
    l.intermediateSize = 28; l.maxPositions = 16; l.attentionBias = true; l.tieWordEmbeddings = false;
    l.ropeScaling.enabled = true; l.ropeScaling.factor = 8; l.ropeScaling.originalMaxPositions = 8;
    run("llama (GQA 6/2, qkv bias, RoPE scaling)", l, {"q", "k", "v", "o", "gate", "up", "down"});
    l.tieWordEmbeddings = true;
    l.attentionBias = false;
    run("llama (tied embeddings)", l, {"q", "v"});
    // bf16 mode against the CPU holding the same bf16 weights.
    run("gpt2 bf16", g, {"c_attn", "c_proj", "c_fc"}, device::kBf16);
    l.tieWordEmbeddings = false;
    l.attentionBias = true;
    run("llama bf16 (GQA 6/2, qkv bias, untied head)", l, {"q", "k", "v", "o", "gate", "up", "down"}, device::kBf16);
    l.tieWordEmbeddings = true;
    l.attentionBias = false;
    run("llama bf16 (tied embeddings)", l, {"q", "v"}, device::kBf16);
    // The self-check the addon runs before a GPU takes a model passes at every precision.
    const device::Entry entry = {device::kAbiVersion, [](std::string*) { return 1; },
                                 [](const device::ModelInit& init, int ordinal, std::string*) -> device::Model* { return cuda::createModel(init, ordinal).release(); }};
    for (int p : {device::kFp32, device::kTf32, device::kBf16}) {
      const std::string wrong = deviceSelfTest(entry, p);
      expectTrue("self-check at precision " + std::to_string(p) + (wrong.empty() ? "" : ": " + wrong), wrong.empty());
    }
  } catch (const std::exception& e) {
    std::printf("FAIL model_test: %s\n", e.what());
    return 1;
  }
  std::printf("model_test: %s (%d failure%s)\n", failures ? "FAILED" : "ok", failures, failures == 1 ? "" : "s");
  return failures ? 1 : 0;
}
