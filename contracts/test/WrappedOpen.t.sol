// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {WrappedOpen} from "../src/WrappedOpen.sol";

contract WrappedOpenTest is ProtocolFixture {
    function test_DepositMintsAndSelfDelegates() public {
        vm.deal(alice, 5 ether);
        vm.prank(alice);
        wopen.deposit{value: 5 ether}();
        assertEq(wopen.balanceOf(alice), 5 ether, "balance");
        assertEq(wopen.getVotes(alice), 5 ether, "votes without an explicit delegate call");
        assertEq(address(wopen).balance, wopen.totalSupply(), "fully backed");
    }

    function test_RevertIf_WithdrawMoreThanWrapped() public {
        vm.deal(alice, 1 ether);
        vm.startPrank(alice);
        wopen.deposit{value: 1 ether}();
        vm.expectRevert(abi.encodeWithSelector(WrappedOpen.InsufficientWrapped.selector, alice, 1 ether, 2 ether));
        wopen.withdraw(2 ether);
        vm.stopPrank();
    }

    function testFuzz_DepositWithdrawRoundTrip(uint256 amount, uint256 back) public {
        amount = bound(amount, 1, 1e30);
        back = bound(back, 1, amount);
        vm.deal(alice, amount);
        vm.startPrank(alice);
        wopen.deposit{value: amount}();
        wopen.withdraw(back);
        vm.stopPrank();
        assertEq(alice.balance, back, "native returned");
        assertEq(wopen.balanceOf(alice), amount - back, "wrapped left");
        assertEq(address(wopen).balance, wopen.totalSupply(), "fully backed");
        assertEq(wopen.getVotes(alice), amount - back, "votes follow balance");
    }
}
