// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {ProtocolParams} from "../src/ProtocolParams.sol";

contract GovernanceTest is ProtocolFixture {
    function setUp() public override {
        super.setUp();
        vm.deal(alice, 100 ether);
        vm.deal(bob, 100 ether);
        vm.prank(alice);
        wopen.deposit{value: 60 ether}();
        vm.prank(bob);
        wopen.deposit{value: 40 ether}();
        vm.roll(block.number + 1); // votes count from the block after they were checkpointed
    }

    function _proposal(uint16 newThreshold)
        internal
        view
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas, string memory description)
    {
        targets = new address[](1);
        targets[0] = address(params);
        values = new uint256[](1);
        calldatas = new bytes[](1);
        calldatas[0] = abi.encodeCall(ProtocolParams.setAttributionThreshold, (newThreshold));
        description = "Raise the attribution threshold";
    }

    function test_ProposalChangesParamAfterTimelock() public {
        (address[] memory t, uint256[] memory v, bytes[] memory c, string memory d) = _proposal(25);
        vm.prank(alice);
        uint256 id = governor.propose(t, v, c, d);
        vm.roll(block.number + VOTING_DELAY + 1);
        vm.prank(alice);
        governor.castVote(id, 1); // for
        vm.prank(bob);
        governor.castVote(id, 0); // against
        vm.roll(block.number + VOTING_PERIOD);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Succeeded), "succeeded");
        governor.queue(t, v, c, keccak256(bytes(d)));
        vm.warp(block.timestamp + TIMELOCK_DELAY);
        governor.execute(t, v, c, keccak256(bytes(d)));
        assertEq(params.attributionThresholdBps(), 25, "applied");
    }

    function test_RevertIf_ExecuteBeforeDelay() public {
        (address[] memory t, uint256[] memory v, bytes[] memory c, string memory d) = _proposal(30);
        vm.prank(alice);
        uint256 id = governor.propose(t, v, c, d);
        vm.roll(block.number + VOTING_DELAY + 1);
        vm.prank(alice);
        governor.castVote(id, 1);
        vm.roll(block.number + VOTING_PERIOD);
        governor.queue(t, v, c, keccak256(bytes(d)));
        vm.expectRevert();
        governor.execute(t, v, c, keccak256(bytes(d)));
    }

    function test_DefeatedWithoutQuorum() public {
        address small = makeAddr("small");
        vm.deal(small, 1 ether);
        vm.prank(small);
        wopen.deposit{value: 1 ether}(); // 1 of 101 OPEN wrapped: under the 4% quorum
        vm.roll(block.number + 1);
        (address[] memory t, uint256[] memory v, bytes[] memory c, string memory d) = _proposal(40);
        vm.prank(small);
        uint256 id = governor.propose(t, v, c, d);
        vm.roll(block.number + VOTING_DELAY + 1);
        vm.prank(small);
        governor.castVote(id, 1);
        vm.roll(block.number + VOTING_PERIOD);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Defeated), "defeated");
    }

    /// Votes are read at the snapshot: OPEN wrapped after the proposal starts does not count.
    function test_LateWrapDoesNotCount() public {
        (address[] memory t, uint256[] memory v, bytes[] memory c, string memory d) = _proposal(50);
        vm.prank(alice);
        uint256 id = governor.propose(t, v, c, d);
        vm.roll(block.number + VOTING_DELAY + 1);
        address whale = makeAddr("whale");
        vm.deal(whale, 1_000 ether);
        vm.prank(whale);
        wopen.deposit{value: 1_000 ether}();
        vm.prank(whale);
        uint256 weight = governor.castVote(id, 0);
        assertEq(weight, 0, "no weight at the snapshot");
    }
}
