// Segmented LoRA (Punica's SGMV / S-LoRA's batched LoRA on the CPU): a batch whose rows use
// different adapters shares every base GEMM, and each run of consecutive rows with one adapter
// ("segment") adds that adapter's product scale·(x·Aᵀ)·Bᵀ. A Linear points at its segments only
// for the length of one decode call (session step with per-row adapters).
#pragma once
#include <memory>
#include <vector>

#include "lora.h"

namespace engine {

struct LoraSegment {
  int row0 = 0, rows = 0;
  const LoraWeights* w = nullptr;  // null: these rows use the base alone
};

// y(rows of each segment, out; stride ldy) += scale·(x·Aᵀ)·Bᵀ, x (N,in). The same two GEMMs the
// single-adapter path runs, on the segment's rows only: each output element sums over k in the
// same order whatever the GEMM height, so a row gets the bits it gets alone with that adapter.
void applyLoraSegments(const std::vector<LoraSegment>& segs, const float* x, int in, int out, float* y, int ldy);

// A set of adapters for one model, indexed by the model's linears in their fixed order (each
// layer's linears(), layer by layer); a slot is null where the adapter leaves the linear alone.
struct LoraBankEntry {
  std::vector<std::unique_ptr<LoraWeights>> perLinear;
};

}  // namespace engine
