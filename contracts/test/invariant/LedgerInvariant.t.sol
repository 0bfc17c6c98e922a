// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {LedgerHandler} from "./LedgerHandler.sol";
import {AttributionLedger} from "../../src/AttributionLedger.sol";

contract LedgerInvariantTest is ProtocolFixture {
    LedgerHandler internal handler;

    function setUp() public override {
        super.setUp();
        address modelOwner = makeAddr("modelOwner");
        vm.prank(modelOwner);
        uint256 modelId = models.registerBaseModel(keccak256("files"), "");
        handler = new LedgerHandler(ledger, modelId, operator, modelOwner, address(timelock));
        targetContract(address(handler));
    }

    /// Conservation of OPEN: everything paid in is either still held or was paid out.
    function invariant_OpenConserved() public view {
        assertEq(handler.ghostDeposited(), address(ledger).balance + handler.ghostPaidOut(), "in == held + out");
        assertEq(ledger.totalDeposited(), handler.ghostDeposited(), "deposits counted");
    }

    /// The ledger always holds exactly what it owes: unattributed pools, unclaimed batch
    /// totals, and fee shares not yet withdrawn.
    function invariant_BalanceCoversLiabilities() public view {
        uint256 unclaimed;
        uint256 n = handler.batchCount();
        for (uint256 i = 0; i < n; ++i) {
            AttributionLedger.Batch memory b = ledger.getBatch(handler.batchIdAt(i));
            unclaimed += b.total - b.claimed;
        }
        uint256 pools = ledger.totalPooled() - ledger.totalAllocated();
        assertEq(address(ledger).balance, pools + unclaimed + ledger.totalOwed(), "balance == liabilities");
    }

    /// No over-claim, per batch and overall.
    function invariant_NoOverClaim() public view {
        uint256 claimed;
        uint256 n = handler.batchCount();
        for (uint256 i = 0; i < n; ++i) {
            AttributionLedger.Batch memory b = ledger.getBatch(handler.batchIdAt(i));
            assertLe(b.claimed, b.total, "batch claimed <= batch total");
            claimed += b.claimed;
        }
        assertLe(claimed, ledger.totalAllocated(), "claimed <= allocated");
        assertLe(ledger.totalAllocated(), ledger.totalPooled(), "allocated <= pooled");
    }

    /// Only operators post.
    function invariant_OnlyOperatorsPost() public view {
        assertEq(handler.ghostUnauthorizedPosts(), 0, "stranger posted a batch");
    }
}
