// GPU benchmark of the CUDA backend: a LoRA training step and a forward pass at the GPT-2-124M
// shape of bench/engineTrain.ts (batch 4, seq 256, rank 16 on c_attn, c_proj and c_fc, random
// weights built in memory), in C++ so that it runs on a GPU machine without Node.js. Built and
// run by bench/gpu/run.sh beside PyTorch + PEFT (bench/gpu/peft_lora_step.py). Prints JSON.
//
//   train_bench [--layers L] [--reps R] [--precision fp32|tf32|bf16]
//
// --precision is device::ModelInit::precision (default fp32); bf16 keeps the frozen weights in bf16
// with bf16 x bf16 -> f32 products (device_model.h), as PyTorch's bf16 autocast does.
//
// FLOPs are counted as in engineTrain.ts: no base-weight gradients.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../../src/tiny_weights.h"
#include "../../src/device_init.h"
#include "../../src/model.h"
#include "../cuda_model.cuh"

using namespace engine;

int main(int argc, char** argv) {
  int L = 12, reps = 10;
  std::string precision = "fp32";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--layers" && i + 1 < argc) L = std::atoi(argv[++i]);
    else if (a == "--reps" && i + 1 < argc) reps = std::atoi(argv[++i]);
    else if (a == "--precision" && i + 1 < argc) precision = argv[++i];
    else {
      std::fprintf(stderr, "usage: train_bench [--layers L] [--reps R] [--precision fp32|tf32|bf16]\n");
      return 2;
    }
  }
  if (precision != "fp32" && precision != "tf32" && precision != "bf16") {
    std::fprintf(stderr, "train_bench: --precision must be fp32, tf32 or bf16, not '%s'\n", precision.c_str());
    return 2;
  }
  const int B = 4, T = 256, rank = 16, C = 768, H = 12, D = 64, I = 3072, V = 50257, P = 1024;
  try {
    ModelSpec s;
    s.arch = Arch::Gpt2; s.vocabSize = V; s.hiddenSize = C; s.numLayers = L; s.numHeads = H; s.numKvHeads = H; s.headDim = D;
    s.intermediateSize = I; s.maxPositions = P;
    std::mt19937 rng(1);
    Model cpu(s, testing::tinyWeights(rng, s, 0.02f));
    LoraConfig cfg;
    cfg.targets = {"c_attn", "c_proj", "c_fc"};
    cfg.rank = rank;
    cfg.alpha = 32;
    cfg.seed = 1;
    cpu.addLora(cfg);
    std::vector<std::vector<float>> keep;
    device::ModelInit init = makeDeviceInit(cpu, keep);
    init.precision = precision == "bf16" ? device::kBf16 : precision == "tf32" ? device::kTf32 : device::kFp32;
    std::unique_ptr<device::Model> dev = cuda::createModel(init, 0);
    keep.clear();
    std::vector<device::LoraSlot> slots = makeLoraSlots(cpu);
    dev->setLora(slots);
    dev->upload(slots, device::kValues);

    const int N = B * T;
    std::vector<int32_t> tok(N), tgt(N);
    for (int i = 0; i < N; ++i) tok[size_t(i)] = int32_t(rng() % uint32_t(V));
    for (int i = 0; i < N; ++i) tgt[size_t(i)] = tok[size_t((i + 1) % N)];
    device::TrainInput in;
    in.tokens = tok.data(); in.targets = tgt.data(); in.B = B; in.T = T;
    device::AdamW o;
    o.lr = 1e-4f; o.maxGradNorm = 1.f;
    auto seconds = [](auto f) {
      auto t0 = std::chrono::steady_clock::now();
      f();
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    auto median = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
    for (int i = 0; i < 3; ++i) dev->evalLoss(in);
    std::vector<double> fwd, step;
    for (int i = 0; i < reps; ++i) fwd.push_back(seconds([&] { dev->evalLoss(in); }));
    double loss = 0;
    for (int i = 0; i < 3 + reps; ++i) {
      o.step = i + 1;
      double t = seconds([&] { loss = dev->forwardBackward(in).loss; dev->optimizerStep(o); });
      if (i >= 3) step.push_back(t);
    }
    const double linear = double(L) * (C * 3.0 * C + C * double(C) + C * double(I) + I * double(C));
    const double lora = double(L) * rank * ((C + 3.0 * C) + (C + C) + (C + I) + (I + C));
    const double attn = double(L) * 4 * B * H * double(T) * T * D;
    const double fwdFlops = 2.0 * N * linear + 2.0 * N * V * C + attn + 2.0 * N * lora;
    const double stepFlops = fwdFlops + 2.0 * N * linear + 2.0 * N * V * C + 2 * attn + 8.0 * N * lora;
    const double tf = median(fwd), ts = median(step);
    std::printf("{\"bench\":\"cudaTrainBench\",\"device\":\"%s\",\"precision\":\"%s\",\"shape\":{\"layers\":%d,\"batch\":%d,\"seq\":%d,\"rank\":%d},"
                "\"forward\":{\"seconds\":%.5f,\"tokensPerSecond\":%.0f,\"tflops\":%.2f},"
                "\"trainStep\":{\"seconds\":%.5f,\"tokensPerSecond\":%.0f,\"tflops\":%.2f,\"loss\":%.4f},"
                "\"stepOverForward\":%.3f,\"deviceBytes\":%zu}\n",
                dev->describe().c_str(), precision.c_str(), L, B, T, rank, tf, N / tf, fwdFlops / tf / 1e12, ts, N / ts, stepFlops / ts / 1e12, loss,
                ts / tf, dev->deviceBytes());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "train_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
