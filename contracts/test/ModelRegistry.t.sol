// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {ModelRegistry} from "../src/ModelRegistry.sol";

contract ModelRegistryTest is ProtocolFixture {
    uint256 internal datanetId;
    uint256 internal baseId;

    function setUp() public override {
        super.setUp();
        vm.startPrank(alice);
        datanetId = datanets.createDatanet("meta", 0);
        datanets.commitVersion(datanetId, keccak256("root-1"), sha256("snap-1"), 10);
        datanets.commitVersion(datanetId, keccak256("root-2"), sha256("snap-2"), 12);
        vm.stopPrank();
        vm.prank(bob);
        baseId = models.registerBaseModel(keccak256("gpt2-files"), "hf://gpt2");
    }

    function _refs(uint64 version) internal view returns (ModelRegistry.DatanetVersionRef[] memory r) {
        r = new ModelRegistry.DatanetVersionRef[](1);
        // Safe cast: datanet ids are small counters.
        // forge-lint: disable-next-line(unsafe-typecast)
        r[0] = ModelRegistry.DatanetVersionRef({datanetId: uint64(datanetId), version: version});
    }

    function test_AdapterLineage() public {
        vm.prank(carol);
        uint256 adapterId =
            models.registerAdapter(baseId, keccak256("lora-files"), keccak256("config"), _refs(2), "file://lora");
        (uint256 base, ModelRegistry.DatanetVersionRef[] memory used) = models.lineage(adapterId);
        assertEq(base, baseId, "base");
        assertEq(used.length, 1, "one datanet version");
        assertEq(used[0].version, 2, "version 2");
        ModelRegistry.Model memory m = models.getModel(adapterId);
        assertEq(m.owner, carol, "owner");
        assertEq(m.trainingConfigHash, keccak256("config"), "config hash");
        (uint256 baseOfBase,) = models.lineage(baseId);
        assertEq(baseOfBase, 0, "a base model has no parent");
    }

    function test_RevertIf_AdapterOnUnknownDatanetVersion() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownDatanetVersion.selector, datanetId, 3));
        models.registerAdapter(baseId, keccak256("f"), keccak256("c"), _refs(3), "");
    }

    function test_RevertIf_AdapterOnAdapter() public {
        uint256 adapterId = models.registerAdapter(baseId, keccak256("f"), keccak256("c"), _refs(1), "");
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotABaseModel.selector, adapterId));
        models.registerAdapter(adapterId, keccak256("f2"), keccak256("c"), _refs(1), "");
    }

    function test_RevertIf_TransferByNonOwner() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, baseId, carol));
        vm.prank(carol);
        models.transferModel(baseId, carol);
    }

    function testFuzz_RevertIf_UnknownModel(uint256 id) public {
        id = bound(id, 2, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, id));
        models.ownerOf(id);
    }
}
