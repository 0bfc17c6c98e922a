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

// SA-IS with a virtual sentinel at n. type[i] = 1 when suffix i is S-type (smaller than suffix
// i+1); position i > 0 is LMS when it is S and i-1 is L. The sentinel is LMS and sorts first;
// it is never stored in sa.
template <typename T>
void sais(const T* s, int32_t* sa, int32_t n, int32_t K) {
  if (n == 0) return;
  if (n == 1) {
    sa[0] = 0;
    return;
  }
  std::vector<uint8_t> type(static_cast<size_t>(n));
  type[size_t(n - 1)] = 0;  // greater than the sentinel after it
  for (int32_t i = n - 2; i >= 0; i--) type[size_t(i)] = s[i] < s[i + 1] || (s[i] == s[i + 1] && type[size_t(i + 1)]);
  auto isLms = [&](int32_t i) { return i > 0 && i < n && type[size_t(i)] && !type[size_t(i - 1)]; };

  std::vector<int32_t> count(static_cast<size_t>(K), 0), bkt(static_cast<size_t>(K));
  for (int32_t i = 0; i < n; i++) count[size_t(s[i])]++;

  // Induced sort: L-type suffixes left to right from the bucket starts (the sentinel's
  // predecessor n-1 is L and goes first), then S-type right to left from the bucket ends.
  auto induce = [&]() {
    buckets(count, bkt, false);
    sa[bkt[size_t(s[n - 1])]++] = n - 1;
    for (int32_t i = 0; i < n; i++) {
      int32_t j = sa[i] - 1;
      if (sa[i] > 0 && !type[size_t(j)]) sa[bkt[size_t(s[j])]++] = j;
    }
    buckets(count, bkt, true);
    for (int32_t i = n - 1; i >= 0; i--) {
      int32_t j = sa[i] - 1;
      if (sa[i] > 0 && type[size_t(j)]) sa[--bkt[size_t(s[j])]] = j;
    }
  };

  // Stage 1: LMS positions at their bucket ends in any order; induction sorts the LMS substrings.
  std::fill(sa, sa + n, -1);
  buckets(count, bkt, true);
  for (int32_t i = 1; i < n; i++)
    if (isLms(i)) sa[--bkt[size_t(s[i])]] = i;
  induce();

  // Compact the sorted LMS positions into sa[0..m) and name their substrings.
  int32_t m = 0;
  for (int32_t i = 0; i < n; i++)
    if (isLms(sa[i])) sa[m++] = sa[i];
  std::fill(sa + m, sa + n, -1);
  int32_t names = 0, prev = -1;
  for (int32_t i = 0; i < m; i++) {
    const int32_t pos = sa[i];
    bool diff = prev < 0;
    for (int32_t d = 0; !diff; d++) {
      // An LMS substring runs to the next LMS position inclusive; one that reaches the sentinel
      // is unique.
      if (pos + d == n || prev + d == n || s[pos + d] != s[prev + d] || type[size_t(pos + d)] != type[size_t(prev + d)]) {
        diff = true;
      } else if (d > 0 && (isLms(pos + d) || isLms(prev + d))) {
        if (!(isLms(pos + d) && isLms(prev + d))) diff = true;
        break;
      }
    }
    if (diff) {
      names++;
      prev = pos;
    }
    sa[m + pos / 2] = names - 1;  // LMS positions are >= 2 apart: the slots never collide
  }
  for (int32_t i = n - 1, j = n - 1; i >= m; i--)
    if (sa[i] >= 0) sa[j--] = sa[i];

  // Stage 2: sort the reduced string (its own virtual sentinel stands for ours).
  int32_t* s1 = sa + n - m;
  int32_t* sa1 = sa;
  if (names < m) {
    sais<int32_t>(s1, sa1, m, names);
  } else {
    for (int32_t i = 0; i < m; i++) sa1[s1[i]] = i;
  }

  // Stage 3: sorted LMS suffixes at their bucket ends (right to left keeps their order), induce.
  for (int32_t i = 1, j = 0; i < n; i++)
    if (isLms(i)) s1[j++] = i;
  for (int32_t i = 0; i < m; i++) sa1[i] = s1[sa1[i]];
  std::fill(sa + m, sa + n, -1);
  buckets(count, bkt, true);
  for (int32_t i = m - 1; i >= 0; i--) {
    const int32_t j = sa[i];
    sa[i] = -1;
    sa[--bkt[size_t(s[j])]] = j;
  }
  induce();
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
  // big-endian). 2-byte tokens use that value directly as the symbol (alphabet 65536); 4-byte
  // ones are ranked among the distinct values present, which keeps the buckets small.
  std::vector<int32_t> text(static_cast<size_t>(n));
  int32_t alphabet = 65536;
  if (width == 2) {
    parallelRanges(n, threads, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; i++) text[size_t(i)] = int32_t(bytes[2 * i]) << 8 | bytes[2 * i + 1];
    });
  } else {
    auto key = [&](int64_t i) {
      const uint8_t* p = bytes + 4 * i;
      return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
    };
    std::vector<uint32_t> distinct(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; i++) distinct[size_t(i)] = key(i);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    alphabet = int32_t(std::max<size_t>(distinct.size(), 1));
    parallelRanges(n, threads, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; i++) text[size_t(i)] = int32_t(std::lower_bound(distinct.begin(), distinct.end(), key(i)) - distinct.begin());
    });
  }
  std::vector<int32_t> sa(static_cast<size_t>(n));
  sais<int32_t>(text.data(), sa.data(), int32_t(n), alphabet);
  text = std::vector<int32_t>();
  parallelRanges(n, threads, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; i++) {
      uint64_t off = uint64_t(sa[size_t(i)]) * uint64_t(width);
      uint8_t* p = out + i * ptrSize;
      for (int k = 0; k < ptrSize; k++, off >>= 8) p[k] = uint8_t(off & 0xff);
    }
  });
}

}  // namespace engine
