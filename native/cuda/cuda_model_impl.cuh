// The CUDA model's private declarations, shared by its two halves as the CPU model's are
// (model.h): cuda_model.cu (construction, the forward pass, decoding) and
// cuda_model_training.cu (LoRA state, the loss, backward, the optimizer).
#pragma once
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "../src/rng.h"
#include "blas.cuh"
#include "cuda_model.cuh"
#include "device_buffer.cuh"
#include "launch.cuh"
#include "ops.cuh"

namespace engine {
namespace cuda {
namespace model_impl {

using Buf = DeviceBuffer<float>;
using Buf16 = DeviceBuffer<bf16_t>;

inline void require(bool ok, const std::string& msg) {
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
  std::vector<DevActs> acts_;       // numLayers + 1 (the last: final norm input and statistics)
  std::unique_ptr<DevActs> redo_;  // one layer's recomputed activations (gradient checkpointing)
  Buf logits_, dres_, dn_, dg_, dh_, dy_, dqkv_, dK_, dV_, dS_, tmpGrad_;
  DeviceBuffer<int32_t> tokens_, targets_, pad_, rows_;
  Buf mask_;
  DeviceBuffer<double> rowLoss_, norm_;
};

}  // namespace model_impl
}  // namespace cuda
}  // namespace engine
