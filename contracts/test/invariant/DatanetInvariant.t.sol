// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {DatanetHandler} from "./DatanetHandler.sol";

contract DatanetInvariantTest is ProtocolFixture {
    DatanetHandler internal handler;

    function setUp() public override {
        super.setUp();
        vm.prank(alice);
        uint256 datanetId = datanets.createDatanet("meta", 0.3 ether);
        handler = new DatanetHandler(datanets, datanetId, 0.3 ether, alice, address(timelock));
        targetContract(address(handler));
    }

    /// Every staked OPEN is held (pending or owed) or was paid out: none created, none lost.
    function invariant_StakesConserved() public view {
        assertEq(address(datanets).balance, datanets.totalStaked() + datanets.totalOwed(), "held == staked + owed");
        assertEq(handler.ghostStakedIn(), address(datanets).balance + handler.ghostPaidOut(), "in == held + out");
    }

    function invariant_OnlyCuratorsDecide() public view {
        assertEq(handler.ghostStrangerDecisions(), 0, "a stranger decided a submission");
    }
}
