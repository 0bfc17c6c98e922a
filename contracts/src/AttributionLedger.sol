// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {ProtocolParams} from "./ProtocolParams.sol";

/// @title AttributionLedger
/// @notice The reward vault of Proof of Attribution. Inference fees arrive in native OPEN for a
/// model and are split by the governed fee split: the contributors' share goes into that model's
/// reward pool, the rest is owed to the model's owner and the treasury. Registered attribution
/// operators settle the pool in batches: one Merkle root over (contributor, amount) leaves plus
/// the batch total, which leaves the pool at once. Contributors then claim with a proof.
/// @dev Posting is O(1) whatever the number of inferences or contributors, which is what makes
/// settlement cheap per inference. Each claim is checked three ways: the proof, a per-batch
/// claimed flag, and the batch's running claimed total, which may never exceed the batch total.
contract AttributionLedger is AccessControl {
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @dev Laid out so a claim touches two slots: the root, then total, claimed and threshold
    /// together. uint112 holds 5.2e15 OPEN (18 decimals), beyond any supply.
    struct Batch {
        bytes32 merkleRoot;
        uint112 total;
        uint112 claimed;
        // The governed attribution threshold when the batch was posted: claims are held to it.
        uint16 thresholdBps;
        uint64 modelId;
        uint32 inferenceCount;
        uint40 postedAt;
    }

    /// @dev Same scale as ProtocolParams.BPS, kept local so a claim makes no extra call for it.
    uint256 private constant BPS = 10_000;

    ProtocolParams public immutable params;
    ModelRegistry public immutable models;

    uint256 public batchCount;
    /// @notice Per model, fees waiting to be attributed to contributors.
    mapping(uint256 modelId => uint256) public rewardPool;
    mapping(uint256 batchId => Batch) private _batches;
    mapping(uint256 batchId => mapping(address contributor => bool)) public hasClaimed;
    /// @notice Fee shares owed to model owners and the treasury, paid by `withdraw`.
    mapping(address account => uint256) public owed;

    // Totals kept so that conservation of OPEN can be checked by invariant tests and indexers.
    // Claims update only their batch's `claimed` (no global counter): a claim is the operation
    // every contributor pays for, and a shared counter would add about 5,000 gas to each.
    uint256 public totalDeposited;
    uint256 public totalPooled;
    uint256 public totalAllocated;
    uint256 public totalOwed;
    uint256 public totalWithdrawn;

    error ZeroAmount();
    error ZeroRoot();
    error UnknownBatch(uint256 batchId);
    error BatchExceedsPool(uint256 modelId, uint256 total, uint256 pool);
    error BatchTooLarge(uint256 total, uint256 inferenceCount);
    error AlreadyClaimed(uint256 batchId, address contributor);
    error InvalidProof(uint256 batchId, address contributor, uint256 amount);
    error ShareBelowThreshold(uint256 batchId, uint256 amount, uint256 total, uint256 thresholdBps);
    error ClaimExceedsBatch(uint256 batchId, uint256 claimed, uint256 total);
    error NothingOwed(address account);
    error NativeTransferFailed(address to, uint256 amount);

    event InferenceFeesPaid(
        uint256 indexed modelId,
        address indexed payer,
        uint256 inferenceCount,
        uint256 toContributors,
        uint256 toModelOwner,
        uint256 toTreasury
    );
    event AttributionBatchPosted(
        uint256 indexed batchId,
        uint256 indexed modelId,
        address indexed operator,
        bytes32 merkleRoot,
        uint256 total,
        uint256 inferenceCount,
        uint16 thresholdBps,
        string uri
    );
    event RewardClaimed(uint256 indexed batchId, address indexed contributor, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);

    constructor(ProtocolParams params_, ModelRegistry models_, address admin) {
        params = params_;
        models = models_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Pays inference fees for `inferenceCount` generations by model `modelId`.
    function payInferenceFees(uint256 modelId, uint256 inferenceCount) external payable {
        if (msg.value == 0) revert ZeroAmount();
        address modelOwner = models.ownerOf(modelId);
        uint256 toContributors = (msg.value * params.contributorFeeBps()) / BPS;
        uint256 toModelOwner = (msg.value * params.modelOwnerFeeBps()) / BPS;
        // Cannot underflow: the split's two shares sum to at most BPS, so to at most msg.value;
        // the treasury takes the rest, rounding dust included.
        uint256 toTreasury;
        unchecked {
            toTreasury = msg.value - toContributors - toModelOwner;
        }
        rewardPool[modelId] += toContributors;
        totalDeposited += msg.value;
        totalPooled += toContributors;
        _owe(modelOwner, toModelOwner);
        _owe(params.treasury(), toTreasury);
        emit InferenceFeesPaid(modelId, msg.sender, inferenceCount, toContributors, toModelOwner, toTreasury);
    }

    /// @notice Posts one attribution batch: `total` OPEN from model `modelId`'s pool, split among
    /// contributors by the Merkle tree (StandardMerkleTree over ["address", "uint256"]).
    function postBatch(bytes32 merkleRoot, uint256 modelId, uint256 total, uint256 inferenceCount, string calldata uri)
        external
        onlyRole(OPERATOR_ROLE)
        returns (uint256 batchId)
    {
        if (merkleRoot == bytes32(0)) revert ZeroRoot();
        if (total == 0) revert ZeroAmount();
        if (total > type(uint112).max || inferenceCount > type(uint32).max) {
            revert BatchTooLarge(total, inferenceCount);
        }
        uint256 pool = rewardPool[modelId];
        if (total > pool) revert BatchExceedsPool(modelId, total, pool);
        // Cannot underflow: checked against the pool just above.
        unchecked {
            rewardPool[modelId] = pool - total;
        }
        totalAllocated += total;
        uint16 thresholdBps = params.attributionThresholdBps();
        batchId = ++batchCount;
        _batches[batchId] = Batch({
            merkleRoot: merkleRoot,
            // Safe cast: checked against type(uint112).max above.
            // forge-lint: disable-next-line(unsafe-typecast)
            total: uint112(total),
            claimed: 0,
            thresholdBps: thresholdBps,
            // Safe cast: a non-empty pool exists only for a registered model, and model ids are uint64.
            // forge-lint: disable-next-line(unsafe-typecast)
            modelId: uint64(modelId),
            // Safe cast: checked against type(uint32).max above.
            // forge-lint: disable-next-line(unsafe-typecast)
            inferenceCount: uint32(inferenceCount),
            postedAt: uint40(block.timestamp)
        });
        emit AttributionBatchPosted(batchId, modelId, msg.sender, merkleRoot, total, inferenceCount, thresholdBps, uri);
    }

    /// @notice Pays `contributor` its `amount` from batch `batchId`. Anyone may send the claim;
    /// the OPEN always goes to the contributor named in the leaf.
    function claim(uint256 batchId, address contributor, uint256 amount, bytes32[] calldata proof) external {
        Batch storage b = _batches[batchId];
        bytes32 root = b.merkleRoot;
        if (root == bytes32(0)) revert UnknownBatch(batchId);
        if (hasClaimed[batchId][contributor]) revert AlreadyClaimed(batchId, contributor);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(contributor, amount))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert InvalidProof(batchId, contributor, amount);
        uint256 total = b.total;
        // A faulty operator could commit leaves summing past the total; never pay past it. Checking
        // the single amount first also keeps the products below from overflowing.
        if (amount > total) revert ClaimExceedsBatch(batchId, amount, total);
        uint256 thresholdBps = b.thresholdBps;
        if (amount * BPS < total * thresholdBps) revert ShareBelowThreshold(batchId, amount, total, thresholdBps);
        uint256 claimed = b.claimed + amount;
        if (claimed > total) revert ClaimExceedsBatch(batchId, claimed, total);
        hasClaimed[batchId][contributor] = true;
        // Safe cast: claimed <= total, which is a uint112.
        // forge-lint: disable-next-line(unsafe-typecast)
        b.claimed = uint112(claimed);
        emit RewardClaimed(batchId, contributor, amount);
        (bool ok,) = contributor.call{value: amount}("");
        if (!ok) revert NativeTransferFailed(contributor, amount);
    }

    /// @notice Pays out the fee shares owed to the caller (model owner or treasury).
    function withdraw() external {
        uint256 amount = owed[msg.sender];
        if (amount == 0) revert NothingOwed(msg.sender);
        owed[msg.sender] = 0;
        // Cannot underflow: totalOwed is the sum of every owed[] entry, this one included.
        unchecked {
            totalOwed -= amount;
        }
        totalWithdrawn += amount;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert NativeTransferFailed(msg.sender, amount);
    }

    function getBatch(uint256 batchId) external view returns (Batch memory b) {
        b = _batches[batchId];
        if (b.merkleRoot == bytes32(0)) revert UnknownBatch(batchId);
    }

    function _owe(address account, uint256 amount) private {
        if (amount == 0) return;
        owed[account] += amount;
        totalOwed += amount;
    }
}
