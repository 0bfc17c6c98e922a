// Per-record hashes of datanet imports, the native twins of main/datanets (the TypeScript stays
// the reference; native/test compares the two on random and adversarial records):
// - keccak256: Keccak-256 (the pre-SHA-3 padding Ethereum uses) of bytes; the record hash is
//   keccak256 of the UTF-8 of the canonical content JSON (mapRow.ts).
// - minhashSignature: minhashSignature.ts on a normalised text given as UTF-16 code units (what
//   its JS string holds): words split on U+0020, word 3-shingles hashed by FNV-1a over code
//   units, slot s the minimum of fmix32(shingle ^ seed_s).
#pragma once
#include <cstddef>
#include <cstdint>

namespace engine {

constexpr int kMinhashSlots = 128;

void keccak256(const uint8_t* data, size_t len, uint8_t out[32]);
// Which implementation of MinHash's slot loop runs (all give the same signature): Auto picks the
// widest the CPU has; the others let the tests hold each one to the reference.
enum class MinhashKernel { Auto, Scalar, Avx2, Avx512 };
bool minhashKernelAvailable(MinhashKernel k);

void minhashSignature(const uint16_t* text, size_t len, uint32_t out[kMinhashSlots], MinhashKernel kernel = MinhashKernel::Auto);
// The same of a text of ASCII characters given as bytes (its code units are its bytes).
void minhashSignature(const char* text, size_t len, uint32_t out[kMinhashSlots], MinhashKernel kernel = MinhashKernel::Auto);

}  // namespace engine
