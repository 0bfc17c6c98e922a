// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ProtocolParams} from "./ProtocolParams.sol";

/// @title DatanetRegistry
/// @notice Datanets are curated datasets. Contributors lock the datanet's submission stake in
/// native OPEN with each record batch they submit; the datanet's owner or a curator accepts it
/// (stake returned), rejects it (stake returned) or rejects it as adversarial (stake slashed,
/// split between the treasury and that curator by the governed slash ratio). The owner or a
/// curator commits versions: a Merkle root over (contributor, recordHash) leaves in OpenZeppelin
/// StandardMerkleTree encoding, the snapshot file's sha256 and its record count.
/// @dev Stakes and payouts are pull payments (`withdraw`): a contributor contract that rejects
/// OPEN cannot block a curator's decision, and no external call happens mid-update.
contract DatanetRegistry {
    enum SubmissionStatus {
        None,
        Pending,
        Accepted,
        Rejected,
        Slashed
    }

    struct Datanet {
        address owner;
        // uint96 holds 79 billion OPEN (18 decimals): enough for any stake, and packs with owner.
        uint96 submissionStake;
        uint64 submissionCount;
        uint64 versionCount;
        string metadataURI;
    }

    struct Submission {
        address contributor;
        uint96 stake;
        uint64 datanetId;
        SubmissionStatus status;
        bytes32 recordBatchHash;
        string uri;
    }

    struct Version {
        bytes32 merkleRoot;
        bytes32 snapshotSha256;
        uint64 recordCount;
        uint64 committedAt;
    }

    ProtocolParams public immutable params;

    uint64 public datanetCount;
    uint64 public submissionCount;
    /// @notice Native OPEN held for stakes still pending, so conservation can be checked.
    uint256 public totalStaked;
    /// @notice Native OPEN owed to accounts (returned stakes, slash shares) not yet withdrawn.
    uint256 public totalOwed;

    mapping(uint256 datanetId => Datanet) private _datanets;
    mapping(uint256 datanetId => mapping(address account => bool)) public isCurator;
    mapping(uint256 submissionId => Submission) private _submissions;
    mapping(uint256 datanetId => mapping(uint256 version => Version)) private _versions;
    mapping(address account => uint256) public owed;

    error UnknownDatanet(uint256 datanetId);
    error UnknownSubmission(uint256 submissionId);
    error UnknownVersion(uint256 datanetId, uint256 version);
    error NotDatanetOwner(uint256 datanetId, address caller);
    error NotCurator(uint256 datanetId, address caller);
    error WrongStake(uint256 datanetId, uint256 sent, uint256 required);
    error StakeTooLarge(uint256 stake);
    error SubmissionNotPending(uint256 submissionId, SubmissionStatus status);
    error EmptyHash();
    error EmptyVersion(uint256 datanetId);
    error NothingOwed(address account);
    error NativeTransferFailed(address to, uint256 amount);

    event DatanetCreated(uint256 indexed datanetId, address indexed owner, uint96 submissionStake, string metadataURI);
    event CuratorSet(uint256 indexed datanetId, address indexed curator, bool enabled);
    event SubmissionCreated(
        uint256 indexed submissionId,
        uint256 indexed datanetId,
        address indexed contributor,
        bytes32 recordBatchHash,
        uint96 stake,
        string uri
    );
    event SubmissionAccepted(uint256 indexed submissionId, uint256 indexed datanetId, address indexed curator);
    event SubmissionRejected(uint256 indexed submissionId, uint256 indexed datanetId, address indexed curator);
    event SubmissionSlashed(
        uint256 indexed submissionId,
        uint256 indexed datanetId,
        address indexed curator,
        uint256 toTreasury,
        uint256 toCurator
    );
    event VersionCommitted(
        uint256 indexed datanetId,
        uint256 indexed version,
        bytes32 merkleRoot,
        bytes32 snapshotSha256,
        uint64 recordCount
    );
    event Withdrawn(address indexed account, uint256 amount);

    constructor(ProtocolParams params_) {
        params = params_;
    }

    // ---------------------------------------------------------------- datanets

    function createDatanet(string calldata metadataURI, uint256 submissionStake) external returns (uint256 datanetId) {
        if (submissionStake > type(uint96).max) revert StakeTooLarge(submissionStake);
        datanetId = ++datanetCount;
        Datanet storage d = _datanets[datanetId];
        d.owner = msg.sender;
        // Safe cast: checked against type(uint96).max above.
        // forge-lint: disable-next-line(unsafe-typecast)
        d.submissionStake = uint96(submissionStake);
        d.metadataURI = metadataURI;
        // Safe cast: checked against type(uint96).max above.
        // forge-lint: disable-next-line(unsafe-typecast)
        emit DatanetCreated(datanetId, msg.sender, uint96(submissionStake), metadataURI);
    }

    function setCurator(uint256 datanetId, address curator, bool enabled) external {
        if (_existing(datanetId).owner != msg.sender) revert NotDatanetOwner(datanetId, msg.sender);
        isCurator[datanetId][curator] = enabled;
        emit CuratorSet(datanetId, curator, enabled);
    }

    function getDatanet(uint256 datanetId) external view returns (Datanet memory) {
        return _existing(datanetId);
    }

    // ---------------------------------------------------------------- submissions

    /// @notice Submits a record batch (its content hash and where to fetch it), staking exactly the
    /// datanet's submission stake in native OPEN.
    function submit(uint256 datanetId, bytes32 recordBatchHash, string calldata uri)
        external
        payable
        returns (uint256 submissionId)
    {
        Datanet storage d = _existing(datanetId);
        if (recordBatchHash == bytes32(0)) revert EmptyHash();
        if (msg.value != d.submissionStake) revert WrongStake(datanetId, msg.value, d.submissionStake);
        submissionId = ++submissionCount;
        // msg.value equals submissionStake, a uint96, so the cast is exact.
        _submissions[submissionId] = Submission({
            contributor: msg.sender,
            stake: uint96(msg.value),
            // Safe cast: the datanet exists, so its id is at most datanetCount, a uint64.
            // forge-lint: disable-next-line(unsafe-typecast)
            datanetId: uint64(datanetId),
            status: SubmissionStatus.Pending,
            recordBatchHash: recordBatchHash,
            uri: uri
        });
        // Cannot overflow: a uint64 counter bumped once per transaction.
        unchecked {
            ++d.submissionCount;
        }
        totalStaked += msg.value;
        emit SubmissionCreated(submissionId, datanetId, msg.sender, recordBatchHash, uint96(msg.value), uri);
    }

    function getSubmission(uint256 submissionId) external view returns (Submission memory s) {
        s = _submissions[submissionId];
        if (s.status == SubmissionStatus.None) revert UnknownSubmission(submissionId);
    }

    function accept(uint256 submissionId) external {
        (Submission storage s, uint256 datanetId) = _pendingForCurator(submissionId);
        s.status = SubmissionStatus.Accepted;
        _release(s.stake, s.contributor);
        emit SubmissionAccepted(submissionId, datanetId, msg.sender);
    }

    /// @param adversarial true when the batch was spam, poisoned or plagiarised: its stake is slashed.
    function reject(uint256 submissionId, bool adversarial) external {
        (Submission storage s, uint256 datanetId) = _pendingForCurator(submissionId);
        uint256 stake = s.stake;
        if (!adversarial) {
            s.status = SubmissionStatus.Rejected;
            _release(stake, s.contributor);
            emit SubmissionRejected(submissionId, datanetId, msg.sender);
            return;
        }
        s.status = SubmissionStatus.Slashed;
        uint256 toTreasury = (stake * params.slashTreasuryBps()) / params.BPS();
        // Cannot underflow: slashTreasuryBps <= BPS, so toTreasury <= stake.
        uint256 toCurator;
        unchecked {
            toCurator = stake - toTreasury;
        }
        _release(toTreasury, params.treasury());
        _release(toCurator, msg.sender);
        emit SubmissionSlashed(submissionId, datanetId, msg.sender, toTreasury, toCurator);
    }

    /// @notice Pays out everything owed to the caller (returned stakes, slash shares).
    function withdraw() external {
        uint256 amount = owed[msg.sender];
        if (amount == 0) revert NothingOwed(msg.sender);
        owed[msg.sender] = 0;
        // Cannot underflow: totalOwed is the sum of every owed[] entry, this one included.
        unchecked {
            totalOwed -= amount;
        }
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert NativeTransferFailed(msg.sender, amount);
    }

    // ---------------------------------------------------------------- versions

    function commitVersion(uint256 datanetId, bytes32 merkleRoot, bytes32 snapshotSha256, uint64 recordCount)
        external
        returns (uint256 version)
    {
        Datanet storage d = _existing(datanetId);
        _onlyOwnerOrCurator(datanetId, d);
        if (merkleRoot == bytes32(0) || snapshotSha256 == bytes32(0)) revert EmptyHash();
        if (recordCount == 0) revert EmptyVersion(datanetId);
        version = ++d.versionCount;
        _versions[datanetId][version] = Version({
            merkleRoot: merkleRoot,
            snapshotSha256: snapshotSha256,
            recordCount: recordCount,
            committedAt: uint64(block.timestamp)
        });
        emit VersionCommitted(datanetId, version, merkleRoot, snapshotSha256, recordCount);
    }

    function getVersion(uint256 datanetId, uint256 version) public view returns (Version memory v) {
        v = _versions[datanetId][version];
        if (v.merkleRoot == bytes32(0)) revert UnknownVersion(datanetId, version);
    }

    function versionExists(uint256 datanetId, uint256 version) external view returns (bool) {
        return _versions[datanetId][version].merkleRoot != bytes32(0);
    }

    /// @notice True when (contributor, recordHash) is a leaf of the version's tree. The leaf is
    /// hashed as OpenZeppelin's StandardMerkleTree does for ["address", "bytes32"]: a double
    /// keccak of the ABI encoding, so an inner node can never pass as a leaf.
    function verifyRecord(
        uint256 datanetId,
        uint256 version,
        address contributor,
        bytes32 recordHash,
        bytes32[] calldata proof
    ) external view returns (bool) {
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(contributor, recordHash))));
        return MerkleProof.verifyCalldata(proof, getVersion(datanetId, version).merkleRoot, leaf);
    }

    // ---------------------------------------------------------------- internals

    function _existing(uint256 datanetId) private view returns (Datanet storage d) {
        d = _datanets[datanetId];
        if (d.owner == address(0)) revert UnknownDatanet(datanetId);
    }

    function _onlyOwnerOrCurator(uint256 datanetId, Datanet storage d) private view {
        if (d.owner != msg.sender && !isCurator[datanetId][msg.sender]) revert NotCurator(datanetId, msg.sender);
    }

    function _pendingForCurator(uint256 submissionId) private view returns (Submission storage s, uint256 datanetId) {
        s = _submissions[submissionId];
        if (s.status == SubmissionStatus.None) revert UnknownSubmission(submissionId);
        if (s.status != SubmissionStatus.Pending) revert SubmissionNotPending(submissionId, s.status);
        datanetId = s.datanetId;
        _onlyOwnerOrCurator(datanetId, _datanets[datanetId]);
    }

    /// @dev Moves `amount` of a pending stake into `to`'s withdrawable balance.
    function _release(uint256 amount, address to) private {
        if (amount == 0) return;
        // Cannot underflow: each release spends part of one pending stake that is in totalStaked,
        // and a submission leaves Pending before its stake is released, so it is spent once.
        unchecked {
            totalStaked -= amount;
        }
        owed[to] += amount;
        totalOwed += amount;
    }
}
