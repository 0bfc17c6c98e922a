// The boundary between the engine (CPU, always built into the addon) and an accelerator backend
// loaded at run time: libstudio_cuda.so, built by nvcc when it is present (tools/cuda-build.sh)
// and opened with dlopen only when a GPU backend is asked for, so the addon itself never links
// CUDA and loads on any machine.
//
// Only this header is shared by the two sides: plain structs, host pointers, and one abstract
// class whose virtual calls go into the library (no symbol of either side is resolved by the
// other). Both sides are built with the same host compiler (nvcc uses g++), so std::string and
// std::vector cross the boundary safely; kAbiVersion guards against a stale library.
//
// The device model mirrors engine::Model (model.h) call for call; engine::Model delegates to it
// when a device is attached (model_device.cpp) and keeps the host copies of the LoRA factors,
// gradients and optimizer moments in sync on demand (saving, projection, checkpoints).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace engine {
namespace device {

constexpr int kAbiVersion = 3;

// ModelInit::precision: how the frozen base weights are multiplied.
//   kFp32: f32 weights, f32 products (the reference; agrees with the CPU to f32 rounding).
//   kTf32: f32 weights, cuBLAS may use TF32 tensor cores for every f32 product (~1e-3 relative).
//   kBf16: mixed precision like PyTorch's bf16 autocast of the frozen model: every linear W, the
//          token embedding and an untied LM head are stored on the device as bf16 (half the
//          memory); products with them round the activation operand to bf16 and accumulate in
//          f32. Everything else (norms, biases, attention, loss, LoRA, gradients, AdamW) is f32.
constexpr int kFp32 = 0, kTf32 = 1, kBf16 = 2;

struct Spec {
  int arch = 0;  // 0 GPT-2, 1 Llama family
  int vocabSize = 0, hiddenSize = 0, numLayers = 0, numHeads = 0, numKvHeads = 0, headDim = 0;
  int intermediateSize = 0, maxPositions = 0;
  float normEps = 1e-5f;
};

// Every pointer below is host memory, row-major f32, valid for the duration of the call.
struct LinearInit {
  int in = 0, out = 0;
  const float* W = nullptr;     // (out,in)
  const float* bias = nullptr;  // (out) or null
};

struct LayerInit {
  const float* norm1W = nullptr;
  const float* norm1B = nullptr;  // LayerNorm bias (GPT-2) or null
  const float* norm2W = nullptr;
  const float* norm2B = nullptr;
  // In Layer::linears() order: GPT-2 [c_attn, attn.c_proj, c_fc, mlp.c_proj];
  // Llama [q, k, v, o, gate, up, down].
  std::vector<LinearInit> linears;
};

struct ModelInit {
  Spec spec;
  const float* wte = nullptr;      // (V,C)
  const float* wpe = nullptr;      // (P,C), GPT-2 only
  const float* lnfW = nullptr;
  const float* lnfB = nullptr;     // GPT-2 only
  const float* lmHead = nullptr;   // (V,C), null when tied to wte
  const float* ropeCos = nullptr;  // (maxPositions, headDim/2), Llama only
  const float* ropeSin = nullptr;
  std::vector<LayerInit> layers;
  int precision = kFp32;  // kFp32, kTf32 or kBf16 (above)
};

// One LoRA-adapted linear: where it is, its shape, and host buffers for transfers. Factor and
// gradient pointers have A (rank,in) and B (out,rank) shapes; moment pointers may be null when
// the optimizer has no state yet (then the device moments are zeroed on upload).
struct LoraSlot {
  int layer = 0, linear = 0;  // linear: index in LayerInit::linears
  int in = 0, out = 0, rank = 0;
  float scale = 1.f;
  float *A = nullptr, *B = nullptr, *dA = nullptr, *dB = nullptr;
  float *mA = nullptr, *vA = nullptr, *mB = nullptr, *vB = nullptr;
};

enum Parts : unsigned { kValues = 1, kGrads = 2, kMoments = 4 };

// One micro-batch, host memory, as engine::TrainBatch.
struct TrainInput {
  const int32_t* tokens = nullptr;   // (B,T)
  const int32_t* targets = nullptr;  // (B,T), negative = not trained on
  const float* mask = nullptr;       // (B,T) or null
  int B = 0, T = 0;
  double normalizer = 0;             // 0: the weight sum
  float dropout = 0;                 // LoRA dropout probability used by this pass (0: none)
  uint64_t dropoutCounter = 0;       // the dropout stream position (engine::Model::dropoutCounter)
  uint64_t seed = 0;                 // LoraConfig::seed
  // Gradient checkpointing: keep only each layer's input in the forward and recompute the layer
  // during backward (same inputs, same dropout keys: the same gradients, less device memory).
  bool checkpoint = false;
};

struct TrainOutput {
  double loss = 0, weight = 0;  // as engine::TrainResult
};

struct AdamW {
  float lr = 1e-4f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f, weightDecay = 0.f, maxGradNorm = 0.f;
  int64_t step = 1;  // the step being taken (1 for the first), for bias correction
};

// A KV cache living on the device (B rows, `capacity` slots per row).
class Cache {
 public:
  virtual ~Cache() = default;
};

class Model {
 public:
  virtual ~Model() = default;
  // e.g. "cuda:0 NVIDIA H100 80GB HBM3, sm_90, 79.1 GiB; cublas 13.1"
  virtual std::string describe() const = 0;
  virtual size_t deviceBytes() const = 0;  // bytes held on the device now

  virtual std::unique_ptr<Cache> newCache(int B, int capacity) = 0;
  // Appends T tokens per row at slots [pos0, pos0+T) and writes logits (B,T,V), or (B,V) of the
  // last position when lastOnly, to host memory. pad: host (B) left padding per row, or null.
  virtual void forward(Cache& cache, const int32_t* tokens, int B, int T, int pos0, const int* pad, bool lastOnly, float* logits) = 0;

  // Declares the adapted linears (device buffers allocated, everything zeroed); then upload.
  virtual void setLora(const std::vector<LoraSlot>& slots) = 0;
  virtual void upload(const std::vector<LoraSlot>& slots, unsigned parts) = 0;
  virtual void download(const std::vector<LoraSlot>& slots, unsigned parts) = 0;
  virtual void zeroGrad() = 0;

  // As engine::Model: gradients accumulate on the device. A non-finite loss is returned as it is,
  // with the gradients untouched (the caller reports it: the forward ran, so the dropout stream
  // advances, as on the CPU); bad input throws before anything runs.
  virtual TrainOutput forwardBackward(const TrainInput& b) = 0;
  virtual TrainOutput evalLoss(const TrainInput& b) = 0;
  // Clips to maxGradNorm, updates factors and moments, zeroes gradients; returns the pre-clip
  // norm. Throws (nothing updated) when the norm is not finite.
  virtual double optimizerStep(const AdamW& o) = 0;
  virtual void releaseTrainingBuffers() = 0;
};

// What libstudio_cuda.so exports as `studio_device_entry` (extern "C").
struct Entry {
  int abiVersion;
  // Number of usable devices; 0 with *why set when there is none (no driver, no GPU).
  int (*deviceCount)(std::string* why);
  // Uploads the model to device `ordinal`; null with *error set on failure.
  Model* (*create)(const ModelInit& init, int ordinal, std::string* error);
};

}  // namespace device
}  // namespace engine

extern "C" {
typedef const engine::device::Entry* (*StudioDeviceEntryFn)();
}
