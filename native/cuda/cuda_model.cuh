// The CUDA implementation of device::Model (src/device_model.h): the decoder of src/model.cpp
// and the LoRA training pass of src/model_training.cpp, step for step, with activations, KV
// caches, LoRA factors, gradients and AdamW moments resident on the GPU. The frozen weights are
// uploaded once; matrix products go through Blas (cuBLAS when it loads), the rest through
// ops.cuh. ModelInit::precision picks how products with the frozen weights run:
//   fp32  weights f32, f32 products: agrees with the CPU model to f32 rounding.
//   tf32  as fp32, but cuBLAS may use TF32 tensor cores for every f32 product (~1e-3 relative).
//   bf16  mixed precision as PyTorch's bf16 autocast of the frozen model: every linear W, the
//         token embedding and an untied LM head live on the device as bf16 (rounded once, to
//         nearest even: half the memory); each product with them rounds its activation operand
//         to bf16 (roundToBf16), multiplies in bf16 and sums in f32 (Blas::gemmBf16), forward and
//         backward (dX = dY·W with dY rounded); the embedding lookup widens the bf16 row. Norms,
//         biases, attention, softmax, loss, the LoRA factors and their products, gradients and
//         AdamW moments stay f32. Compared with the CPU model holding the same bf16 weights
//         (weightDtype 'bf16'), only the activation rounding differs: ~1e-2 relative
//         (test/model_test.cpp).
// Attention: decoding (T = 1, no training) runs ops.cuh's fused attentionForward over the KV
// cache; prefill (T > 1) and training compute it as layer_ops.cpp does, products per (sequence,
// head) through Blas::gemmBatched with the probabilities (B,H,T,Tk) materialised (causalSoftmax,
// and softmaxBackward in training), so they run on cuBLAS (TF32 tensor cores in tf32 mode).
// Gradient checkpointing (TrainInput::checkpoint) keeps each layer's input and recomputes the
// layer in backward, as the CPU model does. The one difference from the CPU model: f32 sums run
// in another order (results agree within rounding, not bit for bit; test/model_test.cpp states
// the tolerances).
#pragma once
#include <memory>

#include "../src/device_model.h"

namespace engine {
namespace cuda {

std::unique_ptr<device::Model> createModel(const device::ModelInit& init, int ordinal);

}  // namespace cuda
}  // namespace engine
