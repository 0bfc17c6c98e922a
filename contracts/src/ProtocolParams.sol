// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title ProtocolParams
/// @notice The protocol's governed numbers in one place. Its owner is the TimelockController, so a
/// change only happens after a WOPEN-weighted vote passed and the timelock delay elapsed. The
/// registries and the ledger read these values at the moment they act, so a change applies to
/// everything that happens after it and to nothing before.
contract ProtocolParams is Ownable {
    /// @dev Basis points: 10_000 is 100%.
    uint16 public constant BPS = 10_000;

    /// @notice Smallest share of a batch's total (in bps) that one contributor may claim. The
    /// off-chain attribution drops contributors under this share; the ledger enforces it at claim.
    uint16 public attributionThresholdBps;
    /// @notice Share of each inference fee (bps) that goes to the data contributors' reward pool.
    uint16 public contributorFeeBps;
    /// @notice Share of each inference fee (bps) that goes to the model's owner. The rest of the
    /// fee goes to the treasury.
    uint16 public modelOwnerFeeBps;
    /// @notice Share of a slashed submission stake (bps) that goes to the treasury; the curator who
    /// caught the adversarial submission gets the rest.
    uint16 public slashTreasuryBps;
    /// @notice Where the treasury's shares are credited.
    address public treasury;

    error BpsOutOfRange(uint256 value);
    error FeeSplitTooLarge(uint256 contributorFeeBps, uint256 modelOwnerFeeBps);
    error ZeroTreasury();

    event AttributionThresholdChanged(uint16 previousBps, uint16 newBps);
    event FeeSplitChanged(uint16 contributorFeeBps, uint16 modelOwnerFeeBps);
    event SlashRatioChanged(uint16 previousBps, uint16 newBps);
    event TreasuryChanged(address previousTreasury, address newTreasury);

    constructor(
        address owner_,
        address treasury_,
        uint16 attributionThresholdBps_,
        uint16 contributorFeeBps_,
        uint16 modelOwnerFeeBps_,
        uint16 slashTreasuryBps_
    ) Ownable(owner_) {
        // The constructor runs before the timelock could call anything, so it uses the
        // unguarded setters; every later change goes through onlyOwner.
        _setTreasury(treasury_);
        _setAttributionThreshold(attributionThresholdBps_);
        _setFeeSplit(contributorFeeBps_, modelOwnerFeeBps_);
        _setSlashRatio(slashTreasuryBps_);
    }

    /// @notice Treasury share (bps) of an inference fee, derived so the three parts always sum to 100%.
    function treasuryFeeBps() external view returns (uint16) {
        // Cannot underflow: setFeeSplit keeps contributorFeeBps + modelOwnerFeeBps <= BPS.
        unchecked {
            return BPS - contributorFeeBps - modelOwnerFeeBps;
        }
    }

    function setAttributionThreshold(uint16 newBps) external onlyOwner {
        _setAttributionThreshold(newBps);
    }

    function _setAttributionThreshold(uint16 newBps) private {
        if (newBps > BPS) revert BpsOutOfRange(newBps);
        uint16 previous = attributionThresholdBps;
        attributionThresholdBps = newBps;
        emit AttributionThresholdChanged(previous, newBps);
    }

    function setFeeSplit(uint16 contributorBps, uint16 modelOwnerBps) external onlyOwner {
        _setFeeSplit(contributorBps, modelOwnerBps);
    }

    function _setFeeSplit(uint16 contributorBps, uint16 modelOwnerBps) private {
        if (uint256(contributorBps) + modelOwnerBps > BPS) revert FeeSplitTooLarge(contributorBps, modelOwnerBps);
        contributorFeeBps = contributorBps;
        modelOwnerFeeBps = modelOwnerBps;
        emit FeeSplitChanged(contributorBps, modelOwnerBps);
    }

    function setSlashRatio(uint16 newTreasuryBps) external onlyOwner {
        _setSlashRatio(newTreasuryBps);
    }

    function _setSlashRatio(uint16 newTreasuryBps) private {
        if (newTreasuryBps > BPS) revert BpsOutOfRange(newTreasuryBps);
        uint16 previous = slashTreasuryBps;
        slashTreasuryBps = newTreasuryBps;
        emit SlashRatioChanged(previous, newTreasuryBps);
    }

    function setTreasury(address newTreasury) external onlyOwner {
        _setTreasury(newTreasury);
    }

    function _setTreasury(address newTreasury) private {
        if (newTreasury == address(0)) revert ZeroTreasury();
        address previous = treasury;
        treasury = newTreasury;
        emit TreasuryChanged(previous, newTreasury);
    }
}
