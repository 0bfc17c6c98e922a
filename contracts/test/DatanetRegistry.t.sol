// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {MerkleTestTree} from "./utils/MerkleTestTree.sol";
import {DatanetRegistry} from "../src/DatanetRegistry.sol";

contract DatanetRegistryTest is ProtocolFixture {
    uint256 internal constant STAKE = 1 ether;
    uint256 internal datanetId;

    function setUp() public override {
        super.setUp();
        vm.prank(alice);
        datanetId = datanets.createDatanet("ipfs://datanet-meta", STAKE);
        vm.prank(alice);
        datanets.setCurator(datanetId, carol, true);
        vm.deal(bob, 100 ether);
    }

    function _submit(bytes32 h) internal returns (uint256) {
        vm.prank(bob);
        return datanets.submit{value: STAKE}(datanetId, h, "file://batch.jsonl");
    }

    function test_CreateDatanet() public view {
        DatanetRegistry.Datanet memory d = datanets.getDatanet(datanetId);
        assertEq(d.owner, alice, "owner");
        assertEq(d.submissionStake, STAKE, "stake");
        assertEq(datanets.datanetCount(), 1, "count");
    }

    function test_SubmitHoldsStake() public {
        uint256 id = _submit(keccak256("batch-1"));
        assertEq(address(datanets).balance, STAKE, "held");
        assertEq(datanets.totalStaked(), STAKE, "accounted");
        assertEq(
            uint256(datanets.getSubmission(id).status), uint256(DatanetRegistry.SubmissionStatus.Pending), "pending"
        );
    }

    function test_RevertIf_WrongStake() public {
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.WrongStake.selector, datanetId, 0.5 ether, STAKE));
        vm.prank(bob);
        datanets.submit{value: 0.5 ether}(datanetId, keccak256("x"), "");
    }

    function test_RevertIf_UnknownDatanet() public {
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UnknownDatanet.selector, 99));
        vm.prank(bob);
        datanets.submit{value: STAKE}(99, keccak256("x"), "");
    }

    function test_AcceptReturnsStake() public {
        uint256 id = _submit(keccak256("batch-1"));
        vm.prank(carol);
        datanets.accept(id);
        assertEq(datanets.owed(bob), STAKE, "stake owed back");
        uint256 before = bob.balance;
        vm.prank(bob);
        datanets.withdraw();
        assertEq(bob.balance - before, STAKE, "paid");
        assertEq(address(datanets).balance, 0, "empty");
    }

    function test_PlainRejectRefunds() public {
        uint256 id = _submit(keccak256("batch-1"));
        vm.prank(alice);
        datanets.reject(id, false);
        assertEq(datanets.owed(bob), STAKE, "refund");
        assertEq(
            uint256(datanets.getSubmission(id).status), uint256(DatanetRegistry.SubmissionStatus.Rejected), "status"
        );
    }

    function test_AdversarialRejectSlashes() public {
        uint256 id = _submit(keccak256("spam"));
        vm.prank(carol);
        datanets.reject(id, true);
        assertEq(datanets.owed(bob), 0, "nothing back");
        assertEq(datanets.owed(address(timelock)), STAKE / 2, "treasury half");
        assertEq(datanets.owed(carol), STAKE / 2, "curator half");
    }

    function testFuzz_SlashSplitConserves(uint256 stake, uint16 ratio) public {
        stake = bound(stake, 0, type(uint96).max);
        ratio = uint16(bound(ratio, 0, 10_000));
        vm.prank(address(timelock));
        params.setSlashRatio(ratio);
        vm.prank(alice);
        uint256 dn = datanets.createDatanet("", stake);
        vm.deal(bob, stake);
        vm.prank(bob);
        uint256 id = datanets.submit{value: stake}(dn, keccak256("s"), "");
        vm.prank(alice);
        datanets.reject(id, true);
        uint256 toTreasury = datanets.owed(address(timelock));
        assertEq(toTreasury, (stake * ratio) / 10_000, "treasury share");
        assertEq(toTreasury + datanets.owed(alice), stake, "nothing lost or created");
        assertEq(datanets.totalStaked(), 0, "stake released");
    }

    function test_RevertIf_NotCurator() public {
        uint256 id = _submit(keccak256("batch-1"));
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotCurator.selector, datanetId, bob));
        vm.prank(bob);
        datanets.accept(id);
    }

    function test_RevertIf_DecidedTwice() public {
        uint256 id = _submit(keccak256("batch-1"));
        vm.prank(alice);
        datanets.accept(id);
        vm.expectRevert(
            abi.encodeWithSelector(
                DatanetRegistry.SubmissionNotPending.selector, id, DatanetRegistry.SubmissionStatus.Accepted
            )
        );
        vm.prank(alice);
        datanets.reject(id, true);
    }

    function test_RevertIf_SetCuratorByNonOwner() public {
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotDatanetOwner.selector, datanetId, carol));
        vm.prank(carol);
        datanets.setCurator(datanetId, bob, true);
    }

    function test_CommitVersionAndVerifyRecord() public {
        bytes32[] memory leaves = new bytes32[](3);
        leaves[0] = MerkleTestTree.addressHashLeaf(bob, keccak256("r0"));
        leaves[1] = MerkleTestTree.addressHashLeaf(carol, keccak256("r1"));
        leaves[2] = MerkleTestTree.addressHashLeaf(bob, keccak256("r2"));
        bytes32 root = MerkleTestTree.root(leaves);
        // sha256 is a precompile call: compute it before vm.prank, which applies to the next call.
        bytes32 snapshot = sha256("snapshot");
        vm.expectEmit(true, true, false, true);
        emit DatanetRegistry.VersionCommitted(datanetId, 1, root, snapshot, 3);
        vm.prank(carol);
        uint256 v = datanets.commitVersion(datanetId, root, snapshot, 3);
        assertEq(v, 1, "first version");
        assertTrue(datanets.verifyRecord(datanetId, 1, carol, keccak256("r1"), MerkleTestTree.proof(leaves, 1)), "in");
        assertFalse(
            datanets.verifyRecord(datanetId, 1, bob, keccak256("r1"), MerkleTestTree.proof(leaves, 1)),
            "wrong contributor"
        );
    }

    function test_RevertIf_CommitByStranger() public {
        bytes32 snapshot = sha256("s");
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotCurator.selector, datanetId, bob));
        vm.prank(bob);
        datanets.commitVersion(datanetId, keccak256("root"), snapshot, 1);
    }

    function test_RevertIf_UnknownVersion() public {
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UnknownVersion.selector, datanetId, 7));
        datanets.getVersion(datanetId, 7);
    }
}
