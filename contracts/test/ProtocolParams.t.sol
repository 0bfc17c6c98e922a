// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {ProtocolParams} from "../src/ProtocolParams.sol";

contract ProtocolParamsTest is ProtocolFixture {
    function test_InitialValues() public view {
        assertEq(params.owner(), address(timelock), "owner is the timelock");
        assertEq(params.treasury(), address(timelock), "treasury");
        assertEq(params.attributionThresholdBps(), THRESHOLD_BPS, "threshold");
        assertEq(params.treasuryFeeBps(), 1_000, "treasury fee is the rest");
    }

    function test_RevertIf_NotOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        params.setAttributionThreshold(10);
    }

    function test_RevertIf_FeeSplitOver100Percent() public {
        vm.expectRevert(abi.encodeWithSelector(ProtocolParams.FeeSplitTooLarge.selector, 6_000, 4_001));
        vm.prank(address(timelock));
        params.setFeeSplit(6_000, 4_001);
    }

    function testFuzz_FeeSplitKeepsSum(uint16 contributorBps, uint16 ownerBps) public {
        contributorBps = uint16(bound(contributorBps, 0, 10_000));
        ownerBps = uint16(bound(ownerBps, 0, 10_000 - contributorBps));
        vm.prank(address(timelock));
        params.setFeeSplit(contributorBps, ownerBps);
        assertEq(
            uint256(params.contributorFeeBps()) + params.modelOwnerFeeBps() + params.treasuryFeeBps(), 10_000, "sum"
        );
    }

    function testFuzz_RevertIf_SlashRatioOutOfRange(uint16 bps) public {
        bps = uint16(bound(bps, 10_001, type(uint16).max));
        vm.expectRevert(abi.encodeWithSelector(ProtocolParams.BpsOutOfRange.selector, bps));
        vm.prank(address(timelock));
        params.setSlashRatio(bps);
    }
}
