// The decoder-only transformer shared by GPT-2 and the Llama family: one forward (with a KV cache
// for decoding, and with saved activations for training) and one backward that produces
// activation gradients and LoRA gradients (the base frozen, no gradient buffers), or, in
// full-parameter training (full_training.cpp), the gradients of every weight.
//
// Layout conventions: activations are row-major (N,C) with N = B*T; every base weight is stored
// (out,in) as nn.Linear does (GPT-2's Conv1D [in,out] is transposed when loaded, see gpt2.h).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adamw.h"
#include "device_model.h"
#include "lora.h"
#include "lora_segments.h"
#include "safetensors.h"
#include "weightmatrix.h"

namespace engine {

enum class Arch { Gpt2, Llama };

struct RopeScaling {
  bool enabled = false;  // Llama-3 style
  double factor = 1, lowFreqFactor = 1, highFreqFactor = 4, originalMaxPositions = 8192;
};

// Precision frozen weights (linear layers, embeddings, LM head) are kept in. File: each as its
// file stores it (f16/bf16 files stay half size, losslessly). Norms, biases and GPT-2's learned
// positions stay f32 (they are small).
enum class WeightStorage { File, F32, F16, BF16 };

struct ModelSpec {
  Arch arch = Arch::Gpt2;
  int vocabSize = 0, hiddenSize = 0, numLayers = 0, numHeads = 0, numKvHeads = 0, headDim = 0;
  int intermediateSize = 0, maxPositions = 0;
  float normEps = 1e-5f;
  double ropeTheta = 10000;
  RopeScaling ropeScaling;
  bool tieWordEmbeddings = true;
  bool attentionBias = false;
  WeightStorage weightStorage = WeightStorage::File;
};

struct Linear {
  std::string kind;  // LoRA target name: c_attn, c_proj, c_fc, mlp.c_proj / q,k,v,o,gate,up,down
  std::string peftName;  // module path as PEFT names it, e.g. model.layers.0.self_attn.q_proj
  int in = 0, out = 0;
  WeightMatrix W;           // (out,in)
  std::vector<float> bias;  // (out) or empty
  std::unique_ptr<LoraWeights> lora;
  // Full-parameter training only (empty otherwise): dWt (in,out) = Wᵀ's gradient, the layout one
  // GEMM writes it in (Xᵀ·dY), and the bias gradient (out).
  std::vector<float> dWt, dBias;
  // Set only during a decode with per-row adapters (SessionWrap): replaces `lora` for that call.
  const std::vector<LoraSegment>* segments = nullptr;
};

struct Layer {
  std::vector<float> norm1W, norm1B, norm2W, norm2B;  // B only for LayerNorm (GPT-2)
  std::vector<float> dNorm1W, dNorm1B, dNorm2W, dNorm2B;  // full-parameter training only
  // Attention input projections write side by side into one (N, qkvWidth) buffer:
  // GPT-2: [c_attn] (q|k|v fused); Llama: [q, k, v].
  std::vector<Linear> qkv;
  Linear o;
  // MLP input projections, side by side in one buffer: GPT-2 [c_fc]; Llama [gate, up].
  std::vector<Linear> mlpIn;
  Linear down;
  std::vector<Linear*> linears();  // fixed order: qkv..., o, mlpIn..., down
};

struct KVCache {
  int batch = 0, capacity = 0;
  std::vector<std::vector<float>> k, v;  // per layer (B, KV, capacity, D)
  // (B) leading padding slots per row (left-padded prompts of different lengths); empty = none.
  // Row b's slots [0, pad[b]) are masked out of attention for its later queries, and the token
  // in slot p has position id p - pad[b] (learned positions / RoPE).
  std::vector<int> pad;
  // With a device attached (Model::attachDevice) the cache lives there and k/v stay empty.
  std::shared_ptr<device::Cache> dev;
};

struct LayerActs;     // saved activations of one layer for backward (layer_ops.h)
struct LayerScratch;  // work buffers of one forward pass (layer_ops.h)

struct TrainBatch {
  const int32_t* tokens = nullptr;   // (B,T) inputs
  const int32_t* targets = nullptr;  // (B,T) next-token ids; negative = not trained on
  const float* mask = nullptr;       // (B,T) optional per-token weight (1 = train, 0 = skip)
  int B = 0, T = 0;
  double normalizer = 0;  // loss = sum(weighted token losses) / normalizer; 0: the weight sum
  bool dropout = true;    // false: no LoRA dropout and the dropout stream is not advanced
  int checkpoint = -1;    // gradient checkpointing for this call: 1 on, 0 off, -1 the LoRA config's
};

// Full-parameter training (full_training.cpp): every weight trainable, no adapter.
struct FullTrainConfig {
  // As LoraConfig's: keep only each layer's input, recompute the layer in backward (same bits).
  bool gradientCheckpointing = false;
};

struct TrainResult {
  double loss = 0;     // sum / normalizer
  double weight = 0;   // sum of token weights counted
};

class Model {
 public:
  Model(const ModelSpec& spec, std::map<std::string, Tensor>&& tensors);
  ~Model();

  const ModelSpec& spec() const { return spec_; }

  // logits (B,T,V) of a full forward pass from position 0 (LoRA applied when present, no dropout).
  std::vector<float> forward(const int32_t* tokens, int B, int T);

  // Incremental decoding: appends T tokens per sequence to the cache at slots [pos0, pos0+T)
  // and returns logits (B,T,V), or only the last position's (B,V). cache.pad gives per-row
  // left padding (see KVCache).
  KVCache newCache(int B, int capacity) const;
  std::vector<float> decode(KVCache& cache, int pos0, const int32_t* tokens, int B, int T, bool lastOnly);

  // LoRA
  void addLora(const LoraConfig& cfg);
  bool hasLora() const { return hasLora_; }
  const LoraConfig& loraConfig() const { return loraCfg_; }
  // PEFT-named parameters, e.g. base_model.model.<module>.lora_A.weight, in a fixed order.
  struct NamedParam { std::string name; std::vector<int64_t> shape; std::vector<float>* value; std::vector<float>* grad; };
  std::vector<NamedParam> loraParams();

  // Full-parameter training: all weights widened to f32 (the master copy the optimizer updates),
  // gradient buffers for every parameter. Exclusive with an adapter; CPU only (throws with a
  // device attached: the device model has no weight gradients).
  void enableFullTraining(const FullTrainConfig& cfg);
  bool fullTraining() const { return fullTraining_; }
  // Every trainable parameter as the model's files name and lay it out (full_training.cpp).
  struct FullParam {
    std::string name;
    std::vector<int64_t> shape;  // as in the file
    WeightMatrix* matrix = nullptr;  // a panel-stored matrix (rows,cols) ...
    std::vector<float>* vec = nullptr;  // ... or a plain array
    bool fileTransposed = false;  // the file holds the matrix (cols,rows) (GPT-2 Conv1D)
    bool decay = true;            // weight decay applies (not to norms and biases)
    std::vector<float>* grad = nullptr;  // matrix: (cols,rows) row-major (= Wᵀ); vector: as vec
    size_t size() const { return matrix ? size_t(matrix->rows) * matrix->cols : vec->size(); }
  };
  std::vector<FullParam> fullParams();
  // A parameter's value / gradient / moment (0 value, 1 grad, 2 m, 3 v) in the file's layout,
  // and back. Both are exact permutations.
  std::vector<float> fullParamRead(const FullParam& p, int what);
  void fullParamWrite(const FullParam& p, int what, const float* src);
  // GPT-2 tensor names carry this prefix when the file had it ("transformer." or "").
  std::string gpt2Prefix;

  // Forward + backward on one micro-batch; gradients accumulate into the LoRA grads.
  TrainResult forwardBackward(const TrainBatch& b);
  // Loss only (eval), no dropout, no gradients.
  TrainResult evalLoss(const TrainBatch& b);
  void zeroGrad();
  // For each sequence of the batch alone: the gradient of its loss (mean over its counted tokens,
  // no dropout) w.r.t. all LoRA factors, randomly projected to k values (see projection.h).
  // Returns (B,k). Accumulated gradients and the dropout stream are left as they were.
  std::vector<float> projectedExampleGrads(const TrainBatch& b, int k, uint64_t seed);
  // For one sequence (b.B == 1): for every position whose target is >= 0 (and whose mask, if
  // given, is non-zero), the gradient of log p(target | prefix) w.r.t. all LoRA factors, projected
  // to k values. Returns (count, k) in position order; `positions` receives the positions.
  std::vector<float> projectedTokenGrads(const TrainBatch& b, int k, uint64_t seed, std::vector<int>& positions);
  // AdamW on the LoRA parameters, then zeroes the gradients. Returns the pre-clip grad norm.
  double optimizerStep(const AdamWOptions& o);
  AdamWState& optimizerState() { return opt_; }
  uint64_t& dropoutCounter() { return dropoutCounter_; }

  // Accelerator backend (model_device.cpp). Once attached, decoding, forward and training run
  // on the device; the host keeps the LoRA factors, gradients and optimizer moments as copies
  // brought up to date on demand: syncFromDevice before reading them, syncToDevice after
  // writing them (device::Parts bits). Without a device both are no-ops.
  void attachDevice(std::unique_ptr<device::Model> d);
  device::Model* device() const { return device_.get(); }
  std::string backendName() const;
  void syncFromDevice(unsigned parts);
  void syncToDevice(unsigned parts);
  // RoPE tables (maxPositions, headDim/2); empty for GPT-2.
  const std::vector<float>& ropeCos() const { return ropeCos_; }
  const std::vector<float>& ropeSin() const { return ropeSin_; }

 private:
  // acts (numLayers+1 entries; the last holds the final norm's input) are filled when training.
  // checkpoint: acts keep only each layer's input (xin); backward recomputes the rest per layer.
  void runForward(const int32_t* tokens, int B, int T, int pos0, KVCache& cache, std::vector<LayerActs>* acts, bool train, float* logits, bool lastOnly, bool checkpoint = false);
  void layerForward(int l, std::vector<float>& x, int B, int T, int pos0, const int* pad, float* Kc, float* Vc, int cap, LayerActs* A, bool train, float dropout, uint64_t dropCounter, LayerScratch& S);
  void checkTokens(const int32_t* tokens, int64_t n) const;
  void buildRope();
  // The device paths of the public calls (model_device.cpp).
  KVCache deviceNewCache(int B, int capacity) const;
  std::vector<float> deviceForward(const int32_t* tokens, int B, int T);
  std::vector<float> deviceDecode(KVCache& cache, int pos0, const int32_t* tokens, int B, int T, bool lastOnly);
  void deviceAddLora();
  TrainResult deviceForwardBackward(const TrainBatch& b);
  TrainResult deviceEvalLoss(const TrainBatch& b);
  double deviceOptimizerStep(const AdamWOptions& o);
  // The CPU path's input checks (sizes, targets, token ids), before anything runs on the device.
  void checkTrainBatch(const TrainBatch& b, const char* what) const;

  ModelSpec spec_;
 public:
  // Weights (filled by the architecture loaders in gpt2.cpp / llama.cpp).
  WeightMatrix wte;          // (V,C)
  std::vector<float> wpe;    // (P,C), GPT-2 only
  std::vector<float> lnfW, lnfB;
  WeightMatrix lmHead;       // (V,C) when not tied
  // Full-parameter training only: dWte (C,V) (= wteᵀ's gradient, the tied head's too), dWpe (P,C),
  // the final norm's, dLmHead (C,V).
  std::vector<float> dWte, dWpe, dLnfW, dLnfB, dLmHead;
  std::vector<Layer> layers;
 private:
  std::vector<float> ropeCos_, ropeSin_;  // (maxPositions, D/2)
  bool hasLora_ = false;
  LoraConfig loraCfg_;
  bool fullTraining_ = false;
  FullTrainConfig fullCfg_;
  double fullOptimizerStep(const AdamWOptions& o);
  // Gradients of the head, final norm and embeddings after backward reached x0 (full training).
  void fullHeadBackward(const float* n, const float* dlogits, int N);
  void fullEmbeddingBackward(const int32_t* tokens, const float* dx, int B, int T);
  AdamWState opt_;
  uint64_t dropoutCounter_ = 0;  // counts training micro-batches: the dropout stream
  std::shared_ptr<device::Model> device_;  // shared with the device caches (freed after them)
  bool deviceMoments_ = false;            // the device holds optimizer moments (not all on the host)
  // Training buffers kept between micro-batches: refilling warm memory is cheaper than fresh
  // pages every step (hundreds of MB at GPT-2 size). releaseTrainingBuffers() frees them.
  std::unique_ptr<std::vector<LayerActs>> trainActs_;
  std::vector<float> logitsBuf_;
 public:
  void releaseTrainingBuffers();
 private:
  const WeightMatrix& headWeight() const { return lmHead.empty() ? wte : lmHead; }
 public:
  // Bytes held by the frozen weights (all precisions), for info() and the memory figures.
  size_t weightBytes() const;
};

// Architecture loaders: map Hugging Face tensor names onto the model, checking every shape.
void loadGpt2Weights(Model& m, std::map<std::string, Tensor>& t);
void loadLlamaWeights(Model& m, std::map<std::string, Tensor>& t);

}  // namespace engine
