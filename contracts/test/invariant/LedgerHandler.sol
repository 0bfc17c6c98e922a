// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TestBase} from "../utils/TestBase.sol";
import {MerkleTestTree} from "../utils/MerkleTestTree.sol";
import {AttributionLedger} from "../../src/AttributionLedger.sol";

/// @dev Drives the ledger through random fee payments, batches, claims and withdrawals, and
/// keeps ghost totals of what went in and out, for LedgerInvariant.
contract LedgerHandler is TestBase {
    AttributionLedger internal immutable ledger;
    uint256 internal immutable modelId;
    address internal immutable operator;
    address internal immutable modelOwner;
    address internal immutable treasury;
    address[2] internal contributors;

    struct PostedBatch {
        uint256 id;
        bytes32[] leaves;
        uint256[2] amounts;
    }

    PostedBatch[] internal batches;
    uint256 public ghostDeposited;
    uint256 public ghostPaidOut;
    uint256 public ghostUnauthorizedPosts;

    constructor(
        AttributionLedger ledger_,
        uint256 modelId_,
        address operator_,
        address modelOwner_,
        address treasury_
    ) {
        ledger = ledger_;
        modelId = modelId_;
        operator = operator_;
        modelOwner = modelOwner_;
        treasury = treasury_;
        contributors = [address(0xB0B), address(0xCA401)];
    }

    function payFees(uint256 fee) external {
        fee = bound(fee, 1, 1_000 ether);
        vm.deal(address(this), fee);
        ledger.payInferenceFees{value: fee}(modelId, 1);
        ghostDeposited += fee;
    }

    /// Posts a batch over two leaves. `overstate` lets the leaves sum past the batch total, the
    /// way a faulty operator might; the ledger must still never pay past the total.
    function postBatch(uint256 totalSeed, uint256 splitSeed, bool overstate) external {
        uint256 pool = ledger.rewardPool(modelId);
        if (pool < 2) return;
        uint256 total = bound(totalSeed, 2, pool);
        uint256 first = bound(splitSeed, 1, total - 1);
        uint256 second = overstate ? total : total - first;
        bytes32[] memory leaves = new bytes32[](2);
        leaves[0] = MerkleTestTree.addressAmountLeaf(contributors[0], first);
        leaves[1] = MerkleTestTree.addressAmountLeaf(contributors[1], second);
        vm.prank(operator);
        uint256 id = ledger.postBatch(MerkleTestTree.root(leaves), modelId, total, 1, "");
        PostedBatch storage b = batches.push();
        b.id = id;
        b.leaves = leaves;
        b.amounts = [first, second];
    }

    function claim(uint256 batchSeed, uint256 leafSeed) external {
        if (batches.length == 0) return;
        PostedBatch storage b = batches[batchSeed % batches.length];
        uint256 i = leafSeed % 2;
        address who = contributors[i];
        uint256 before = who.balance;
        try ledger.claim(b.id, who, b.amounts[i], MerkleTestTree.proof(b.leaves, i)) {
            ghostPaidOut += who.balance - before;
        } catch {}
    }

    function withdraw(bool asTreasury) external {
        address who = asTreasury ? treasury : modelOwner;
        uint256 before = who.balance;
        vm.prank(who);
        try ledger.withdraw() {
            ghostPaidOut += who.balance - before;
        } catch {}
    }

    /// A stranger tries to post; it must never succeed.
    function postAsStranger(address stranger, bytes32 root, uint256 total) external {
        if (stranger == operator) return;
        vm.prank(stranger);
        try ledger.postBatch(root, modelId, total, 1, "") {
            ghostUnauthorizedPosts++;
        } catch {}
    }

    function batchCount() external view returns (uint256) {
        return batches.length;
    }

    function batchIdAt(uint256 i) external view returns (uint256) {
        return batches[i].id;
    }

    receive() external payable {}
}
