// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {MerkleTestTree} from "./utils/MerkleTestTree.sol";
import {AttributionLedger} from "../src/AttributionLedger.sol";
import {ModelRegistry} from "../src/ModelRegistry.sol";

contract AttributionLedgerTest is ProtocolFixture {
    uint256 internal modelId;
    address internal modelOwner;

    function setUp() public override {
        super.setUp();
        modelOwner = makeAddr("modelOwner");
        vm.prank(modelOwner);
        modelId = models.registerBaseModel(keccak256("files"), "");
        vm.deal(address(this), 1_000_000 ether);
    }

    /// OPEN the ledger owes: the unattributed pool, unclaimed batch totals and owed fee shares.
    function _liabilities() internal view returns (uint256 sum) {
        sum = ledger.rewardPool(modelId) + ledger.totalOwed();
        for (uint256 id = 1; id <= ledger.batchCount(); ++id) {
            AttributionLedger.Batch memory b = ledger.getBatch(id);
            sum += b.total - b.claimed;
        }
    }

    function _fund(uint256 fee) internal {
        ledger.payInferenceFees{value: fee}(modelId, 1_000);
    }

    /// Two contributors sharing `total`: bob gets `bobAmount`, carol the rest.
    function _twoLeaves(uint256 bobAmount, uint256 total) internal view returns (bytes32[] memory leaves) {
        leaves = new bytes32[](2);
        leaves[0] = MerkleTestTree.addressAmountLeaf(bob, bobAmount);
        leaves[1] = MerkleTestTree.addressAmountLeaf(carol, total - bobAmount);
    }

    function test_FeesSplitByParams() public {
        _fund(10 ether);
        assertEq(ledger.rewardPool(modelId), 7 ether, "contributors 70%");
        assertEq(ledger.owed(modelOwner), 2 ether, "model owner 20%");
        assertEq(ledger.owed(address(timelock)), 1 ether, "treasury 10%");
        assertEq(address(ledger).balance, _liabilities(), "backed");
    }

    function test_PostAndClaim() public {
        _fund(10 ether);
        bytes32[] memory leaves = _twoLeaves(3 ether, 7 ether);
        vm.prank(operator);
        uint256 batchId = ledger.postBatch(MerkleTestTree.root(leaves), modelId, 7 ether, 1_000, "file://batch");
        assertEq(ledger.rewardPool(modelId), 0, "pool allocated");

        ledger.claim(batchId, bob, 3 ether, MerkleTestTree.proof(leaves, 0));
        assertEq(bob.balance, 3 ether, "bob paid");
        vm.prank(carol); // anyone may send a claim; the OPEN goes to the leaf's contributor
        ledger.claim(batchId, carol, 4 ether, MerkleTestTree.proof(leaves, 1));
        assertEq(carol.balance, 4 ether, "carol paid");
        assertEq(ledger.getBatch(batchId).claimed, 7 ether, "fully claimed");
        assertEq(address(ledger).balance, _liabilities(), "backed");
    }

    function test_RevertIf_DoubleClaim() public {
        _fund(10 ether);
        bytes32[] memory leaves = _twoLeaves(3 ether, 7 ether);
        vm.prank(operator);
        uint256 batchId = ledger.postBatch(MerkleTestTree.root(leaves), modelId, 7 ether, 1, "");
        ledger.claim(batchId, bob, 3 ether, MerkleTestTree.proof(leaves, 0));
        vm.expectRevert(abi.encodeWithSelector(AttributionLedger.AlreadyClaimed.selector, batchId, bob));
        ledger.claim(batchId, bob, 3 ether, MerkleTestTree.proof(leaves, 0));
    }

    function test_RevertIf_WrongAmount() public {
        _fund(10 ether);
        bytes32[] memory leaves = _twoLeaves(3 ether, 7 ether);
        vm.prank(operator);
        uint256 batchId = ledger.postBatch(MerkleTestTree.root(leaves), modelId, 7 ether, 1, "");
        vm.expectRevert(abi.encodeWithSelector(AttributionLedger.InvalidProof.selector, batchId, bob, 4 ether));
        ledger.claim(batchId, bob, 4 ether, MerkleTestTree.proof(leaves, 0));
    }

    function test_RevertIf_PostByNonOperator() public {
        _fund(10 ether);
        bytes32 role = ledger.OPERATOR_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, bob, role));
        vm.prank(bob);
        ledger.postBatch(keccak256("root"), modelId, 1 ether, 1, "");
    }

    function test_RevertIf_BatchExceedsPool() public {
        _fund(10 ether);
        vm.expectRevert(abi.encodeWithSelector(AttributionLedger.BatchExceedsPool.selector, modelId, 8 ether, 7 ether));
        vm.prank(operator);
        ledger.postBatch(keccak256("root"), modelId, 8 ether, 1, "");
    }

    function test_RevertIf_FeesForUnknownModel() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, 42));
        ledger.payInferenceFees{value: 1 ether}(42, 1);
    }

    function test_RevertIf_ShareBelowThreshold() public {
        vm.prank(address(timelock));
        params.setAttributionThreshold(1_000); // 10%
        _fund(10 ether);
        bytes32[] memory leaves = _twoLeaves(0.5 ether, 7 ether); // bob: 7.1% of the batch
        vm.prank(operator);
        uint256 batchId = ledger.postBatch(MerkleTestTree.root(leaves), modelId, 7 ether, 1, "");
        vm.expectRevert(
            abi.encodeWithSelector(AttributionLedger.ShareBelowThreshold.selector, batchId, 0.5 ether, 7 ether, 1_000)
        );
        ledger.claim(batchId, bob, 0.5 ether, MerkleTestTree.proof(leaves, 0));
    }

    /// An operator that commits leaves summing past the batch total cannot drain other pools.
    function test_RevertIf_LeavesOverstateTotal() public {
        _fund(10 ether);
        bytes32[] memory leaves = new bytes32[](2);
        leaves[0] = MerkleTestTree.addressAmountLeaf(bob, 5 ether);
        leaves[1] = MerkleTestTree.addressAmountLeaf(carol, 5 ether);
        vm.prank(operator);
        uint256 batchId = ledger.postBatch(MerkleTestTree.root(leaves), modelId, 7 ether, 1, "");
        ledger.claim(batchId, bob, 5 ether, MerkleTestTree.proof(leaves, 0));
        vm.expectRevert(
            abi.encodeWithSelector(AttributionLedger.ClaimExceedsBatch.selector, batchId, 10 ether, 7 ether)
        );
        ledger.claim(batchId, carol, 5 ether, MerkleTestTree.proof(leaves, 1));
    }

    function testFuzz_ClaimPaysExactly(uint256 fee, uint256 bobShare) public {
        fee = bound(fee, 1e6, 1e24);
        _fund(fee);
        uint256 total = ledger.rewardPool(modelId);
        // Keep both shares above the 0.01% threshold.
        bobShare = bound(bobShare, total / 1_000 + 1, total - total / 1_000 - 1);
        bytes32[] memory leaves = _twoLeaves(bobShare, total);
        vm.prank(operator);
        uint256 batchId = ledger.postBatch(MerkleTestTree.root(leaves), modelId, total, 1, "");
        ledger.claim(batchId, bob, bobShare, MerkleTestTree.proof(leaves, 0));
        ledger.claim(batchId, carol, total - bobShare, MerkleTestTree.proof(leaves, 1));
        assertEq(bob.balance + carol.balance, total, "all paid, nothing more");
        assertEq(address(ledger).balance, _liabilities(), "backed");
    }

    function test_WithdrawOwedShares() public {
        _fund(10 ether);
        vm.prank(modelOwner);
        ledger.withdraw();
        assertEq(modelOwner.balance, 2 ether, "model owner paid");
        vm.expectRevert(abi.encodeWithSelector(AttributionLedger.NothingOwed.selector, modelOwner));
        vm.prank(modelOwner);
        ledger.withdraw();
    }

    /// Gas targets: a batch for 1,000 inferences costs at most 2,000 gas per inference; a claim from
    /// a 1,000-contributor tree (proof of 10 hashes) at most 100,000 gas. gasleft() measures
    /// execution only, so the 21,000 base cost and calldata (16 gas a byte, at most) are added.
    /// The claimer holds OPEN already, as a contributor who paid gas to submit does; sending to
    /// an account that never held anything costs 25,000 more (the EVM's new-account charge).
    function test_GasTargets() public {
        _fund(1_000 ether);
        uint256 n = 1_000;
        uint256 total = ledger.rewardPool(modelId);
        uint256 each = total / n;
        bytes32[] memory leaves = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            // Safe cast: i < 1,000.
            // forge-lint: disable-next-line(unsafe-typecast)
            leaves[i] = MerkleTestTree.addressAmountLeaf(address(uint160(0x1000 + i)), each);
        }
        bytes32 root = MerkleTestTree.root(leaves);
        bytes32[] memory proof = MerkleTestTree.proof(leaves, 777);
        address claimer = address(uint160(0x1000 + 777));
        vm.deal(claimer, 1 ether);

        vm.prank(operator);
        uint256 g = gasleft();
        uint256 batchId = ledger.postBatch(root, modelId, each * n, n, "file://batches/1.json");
        uint256 postGas = g - gasleft() + 21_000 + 16 * (4 + 32 * 7 + 32);
        assertLe(postGas, 2_000 * n, "post under 2,000 gas per inference");

        g = gasleft();
        ledger.claim(batchId, claimer, each, proof);
        uint256 claimGas = g - gasleft() + 21_000 + 16 * (4 + 32 * 6 + 32 * proof.length);
        assertLe(claimGas, 100_000, "claim under 100,000 gas");
    }
}
