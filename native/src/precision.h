// Element types of stored tensors (safetensors dtypes, and the precisions frozen weights may be
// kept in) with their scalar conversions. Widening (f16/bf16 -> f32) is exact; narrowing rounds to
// nearest, ties to even, as torch's .half() / .bfloat16() do, so a value loaded from an f16 or
// bf16 file and narrowed again keeps its bits.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace engine {

enum class Dtype { F32, F16, BF16 };

// f32 -> IEEE binary16, round to nearest even; overflow -> inf, NaN stays NaN (quiet).
inline uint16_t floatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u, ax = x & 0x7FFFFFFFu;
  if (ax > 0x7F800000u) return uint16_t(sign | 0x7E00u);  // NaN
  if (ax >= 0x477FF000u) return uint16_t(sign | 0x7C00u);  // >= 65520 (halfway past 65504): inf
  if (ax < 0x38800000u) {                                    // below 2^-14: subnormal half or 0
    // |f|·2^24 counts units of 2^-24 (exact: a power-of-two scaling); round half to even.
    float v;
    uint32_t ab = ax;
    std::memcpy(&v, &ab, 4);
    v *= 16777216.f;
    uint32_t q = uint32_t(v);
    float rem = v - float(q);
    if (rem > 0.5f || (rem == 0.5f && (q & 1))) ++q;
    return uint16_t(sign | q);  // q == 1024 is the smallest normal, encoded the same way
  }
  uint32_t h = (ax - 0x38000000u) >> 13;  // rebias 127 -> 15, keep 10 mantissa bits
  const uint32_t rem = ax & 0x1FFFu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1))) ++h;  // a carry into the exponent is right
  return uint16_t(sign | h);
}

// f32 -> bfloat16, round to nearest even; NaN stays NaN (quiet).
inline uint16_t floatToBf16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  if ((x & 0x7FFFFFFFu) > 0x7F800000u) return uint16_t((x >> 16) | 0x40u);
  x += 0x7FFFu + ((x >> 16) & 1u);
  return uint16_t(x >> 16);
}

inline float bf16Widen(uint16_t h) {
  uint32_t bits = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// binary16 -> f32 (exact), branch-light for the packing loops.
inline float halfWiden(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  const uint32_t em = h & 0x7FFFu;
  uint32_t bits;
  if (em >= 0x7C00u) bits = sign | 0x7F800000u | (uint32_t(em & 0x3FFu) << 13);  // inf / NaN
  else if (em >= 0x0400u) bits = sign | ((em << 13) + 0x38000000u);              // normal
  else {                                                                         // zero / subnormal
    float v = float(em) * (1.f / 16777216.f);  // em units of 2^-24, exact
    std::memcpy(&bits, &v, 4);
    bits |= sign;
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// Element i of a row-major array of type d, widened to f32.
inline float loadAsFloat(const void* p, Dtype d, size_t i) {
  if (d == Dtype::F32) return static_cast<const float*>(p)[i];
  const uint16_t h = static_cast<const uint16_t*>(p)[i];
  return d == Dtype::F16 ? halfWiden(h) : bf16Widen(h);
}

}  // namespace engine
