#include "datanet_merkle.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "datanet_hash.h"
#include "threadpool.h"

namespace engine {
namespace {

// OpenZeppelin's standardNodeHash: keccak256 of the two children, the smaller (as a big-endian
// number, i.e. bytewise) first.
void nodeHash(const Hash32& a, const Hash32& b, Hash32& out) {
  uint8_t buf[64];
  const bool aFirst = std::memcmp(a.data(), b.data(), 32) <= 0;
  std::memcpy(buf, (aFirst ? a : b).data(), 32);
  std::memcpy(buf + 32, (aFirst ? b : a).data(), 32);
  keccak256(buf, 64, out.data());
}

bool less(const Hash32& a, const Hash32& b) { return std::memcmp(a.data(), b.data(), 32) < 0; }

}  // namespace

void VersionMerkle::add(const uint8_t* pairs, size_t count) {
  const size_t from = leaves_.size();
  leaves_.resize(from + count);
  Hash32* out = leaves_.data() + from;
  parallelFor(int64_t(count), 1024, [&](int64_t begin, int64_t end) {
    uint8_t encoded[64];
    uint8_t inner[32];
    for (int64_t i = begin; i < end; i++) {
      // abi.encode(address, bytes32): the address right-aligned in the first 32-byte word.
      std::memset(encoded, 0, 12);
      std::memcpy(encoded + 12, pairs + size_t(i) * kPairBytes, kPairBytes);
      keccak256(encoded, 64, inner);
      keccak256(inner, 32, out[i].data());
    }
  });
}

Hash32 VersionMerkle::finish(int64_t prove, std::vector<Hash32>& proof) {
  const size_t n = leaves_.size();
  if (n == 0) throw std::runtime_error("datanetMerkle: a Merkle tree needs at least one leaf");
  if (prove >= int64_t(n)) throw std::runtime_error("datanetMerkle: value " + std::to_string(prove) + " is past the " + std::to_string(n) + " leaves");
  // Where the proved value lands after the stable sort: after every smaller leaf and after the
  // equal leaves that come before it in value order.
  size_t proveLeaf = 0;
  Hash32 proved{};
  if (prove >= 0) {
    proved = leaves_[size_t(prove)];
    for (int64_t i = 0; i < prove; i++)
      if (leaves_[size_t(i)] == proved) proveLeaf++;
  }
  // Equal leaves are indistinguishable, so an unstable sort gives the stable sort's array.
  std::sort(leaves_.begin(), leaves_.end(), less);
  if (prove >= 0) proveLeaf += size_t(std::lower_bound(leaves_.begin(), leaves_.end(), proved, less) - leaves_.begin());
  std::vector<Hash32> inner(n - 1);
  const size_t last = 2 * n - 2;  // the array's last index
  auto node = [&](size_t i) -> const Hash32& { return i < n - 1 ? inner[i] : leaves_[last - i]; };
  // Level by level from the deepest: the nodes of one depth only read the next depth's, so each
  // level splits across the pool without changing a hash.
  int depth = 0;
  while ((size_t(1) << (depth + 1)) - 1 < n - 1) depth++;
  for (int d = depth; d >= 0 && n > 1; d--) {
    const size_t begin = (size_t(1) << d) - 1;
    const size_t end = std::min(n - 1, (size_t(2) << d) - 1);
    if (begin >= end) continue;
    parallelFor(int64_t(end - begin), 4096, [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; k++) {
        const size_t i = begin + size_t(k);
        nodeHash(node(2 * i + 1), node(2 * i + 2), inner[i]);
      }
    });
  }
  if (prove >= 0) {
    proof.clear();
    for (size_t i = last - proveLeaf; i > 0; i = (i - 1) / 2) proof.push_back(node(i % 2 == 1 ? i + 1 : i - 1));
  }
  const Hash32 root = node(0);
  std::vector<Hash32>().swap(leaves_);
  return root;
}

}  // namespace engine
