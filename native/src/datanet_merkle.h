// The Merkle tree of a datanet version, exactly as @openzeppelin/merkle-tree's
// StandardMerkleTree.of(values, ["address", "bytes32"]) builds it (main/datanets/versionMerkle.ts
// keeps that JS tree as the reference; native/test/datanetMerkle.test.ts compares the two):
// - leaf = keccak256(keccak256(abi.encode(address, bytes32))): 12 zero bytes, the 20-byte address,
//   the 32-byte record hash;
// - leaves sorted ascending by hash (a stable sort: equal leaves keep their value order);
// - the tree is OpenZeppelin's array of 2n-1 nodes: node i has children 2i+1 and 2i+2, the sorted
//   leaves fill the array's tail in reverse (leaf k at 2n-2-k), and an inner node is
//   keccak256 of its two children, smaller first.
// The leaves are added in batches as the caller reads them (no JS object per leaf); the tree
// holds 32 bytes a node: n leaf hashes and n-1 inner nodes.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace engine {

using Hash32 = std::array<uint8_t, 32>;

class VersionMerkle {
 public:
  // Size of one input leaf: the 20-byte address then the 32-byte record hash.
  static constexpr size_t kPairBytes = 52;
  explicit VersionMerkle(size_t expectedLeaves) { leaves_.reserve(expectedLeaves); }
  // Hashes `count` pairs (kPairBytes each) into leaves, in value order, on the engine's pool.
  void add(const uint8_t* pairs, size_t count);
  size_t size() const { return leaves_.size(); }
  // Sorts the leaves and builds the inner nodes; returns the root. With prove >= 0, `proof`
  // receives the sibling hashes from value `prove`'s leaf up to the root (getProof's order).
  // The builder is spent afterwards (its memory is released).
  Hash32 finish(int64_t prove, std::vector<Hash32>& proof);

 private:
  std::vector<Hash32> leaves_;
};

}  // namespace engine
