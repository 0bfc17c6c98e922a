// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

/// @dev A plain Merkle tree for Solidity tests: leaves paired in order with the commutative
/// keccak that MerkleProof verifies, an odd node carried up unchanged. Its layout differs from
/// StandardMerkleTree's, but proofs verify the same way; the TypeScript tests use the real
/// OpenZeppelin merkle-tree package to prove layout compatibility.
library MerkleTestTree {
    function addressAmountLeaf(address account, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
    }

    function addressHashLeaf(address account, bytes32 recordHash) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, recordHash))));
    }

    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        require(leaves.length > 0, "empty tree");
        bytes32[] memory level = leaves;
        while (level.length > 1) level = _up(level);
        return level[0];
    }

    function proof(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory p) {
        bytes32[] memory scratch = new bytes32[](256);
        uint256 n;
        bytes32[] memory level = leaves;
        while (level.length > 1) {
            uint256 sibling = index ^ 1;
            if (sibling < level.length) scratch[n++] = level[sibling];
            level = _up(level);
            index /= 2;
        }
        p = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            p[i] = scratch[i];
        }
    }

    function _up(bytes32[] memory level) private pure returns (bytes32[] memory next) {
        next = new bytes32[]((level.length + 1) / 2);
        for (uint256 i = 0; i < next.length; ++i) {
            uint256 l = 2 * i;
            next[i] = l + 1 < level.length ? Hashes.commutativeKeccak256(level[l], level[l + 1]) : level[l];
        }
    }
}
