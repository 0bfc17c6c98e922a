// The CUDA implementation of device::Model (src/device_model.h): the decoder of src/model.cpp
// and the LoRA training pass of src/model_training.cpp, step for step, with activations, KV
// caches, LoRA factors, gradients and AdamW moments resident on the GPU. The frozen weights are
// uploaded once as f32; matrix products go through Blas (cuBLAS when it loads), the rest through
// ops.cuh. Differences from the CPU model: gradient checkpointing is not implemented (all
// activations are kept), and f32 sums run in another order (results agree within rounding, not
// bit for bit; test/model_test.cpp states the tolerances).
#pragma once
#include <memory>

#include "../src/device_model.h"

namespace engine {
namespace cuda {

std::unique_ptr<device::Model> createModel(const device::ModelInit& init, int ordinal);

}  // namespace cuda
}  // namespace engine
