// The CUDA backend's self-check: before a GPU takes a user's model, the backend runs a tiny GPT-2
// and a tiny Llama (GQA, qkv bias, scaled RoPE) built in memory and must give the CPU engine's
// answers: full-forward logits, a KV-cache decode step, and one LoRA training step's loss and
// gradients. Why: CI builds and tests the backend against a host emulator of CUDA; a driver, a
// cuBLAS build or a GPU generation that computes differently must not silently change results.
// Failing it makes 'auto' fall back to the CPU (with the reason) and 'cuda' throw.
#pragma once
#include <string>

#include "device_model.h"

namespace engine {

// Empty when the backend agrees with the CPU at `precision` (device_model.h kFp32/kTf32/kBf16),
// else what differed and by how much. Run once per process and precision; later calls return
// the first answer.
std::string deviceSelfTest(const device::Entry& entry, int precision);

}  // namespace engine
