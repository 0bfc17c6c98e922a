// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @dev The cheatcodes these tests use, declared against forge's cheatcode address. The npm
/// `forge-std` package (1.1.2) is an old, partial copy that imports a `ds-test` the registry does
/// not ship, so the tests carry this small base instead. Assertions go through forge's assert
/// cheatcodes, which revert on failure as forge 1.x expects.
interface Vm {
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function deal(address account, uint256 newBalance) external;
    function warp(uint256 newTimestamp) external;
    function roll(uint256 newHeight) external;
    function assume(bool condition) external pure;
    function label(address account, string calldata newLabel) external;
    function addr(uint256 privateKey) external pure returns (address);
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert() external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData) external;
    function assertTrue(bool condition, string calldata message) external pure;
    function assertFalse(bool condition, string calldata message) external pure;
    function assertEq(uint256 left, uint256 right, string calldata message) external pure;
    function assertEq(address left, address right, string calldata message) external pure;
    function assertEq(bytes32 left, bytes32 right, string calldata message) external pure;
    function assertEq(bool left, bool right, string calldata message) external pure;
    function assertLe(uint256 left, uint256 right, string calldata message) external pure;
    function assertGe(uint256 left, uint256 right, string calldata message) external pure;
}

abstract contract TestBase {
    // forge recognises test contracts by this flag and by their test/invariant functions.
    bool public IS_TEST = true;

    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    address[] private _targetContracts;
    address[] private _targetSenders;

    /// @dev forge's invariant runner calls these to learn which contracts and senders to fuzz.
    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }

    function targetSenders() public view returns (address[] memory) {
        return _targetSenders;
    }

    function targetContract(address target) internal {
        _targetContracts.push(target);
    }

    function targetSender(address sender) internal {
        _targetSenders.push(sender);
    }

    function makeAddr(string memory name) internal returns (address account) {
        account = vm.addr(uint256(keccak256(bytes(name))));
        vm.label(account, name);
    }

    /// @dev Maps any x into [min, max] while keeping small inputs small, so the fuzzer's edge
    /// values (0, 1, max) land on the range's edges.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        if (size == 0) return x; // the full uint256 range
        if (x < min) return max - ((min - x - 1) % size);
        return min + ((x - max - 1) % size);
    }

    function assertTrue(bool c, string memory m) internal pure {
        vm.assertTrue(c, m);
    }

    function assertFalse(bool c, string memory m) internal pure {
        vm.assertFalse(c, m);
    }

    function assertEq(uint256 a, uint256 b, string memory m) internal pure {
        vm.assertEq(a, b, m);
    }

    function assertEq(address a, address b, string memory m) internal pure {
        vm.assertEq(a, b, m);
    }

    function assertEq(bytes32 a, bytes32 b, string memory m) internal pure {
        vm.assertEq(a, b, m);
    }

    function assertLe(uint256 a, uint256 b, string memory m) internal pure {
        vm.assertLe(a, b, m);
    }

    function assertGe(uint256 a, uint256 b, string memory m) internal pure {
        vm.assertGe(a, b, m);
    }
}
