#include "suffix_array.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace engine {
namespace {

// Bucket starts (end=false) or ends (end=true) per symbol, from the symbol counts.
void buckets(const std::vector<int32_t>& count, std::vector<int32_t>& bkt, bool end) {
  int32_t sum = 0;
  for (size_t c = 0; c < count.size(); c++) {
    sum += count[c];
    bkt[c] = end ? sum : sum - count[c];
  }
}

// How far ahead the induction loops prefetch: the symbol before a suffix lies anywhere in the
// text, so without it each step waits on a cache miss.
constexpr int32_t kAhead = 64;

inline void prefetchRead(const void* p) { __builtin_prefetch(p, 0, 0); }

// The induction passes of SA-IS keep no type array. Entries carry one flag in their sign instead,
// worked out when the entry is written (the symbols are needed there anyway):
// - L pass (left to right, bucket starts): v > 0 means "suffix v, whose predecessor v-1 is L-type
//   and is induced from it now". An L-type suffix j is written as j when j-1 is L too
//   (s[j-1] >= s[j] for L-type j) and as ~j when j-1 is S-type; suffix 0 as 0 (nothing before it).
// - S pass (right to left, bucket ends): v < 0 means "suffix ~v, whose predecessor is S-type and
//   is induced from it now". An S-type j is written as ~j when j-1 is S (s[j-1] <= s[j] for S-type
//   j) and as j otherwise (j is then LMS, or 0).
// 0 doubles as the empty slot: suffix 0 never induces anything, so the two cannot be confused
// in the passes. `final` keeps every suffix (stage 3); without it (stage 1) the passes drop all
// but the LMS suffixes, which come out as the only positive entries, in LMS-substring order.
template <typename T>
void induce(const T* s, int32_t* sa, int32_t n, const std::vector<int32_t>& count, std::vector<int32_t>& bkt, bool final) {
  buckets(count, bkt, false);
  {
    const int32_t j = n - 1;  // the virtual sentinel's predecessor: L-type, first in its bucket
    sa[bkt[size_t(s[j])]++] = j > 0 && s[j - 1] < s[j] ? ~j : j;
  }
  for (int32_t i = 0; i < n; i++) {
    if (i + kAhead < n) {
      const int32_t a = sa[i + kAhead];
      if (a > 0) prefetchRead(s + a - 1);
    }
    const int32_t v = sa[i];
    if (v <= 0) continue;
    const int32_t j = v - 1;
    const T c = s[j];
    sa[bkt[size_t(c)]++] = j > 0 && s[j - 1] < c ? ~j : j;
    if (!final) sa[i] = 0;  // an L-type suffix (or a seed, rewritten by the S pass) is not LMS
  }
  buckets(count, bkt, true);
  for (int32_t i = n - 1; i >= 0; i--) {
    if (i >= kAhead) {
      const int32_t a = sa[i - kAhead];
      if (a < 0) prefetchRead(s + ~a - 1);
    }
    const int32_t v = sa[i];
    if (v >= 0) continue;
    const int32_t k = ~v;  // > 0: ~0 is never written
    sa[i] = final ? k : 0;
    const int32_t j = k - 1;
    const T c = s[j];
    sa[--bkt[size_t(c)]] = j > 0 && s[j - 1] <= c ? ~j : j;
  }
}

// SA-IS with a virtual sentinel at n (Nong, Zhang and Chan 2009; the sign-bit flags and the
// length-first naming as in Yuta Mori's sais). Suffix i is S-type when smaller than suffix i+1;
// i > 0 is LMS when S-type after an L-type. The sentinel is LMS and sorts first; it is never
// stored in sa.
template <typename T>
void sais(const T* s, int32_t* sa, int32_t n, int32_t K) {
  if (n == 0) return;
  if (n == 1) {
    sa[0] = 0;
    return;
  }
  std::vector<int32_t> count(static_cast<size_t>(K), 0), bkt(static_cast<size_t>(K));
  for (int32_t i = 0; i < n; i++) count[size_t(s[i])]++;

  // Stage 1: LMS positions at their bucket ends in any order; induction sorts the LMS substrings.
  for (int32_t i = 0; i < n; i++) sa[i] = 0;
  buckets(count, bkt, true);
  int32_t m = 0;
  {
    bool nextS = false;  // n-1 is L-type (greater than the sentinel)
    for (int32_t i = n - 2; i >= 0; i--) {
      const bool isS = s[i] < s[i + 1] || (s[i] == s[i + 1] && nextS);
      if (nextS && !isS) {
        sa[--bkt[size_t(s[i + 1])]] = i + 1;
        m++;
      }
      nextS = isS;
    }
  }
  induce(s, sa, n, count, bkt, false);

  // Compact the sorted LMS positions into sa[0..m); the rest of sa is zero.
  for (int32_t i = 0, k = 0; i < n; i++) {
    const int32_t v = sa[i];
    if (v > 0) {
      sa[i] = 0;
      sa[k++] = v;
    }
  }
  // Each LMS substring's length (to the next LMS position inclusive) at sa[m + p/2] (LMS positions
  // are >= 2 apart, so the slots never collide); the last one runs to the sentinel and is unique.
  int32_t last = -1;
  {
    bool nextS = false;
    int32_t next = n;
    for (int32_t i = n - 2; i >= 0; i--) {
      const bool isS = s[i] < s[i + 1] || (s[i] == s[i + 1] && nextS);
      if (nextS && !isS) {
        const int32_t p = i + 1;
        if (last < 0) last = p;
        sa[m + p / 2] = next - p + 1;
        next = p;
      }
      nextS = isS;
    }
  }
  // Name the substrings in sorted order: equal neighbours share a name. Two LMS substrings of
  // equal length and symbols also have equal types, so comparing symbols is enough.
  int32_t names = 0;
  {
    int32_t prev = -1, prevLen = 0;
    for (int32_t i = 0; i < m; i++) {
      const int32_t p = sa[i];
      const int32_t len = sa[m + p / 2];
      bool diff = prev < 0 || len != prevLen || p == last || prev == last;
      for (int32_t d = 0; !diff && d < len; d++) diff = s[p + d] != s[prev + d];
      if (diff) {
        names++;
        prev = p;
        prevLen = len;
      }
      sa[m + p / 2] = names;  // name + 1: 0 marks the empty slots
    }
  }
  for (int32_t i = n - 1, j = n - 1; i >= m; i--)
    if (sa[i] > 0) sa[j--] = sa[i] - 1;

  // Stage 2: sort the reduced string (its own virtual sentinel stands for ours).
  int32_t* s1 = sa + n - m;
  int32_t* sa1 = sa;
  if (names < m) {
    sais<int32_t>(s1, sa1, m, names);
  } else {
    for (int32_t i = 0; i < m; i++) sa1[s1[i]] = i;
  }

  // Stage 3: sorted LMS suffixes at their bucket ends (right to left keeps their order), induce.
  {
    bool nextS = false;
    int32_t j = m;
    for (int32_t i = n - 2; i >= 0; i--) {
      const bool isS = s[i] < s[i + 1] || (s[i] == s[i + 1] && nextS);
      if (nextS && !isS) s1[--j] = i + 1;
      nextS = isS;
    }
  }
  for (int32_t i = 0; i < m; i++) sa1[i] = s1[sa1[i]];
  std::fill(sa + m, sa + n, 0);
  buckets(count, bkt, true);
  for (int32_t i = m - 1; i >= 0; i--) {
    const int32_t j = sa[i];
    sa[i] = 0;
    sa[--bkt[size_t(s[j])]] = j;
  }
  induce(s, sa, n, count, bkt, true);
}

// Runs fn(begin, end) over [0, n) split across `threads` threads (the caller takes the first part).
template <typename F>
void parallelRanges(int64_t n, int threads, const F& fn) {
  threads = std::max(1, std::min(threads, int(std::min<int64_t>(n / (1 << 16) + 1, 64))));
  std::vector<std::thread> pool;
  const int64_t per = (n + threads - 1) / threads;
  for (int t = 1; t < threads; t++) {
    const int64_t b = std::min(n, t * per), e = std::min(n, (t + 1) * per);
    pool.emplace_back([&fn, b, e]() { fn(b, e); });
  }
  fn(0, std::min(n, per));
  for (auto& th : pool) th.join();
}

}  // namespace

void suffixArray(const int32_t* text, int32_t* sa, int64_t n, int32_t alphabet) {
  if (n < 0 || n >= INT32_MAX) throw std::invalid_argument("suffixArray: the text must hold fewer than 2^31 - 1 symbols");
  if (alphabet < 1) throw std::invalid_argument("suffixArray: the alphabet size must be >= 1");
  for (int64_t i = 0; i < n; i++)
    if (text[i] < 0 || text[i] >= alphabet)
      throw std::invalid_argument("suffixArray: symbol " + std::to_string(text[i]) + " at " + std::to_string(i) + " is outside [0, " + std::to_string(alphabet) + ")");
  sais<int32_t>(text, sa, int32_t(n), alphabet);
}

void tokenSuffixTable(const uint8_t* bytes, int64_t n, int width, int ptrSize, uint8_t* out, int threads) {
  if (width != 2 && width != 4) throw std::invalid_argument("tokenSuffixTable: token width must be 2 or 4 bytes");
  if (ptrSize < 1 || ptrSize > 8) throw std::invalid_argument("tokenSuffixTable: pointer size must be 1..8 bytes");
  if (n < 0 || n >= INT32_MAX) throw std::invalid_argument("tokenSuffixTable: at most 2^31 - 2 tokens per index");
  const uint64_t maxOffset = uint64_t(n) * uint64_t(width);
  if (ptrSize < 8 && maxOffset >= (uint64_t(1) << (8 * ptrSize)))
    throw std::invalid_argument("tokenSuffixTable: " + std::to_string(ptrSize) + "-byte pointers cannot address " + std::to_string(maxOffset) + " bytes");
  // memcmp order of little-endian tokens = numeric order of the byte-swapped values (read as
  // big-endian). 2-byte tokens use that value directly as the symbol (alphabet 65536, kept in 16
  // bits: half the bytes for the induction's scattered reads); 4-byte ones are ranked among the
  // distinct values present, which keeps the buckets small.
  std::vector<int32_t> sa(static_cast<size_t>(n));
  if (width == 2) {
    std::vector<uint16_t> text(static_cast<size_t>(n));
    parallelRanges(n, threads, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; i++) text[size_t(i)] = uint16_t(bytes[2 * i] << 8 | bytes[2 * i + 1]);
    });
    sais<uint16_t>(text.data(), sa.data(), int32_t(n), 65536);
  } else {
    auto key = [&](int64_t i) {
      const uint8_t* p = bytes + 4 * i;
      return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
    };
    std::vector<uint32_t> distinct(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; i++) distinct[size_t(i)] = key(i);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    const int32_t alphabet = int32_t(std::max<size_t>(distinct.size(), 1));
    std::vector<int32_t> text(static_cast<size_t>(n));
    parallelRanges(n, threads, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; i++) text[size_t(i)] = int32_t(std::lower_bound(distinct.begin(), distinct.end(), key(i)) - distinct.begin());
    });
    distinct = std::vector<uint32_t>();
    sais<int32_t>(text.data(), sa.data(), int32_t(n), alphabet);
  }
  parallelRanges(n, threads, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; i++) {
      uint64_t off = uint64_t(sa[size_t(i)]) * uint64_t(width);
      uint8_t* p = out + i * ptrSize;
      for (int k = 0; k < ptrSize; k++, off >>= 8) p[k] = uint8_t(off & 0xff);
    }
  });
}

}  // namespace engine
