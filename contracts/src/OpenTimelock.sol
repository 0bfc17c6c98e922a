// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title OpenTimelock
/// @notice OpenZeppelin's TimelockController under a name of our own, so the build step emits its
/// ABI and bytecode beside the protocol's other contracts. It owns ProtocolParams and doubles as
/// the treasury: it holds the treasury's OPEN until governance spends it.
contract OpenTimelock is TimelockController {
    constructor(uint256 minDelaySeconds, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelaySeconds, proposers, executors, admin)
    {}
}
