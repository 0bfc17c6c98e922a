#include "parquet_snappy.h"

#include <cstring>

namespace engine {
namespace {

constexpr int kMaxHashTableBits = 14;
constexpr uint32_t kMaxOffset = 0xffff;
constexpr size_t kInputMargin = 15;

// load32 in the JS reads past the end as undefined: a first byte past the end makes the key NaN
// (hashed to 0), later bytes past the end count as 0. Only reached where the JS reaches it.
inline uint32_t hashAt(const uint8_t* in, size_t size, size_t pos, int shift) {
  if (pos >= size) return 0;
  uint32_t key = in[pos];
  for (int k = 1; k < 4; k++)
    if (pos + k < size) key |= uint32_t(in[pos + k]) << (8 * k);
  return (key * 0x1e35a7bdu) >> shift;
}

inline bool equals32(const uint8_t* in, size_t a, size_t b) { return std::memcmp(in + a, in + b, 4) == 0; }

void emitLiteral(std::vector<uint8_t>& out, const uint8_t* in, size_t ip, size_t len) {
  if (len <= 60) {
    out.push_back(uint8_t((len - 1) << 2));
  } else {
    const uint32_t value = uint32_t(len - 1);
    const int bytes = value < 0x100 ? 1 : value < 0x10000 ? 2 : value < 0x1000000 ? 3 : 4;
    out.push_back(uint8_t((59 + bytes) << 2));
    for (int i = 0; i < bytes; i++) out.push_back(uint8_t(value >> (i * 8)));
  }
  out.insert(out.end(), in + ip, in + ip + len);
}

void emitCopyLessThan64(std::vector<uint8_t>& out, uint32_t offset, uint32_t len) {
  if (len < 12 && offset < 2048) {
    out.push_back(uint8_t(1 + ((len - 4) << 2) + ((offset >> 8) << 5)));
    out.push_back(uint8_t(offset & 0xff));
  } else {
    out.push_back(uint8_t(2 + ((len - 1) << 2)));
    out.push_back(uint8_t(offset & 0xff));
    out.push_back(uint8_t(offset >> 8));
  }
}

void emitCopy(std::vector<uint8_t>& out, uint32_t offset, uint32_t len) {
  while (len >= 68) {
    emitCopyLessThan64(out, offset, 64);
    len -= 64;
  }
  if (len > 64) {
    emitCopyLessThan64(out, offset, 60);
    len -= 60;
  }
  emitCopyLessThan64(out, offset, len);
}

}  // namespace

void snappyCompressLikeHyparquet(const uint8_t* in, size_t size, std::vector<uint8_t>& out) {
  out.clear();
  out.reserve(32 + size + size / 6);
  // The uncompressed length as a varint (ByteWriter.appendVarInt over a uint32).
  for (uint32_t v = uint32_t(size);;) {
    if ((v & ~0x7fu) == 0) {
      out.push_back(uint8_t(v));
      break;
    }
    out.push_back(uint8_t((v & 0x7f) | 0x80));
    v >>= 7;
  }
  int bits = 1;
  while ((size_t(1) << bits) <= size && bits <= kMaxHashTableBits) bits++;
  bits--;
  const int shift = 32 - bits;
  std::vector<uint32_t> table(size_t(1) << bits, 0);

  size_t ip = 0;
  size_t nextEmit = 0;
  if (size >= kInputMargin) {
    const size_t ipLimit = size - kInputMargin;
    ip++;
    uint32_t nextHash = hashAt(in, size, ip, shift);
    for (;;) {
      uint32_t skip = 32;
      size_t nextIp = ip;
      size_t candidate = 0;
      bool done = false;
      for (;;) {
        ip = nextIp;
        const uint32_t hash = nextHash;
        const uint32_t between = skip >> 5;
        skip++;
        nextIp = ip + between;
        if (ip > ipLimit) {
          done = true;
          break;
        }
        nextHash = hashAt(in, size, nextIp, shift);
        candidate = table[hash];
        table[hash] = uint32_t(ip);
        if (!(ip - candidate > kMaxOffset || !equals32(in, ip, candidate))) break;
      }
      if (done) break;
      emitLiteral(out, in, nextEmit, ip - nextEmit);
      for (;;) {
        const size_t base = ip;
        size_t matched = 4;
        // The JS compares byte by byte; eight at a time finds the same first difference.
        while (ip + matched + 8 <= size) {
          uint64_t a, b;
          std::memcpy(&a, in + ip + matched, 8);
          std::memcpy(&b, in + candidate + matched, 8);
          if (a != b) {
            matched += size_t(__builtin_ctzll(a ^ b) >> 3);
            goto counted;
          }
          matched += 8;
        }
        while (ip + matched < size && in[ip + matched] == in[candidate + matched]) matched++;
      counted:
        ip += matched;
        emitCopy(out, uint32_t(base - candidate), uint32_t(matched));
        nextEmit = ip;
        if (ip >= ipLimit) {
          done = true;
          break;
        }
        table[hashAt(in, size, ip - 1, shift)] = uint32_t(ip - 1);
        const uint32_t cur = hashAt(in, size, ip, shift);
        candidate = table[cur];
        table[cur] = uint32_t(ip);
        if (!(ip - candidate <= kMaxOffset && equals32(in, ip, candidate))) break;
      }
      if (done) break;
      ip++;
      nextHash = hashAt(in, size, ip, shift);
    }
  }
  if (nextEmit < size) emitLiteral(out, in, nextEmit, size - nextEmit);
}

}  // namespace engine
