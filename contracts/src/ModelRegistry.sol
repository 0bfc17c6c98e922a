// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {DatanetRegistry} from "./DatanetRegistry.sol";

/// @title ModelRegistry
/// @notice Base models and the LoRA adapters trained on them. Each entry records the hash of its
/// files, its owner and, for adapters, the base model, the training-config hash and the exact
/// datanet versions it was trained on: the lineage that attribution rewards are paid along.
contract ModelRegistry {
    enum Kind {
        None,
        Base,
        Adapter
    }

    /// @notice One datanet version used in training.
    struct DatanetVersionRef {
        uint64 datanetId;
        uint64 version;
    }

    struct Model {
        address owner;
        Kind kind;
        // 0 for a base model; the base model's id for an adapter.
        uint64 baseModelId;
        bytes32 filesHash;
        bytes32 trainingConfigHash;
        string uri;
    }

    DatanetRegistry public immutable datanets;
    uint64 public modelCount;

    mapping(uint256 modelId => Model) private _models;
    mapping(uint256 modelId => DatanetVersionRef[]) private _trainedOn;

    error UnknownModel(uint256 modelId);
    error NotABaseModel(uint256 modelId);
    error UnknownDatanetVersion(uint256 datanetId, uint256 version);
    error EmptyHash();
    error NotModelOwner(uint256 modelId, address caller);
    error ZeroOwner();

    event BaseModelRegistered(uint256 indexed modelId, address indexed owner, bytes32 filesHash, string uri);
    event AdapterRegistered(
        uint256 indexed modelId,
        uint256 indexed baseModelId,
        address indexed owner,
        bytes32 filesHash,
        bytes32 trainingConfigHash,
        DatanetVersionRef[] datanetVersions,
        string uri
    );
    event ModelOwnershipTransferred(uint256 indexed modelId, address indexed previousOwner, address indexed newOwner);

    constructor(DatanetRegistry datanets_) {
        datanets = datanets_;
    }

    function registerBaseModel(bytes32 filesHash, string calldata uri) external returns (uint256 modelId) {
        if (filesHash == bytes32(0)) revert EmptyHash();
        modelId = ++modelCount;
        _models[modelId] = Model({
            owner: msg.sender,
            kind: Kind.Base,
            baseModelId: 0,
            filesHash: filesHash,
            trainingConfigHash: bytes32(0),
            uri: uri
        });
        emit BaseModelRegistered(modelId, msg.sender, filesHash, uri);
    }

    function registerAdapter(
        uint256 baseModelId,
        bytes32 filesHash,
        bytes32 trainingConfigHash,
        DatanetVersionRef[] calldata datanetVersions,
        string calldata uri
    ) external returns (uint256 modelId) {
        if (_models[baseModelId].kind != Kind.Base) revert NotABaseModel(baseModelId);
        if (filesHash == bytes32(0) || trainingConfigHash == bytes32(0)) revert EmptyHash();
        modelId = ++modelCount;
        _models[modelId] = Model({
            owner: msg.sender,
            kind: Kind.Adapter,
            // Safe cast: the base model exists, so its id is at most modelCount, a uint64.
            // forge-lint: disable-next-line(unsafe-typecast)
            baseModelId: uint64(baseModelId),
            filesHash: filesHash,
            trainingConfigHash: trainingConfigHash,
            uri: uri
        });
        DatanetVersionRef[] storage refs = _trainedOn[modelId];
        for (uint256 i = 0; i < datanetVersions.length; ++i) {
            DatanetVersionRef calldata r = datanetVersions[i];
            // A lineage that names a version nobody committed would pay rewards to nobody.
            if (!datanets.versionExists(r.datanetId, r.version)) revert UnknownDatanetVersion(r.datanetId, r.version);
            refs.push(r);
        }
        emit AdapterRegistered(modelId, baseModelId, msg.sender, filesHash, trainingConfigHash, datanetVersions, uri);
    }

    function transferModel(uint256 modelId, address newOwner) external {
        Model storage m = _existing(modelId);
        if (m.owner != msg.sender) revert NotModelOwner(modelId, msg.sender);
        if (newOwner == address(0)) revert ZeroOwner();
        m.owner = newOwner;
        emit ModelOwnershipTransferred(modelId, msg.sender, newOwner);
    }

    function getModel(uint256 modelId) external view returns (Model memory) {
        return _existing(modelId);
    }

    function ownerOf(uint256 modelId) external view returns (address) {
        return _existing(modelId).owner;
    }

    /// @notice The lineage of a model: its base (0 for a base model) and the datanet versions it
    /// was trained on.
    function lineage(uint256 modelId)
        external
        view
        returns (uint256 baseModelId, DatanetVersionRef[] memory datanetVersions)
    {
        Model storage m = _existing(modelId);
        return (m.baseModelId, _trainedOn[modelId]);
    }

    function _existing(uint256 modelId) private view returns (Model storage m) {
        m = _models[modelId];
        if (m.kind == Kind.None) revert UnknownModel(modelId);
    }
}
