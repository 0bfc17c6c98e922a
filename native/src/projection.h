// Random projection of LoRA gradients to k dimensions, for attribution: p = R·g with R (k, P)
// made of ±1/sqrt(k) entries (Rademacher), so E‖p‖² = ‖g‖² and inner products are preserved in
// expectation (Johnson-Lindenstrauss). R is never stored: entry (j, i) is bit j%64 of
// mix64(seed, i, j/64), so any process can project with the same matrix from the seed alone.
// Cost: P·k adds plus P·k/64 hashes; each output sums over i in order (deterministic).
#pragma once
#include <cstdint>
#include <vector>

namespace engine {

// Projects the concatenation of `parts` (one logical vector of length sum of sizes) to k values.
void randomProject(const std::vector<const std::vector<float>*>& parts, int k, uint64_t seed, float* out);

}  // namespace engine
