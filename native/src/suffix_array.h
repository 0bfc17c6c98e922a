// Suffix arrays over token ids (exact-span attribution, main/attribution): SA-IS (Nong, Zhang and
// Chan 2009), linear time, O(alphabet) extra memory beyond the output, over an integer alphabet.
// The end of the text is a virtual sentinel smaller than every symbol, so a suffix that is a
// prefix of another sorts first. The plain sort of all suffixes is the reference in
// native/test/suffixArray.test.ts.
#pragma once
#include <cstddef>
#include <cstdint>

namespace engine {

// sa[i] = start of the i-th smallest suffix of text[0..n). Symbols must lie in [0, alphabet);
// throws std::invalid_argument otherwise. n < 2^31 - 1.
void suffixArray(const int32_t* text, int32_t* sa, int64_t n, int32_t alphabet);

// The suffix table of an infini-gram token file: `bytes` holds n tokens of `width` bytes (2 or
// 4), little-endian. Suffixes are ordered as memcmp orders them in the file (infini-gram's engine
// compares bytes), i.e. by the byte-swapped token values; the table holds each suffix's BYTE
// offset in the file, `ptrSize` bytes little-endian per entry (out: n * ptrSize bytes).
// threads > 1 adds a helper thread to SA-IS's induction passes (it works out the scattered symbol
// reads a block ahead) and splits the naming, the alphabet mapping and the table encoding; the
// table is the same on any thread count.
void tokenSuffixTable(const uint8_t* bytes, int64_t n, int width, int ptrSize, uint8_t* out, int threads);

}  // namespace engine
