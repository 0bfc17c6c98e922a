// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {WrappedOpen} from "../../src/WrappedOpen.sol";
import {OpenTimelock} from "../../src/OpenTimelock.sol";
import {OpenGovernor} from "../../src/OpenGovernor.sol";
import {ProtocolParams} from "../../src/ProtocolParams.sol";
import {DatanetRegistry} from "../../src/DatanetRegistry.sol";
import {ModelRegistry} from "../../src/ModelRegistry.sol";
import {AttributionLedger} from "../../src/AttributionLedger.sol";

/// @dev Deploys and wires the protocol as main/chain/deployProtocol.ts does with
/// keepDeployerAdmin: false (the production shape: only the timelock administers).
abstract contract ProtocolFixture is TestBase {
    uint256 internal constant TIMELOCK_DELAY = 1 hours;
    uint48 internal constant VOTING_DELAY = 1; // blocks
    uint32 internal constant VOTING_PERIOD = 50; // blocks
    uint256 internal constant QUORUM_PERCENT = 4;
    uint16 internal constant THRESHOLD_BPS = 1; // 0.01%
    uint16 internal constant CONTRIBUTOR_FEE_BPS = 7_000;
    uint16 internal constant MODEL_OWNER_FEE_BPS = 2_000;
    uint16 internal constant SLASH_TREASURY_BPS = 5_000;

    WrappedOpen internal wopen;
    OpenTimelock internal timelock;
    OpenGovernor internal governor;
    ProtocolParams internal params;
    DatanetRegistry internal datanets;
    ModelRegistry internal models;
    AttributionLedger internal ledger;

    address internal deployer = address(this);
    address internal operator;
    address internal alice;
    address internal bob;
    address internal carol;

    function setUp() public virtual {
        operator = makeAddr("operator");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        carol = makeAddr("carol");

        wopen = new WrappedOpen();
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1); // address(0) as executor: anyone may execute
        timelock = new OpenTimelock(TIMELOCK_DELAY, none, anyone, deployer);
        governor = new OpenGovernor(wopen, timelock, VOTING_DELAY, VOTING_PERIOD, 0, QUORUM_PERCENT);
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), deployer);

        params = new ProtocolParams(
            address(timelock),
            address(timelock),
            THRESHOLD_BPS,
            CONTRIBUTOR_FEE_BPS,
            MODEL_OWNER_FEE_BPS,
            SLASH_TREASURY_BPS
        );
        datanets = new DatanetRegistry(params);
        models = new ModelRegistry(datanets);
        ledger = new AttributionLedger(params, models, address(timelock));
        // The deployer keeps no admin power: only the timelock (governance) can add operators.
        // Tests grant the operator through the timelock's role the cheap way: a prank.
        bytes32 operatorRole = ledger.OPERATOR_ROLE();
        vm.prank(address(timelock));
        ledger.grantRole(operatorRole, operator);
    }
}
