// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TestBase} from "../utils/TestBase.sol";
import {DatanetRegistry} from "../../src/DatanetRegistry.sol";

/// @dev Random submissions, decisions and withdrawals against one datanet, with ghost totals.
contract DatanetHandler is TestBase {
    DatanetRegistry internal immutable registry;
    uint256 internal immutable datanetId;
    uint256 internal immutable stake;
    address internal immutable curator;
    address internal immutable treasury;
    address[3] internal contributors = [address(0xC1), address(0xC2), address(0xC3)];

    uint256[] internal submissions;
    uint256 public ghostStakedIn;
    uint256 public ghostPaidOut;
    uint256 public ghostStrangerDecisions;

    constructor(DatanetRegistry registry_, uint256 datanetId_, uint256 stake_, address curator_, address treasury_) {
        registry = registry_;
        datanetId = datanetId_;
        stake = stake_;
        curator = curator_;
        treasury = treasury_;
    }

    function submit(uint256 who, bytes32 h) external {
        if (h == bytes32(0)) h = keccak256("zero");
        address c = contributors[who % 3];
        vm.deal(c, c.balance + stake);
        vm.prank(c);
        submissions.push(registry.submit{value: stake}(datanetId, h, ""));
        ghostStakedIn += stake;
    }

    /// kind: 0 accept, 1 plain reject, 2 adversarial reject.
    function decide(uint256 seed, uint8 kind) external {
        if (submissions.length == 0) return;
        uint256 id = submissions[seed % submissions.length];
        vm.startPrank(curator);
        if (kind % 3 == 0) try registry.accept(id) {} catch {} else try registry.reject(id, kind % 3 == 2) {} catch {}
        vm.stopPrank();
    }

    function decideAsStranger(address stranger, uint256 seed) external {
        if (submissions.length == 0 || stranger == curator) return;
        vm.prank(stranger);
        try registry.accept(submissions[seed % submissions.length]) {
            ghostStrangerDecisions++;
        } catch {}
    }

    function withdraw(uint256 who) external {
        address a = who % 5 < 3 ? contributors[who % 5] : (who % 5 == 3 ? curator : treasury);
        uint256 before = a.balance;
        vm.prank(a);
        try registry.withdraw() {
            ghostPaidOut += a.balance - before;
        } catch {}
    }
}
