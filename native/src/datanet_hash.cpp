#include "datanet_hash.h"

// The MinHash slot loop has AVX2 and AVX-512 versions chosen at run time (as gemm.cpp's kernels
// are); elsewhere only the portable loop is built.
#if defined(__GNUC__) && defined(__x86_64__)
#define DATANET_X86 1
#include <immintrin.h>
#else
#define DATANET_X86 0
#endif

#include <algorithm>
#include <cstring>
#include <vector>

namespace engine {
namespace {

constexpr uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL, 0x000000000000808bULL,
    0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL, 0x0000000000000088ULL,
    0x0000000080008009ULL, 0x000000008000000aULL, 0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
    0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};
// Rotation of lane (x, y) and the pi step's order of lanes, as in the Keccak reference.
constexpr int kRho[24] = {1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44};
constexpr int kPi[24] = {10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1};

inline uint64_t rotl(uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

void keccakF(uint64_t st[25]) {
  uint64_t bc[5];
  for (int round = 0; round < 24; round++) {
    for (int i = 0; i < 5; i++) bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
    for (int i = 0; i < 5; i++) {
      uint64_t t = bc[(i + 4) % 5] ^ rotl(bc[(i + 1) % 5], 1);
      for (int j = 0; j < 25; j += 5) st[j + i] ^= t;
    }
    uint64_t t = st[1];
    for (int i = 0; i < 24; i++) {
      int j = kPi[i];
      uint64_t tmp = st[j];
      st[j] = rotl(t, kRho[i]);
      t = tmp;
    }
    for (int j = 0; j < 25; j += 5) {
      for (int i = 0; i < 5; i++) bc[i] = st[j + i];
      for (int i = 0; i < 5; i++) st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
    }
    st[0] ^= kRoundConstants[round];
  }
}

// Lanes are little-endian 64-bit words (byte-wise, so it holds on any host).
inline uint64_t loadLane(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

constexpr uint32_t kFnvOffset = 0x811c9dc5u;
constexpr uint32_t kFnvPrime = 0x01000193u;

struct Seeds {
  uint32_t v[kMinhashSlots];
  Seeds() {
    // minhashSignature.ts: fmix32(0x9e3779b9 + i * 0x7f4a7c15), exact in a double, then mod 2^32.
    for (int i = 0; i < kMinhashSlots; i++) v[i] = fmix32(uint32_t(0x9e3779b9u + uint32_t(i) * 0x7f4a7c15u));
  }
};
const Seeds kSeeds;

// Slot s: the minimum over the shingles of fmix32(h ^ seed_s). The reference loop; the vector
// versions below do the same 32-bit arithmetic on 8 or 16 slots at once (multiplication mod 2^32,
// unsigned minimum), so they give identical signatures.
void minSlotsScalar(const uint32_t* shingles, size_t n, uint32_t out[kMinhashSlots]) {
  for (int s = 0; s < kMinhashSlots; s++) out[s] = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    const uint32_t h = shingles[i];
    for (int s = 0; s < kMinhashSlots; s++) {
      uint32_t v = fmix32(h ^ kSeeds.v[s]);
      out[s] = v < out[s] ? v : out[s];
    }
  }
}

#if DATANET_X86
// One vector of slots at a time over all shingles: its seeds and running minima stay in
// registers, each shingle is one broadcast.
__attribute__((target("avx2"))) void minSlotsAvx2(const uint32_t* shingles, size_t n, uint32_t out[kMinhashSlots]) {
  const __m256i c1 = _mm256_set1_epi32(int(0x85ebca6bu));
  const __m256i c2 = _mm256_set1_epi32(int(0xc2b2ae35u));
  for (int s = 0; s < kMinhashSlots; s += 8) {
    const __m256i seed = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kSeeds.v + s));
    __m256i acc = _mm256_set1_epi32(-1);
    for (size_t i = 0; i < n; i++) {
      __m256i v = _mm256_xor_si256(_mm256_set1_epi32(int(shingles[i])), seed);
      v = _mm256_xor_si256(v, _mm256_srli_epi32(v, 16));
      v = _mm256_mullo_epi32(v, c1);
      v = _mm256_xor_si256(v, _mm256_srli_epi32(v, 13));
      v = _mm256_mullo_epi32(v, c2);
      v = _mm256_xor_si256(v, _mm256_srli_epi32(v, 16));
      acc = _mm256_min_epu32(acc, v);
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + s), acc);
  }
}

__attribute__((target("avx512f"))) void minSlotsAvx512(const uint32_t* shingles, size_t n, uint32_t out[kMinhashSlots]) {
  const __m512i c1 = _mm512_set1_epi32(int(0x85ebca6bu));
  const __m512i c2 = _mm512_set1_epi32(int(0xc2b2ae35u));
  for (int s = 0; s < kMinhashSlots; s += 16) {
    const __m512i seed = _mm512_loadu_si512(kSeeds.v + s);
    __m512i acc = _mm512_set1_epi32(-1);
    for (size_t i = 0; i < n; i++) {
      __m512i v = _mm512_xor_si512(_mm512_set1_epi32(int(shingles[i])), seed);
      v = _mm512_xor_si512(v, _mm512_srli_epi32(v, 16));
      v = _mm512_mullo_epi32(v, c1);
      v = _mm512_xor_si512(v, _mm512_srli_epi32(v, 13));
      v = _mm512_mullo_epi32(v, c2);
      v = _mm512_xor_si512(v, _mm512_srli_epi32(v, 16));
      acc = _mm512_min_epu32(acc, v);
    }
    _mm512_storeu_si512(out + s, acc);
  }
}
#endif

using MinSlots = void (*)(const uint32_t*, size_t, uint32_t*);

MinSlots minSlotsFor(MinhashKernel k) {
#if DATANET_X86
  if (k == MinhashKernel::Auto) k = minhashKernelAvailable(MinhashKernel::Avx512) ? MinhashKernel::Avx512 : minhashKernelAvailable(MinhashKernel::Avx2) ? MinhashKernel::Avx2 : MinhashKernel::Scalar;
  if (k == MinhashKernel::Avx512) return minSlotsAvx512;
  if (k == MinhashKernel::Avx2) return minSlotsAvx2;
#endif
  return minSlotsScalar;
}

}  // namespace

bool minhashKernelAvailable(MinhashKernel k) {
  if (k == MinhashKernel::Auto || k == MinhashKernel::Scalar) return true;
#if DATANET_X86
  __builtin_cpu_init();
  if (k == MinhashKernel::Avx512) return __builtin_cpu_supports("avx512f");
  if (k == MinhashKernel::Avx2) return __builtin_cpu_supports("avx2");
#endif
  return false;
}

void keccak256(const uint8_t* data, size_t len, uint8_t out[32]) {
  constexpr size_t kRate = 136;
  uint64_t st[25] = {0};
  while (len >= kRate) {
    for (size_t i = 0; i < kRate / 8; i++) st[i] ^= loadLane(data + 8 * i);
    keccakF(st);
    data += kRate;
    len -= kRate;
  }
  uint8_t block[kRate] = {0};
  if (len) std::memcpy(block, data, len);
  block[len] ^= 0x01;  // Keccak's padding (SHA-3 would use 0x06)
  block[kRate - 1] ^= 0x80;
  for (size_t i = 0; i < kRate / 8; i++) st[i] ^= loadLane(block + 8 * i);
  keccakF(st);
  for (int i = 0; i < 4; i++)
    for (int b = 0; b < 8; b++) out[8 * i + b] = uint8_t(st[i] >> (8 * b));
}

namespace {

// Both code unit widths share one body: an ASCII text narrowed to bytes hashes as its UTF-16 would
// (FNV-1a takes each code unit as a whole).
template <typename Unit>
void minhashOf(const Unit* text, size_t len, uint32_t out[kMinhashSlots], MinhashKernel kernel) {
  // Words: maximal runs without U+0020 (split(' ') with empty pieces dropped). The buffers are
  // kept per thread: an import calls this once per record.
  thread_local std::vector<std::pair<size_t, size_t>> words;
  thread_local std::vector<uint32_t> shingles;
  words.clear();
  shingles.clear();
  for (size_t i = 0; i < len;) {
    if (text[i] == 0x20) {
      i++;
      continue;
    }
    size_t start = i;
    while (i < len && text[i] != 0x20) i++;
    words.emplace_back(start, i);
  }
  auto feed = [&](uint32_t h, size_t w) {
    for (size_t i = words[w].first; i < words[w].second; i++) h = (h ^ uint32_t(text[i])) * kFnvPrime;
    return h;
  };
  auto space = [](uint32_t h) { return (h ^ 0x20u) * kFnvPrime; };
  if (words.size() < 3) {
    // fnv1a32(words.join(' ')): fewer than three words, one shingle.
    uint32_t h = kFnvOffset;
    for (size_t w = 0; w < words.size(); w++) h = feed(w ? space(h) : h, w);
    shingles.push_back(h);
  } else {
    for (size_t w = 0; w + 3 <= words.size(); w++) shingles.push_back(feed(space(feed(space(feed(kFnvOffset, w)), w + 1)), w + 2));
  }
  // The minimum over a set equals the minimum over the list, so repeated shingles are not
  // removed: in prose they are rare, and sorting to find them cost more than hashing them twice.
  // The CPU's features do not change while the process runs: the automatic choice is made once.
  static const MinSlots kAuto = minSlotsFor(MinhashKernel::Auto);
  (kernel == MinhashKernel::Auto ? kAuto : minSlotsFor(kernel))(shingles.data(), shingles.size(), out);
}

}  // namespace

void minhashSignature(const uint16_t* text, size_t len, uint32_t out[kMinhashSlots], MinhashKernel kernel) { minhashOf(text, len, out, kernel); }

void minhashSignature(const char* text, size_t len, uint32_t out[kMinhashSlots], MinhashKernel kernel) {
  minhashOf(reinterpret_cast<const uint8_t*>(text), len, out, kernel);
}

}  // namespace engine
