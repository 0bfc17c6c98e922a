/**
 * The DatanetRegistry leaf: (contributor, recordHash) as OpenZeppelin's StandardMerkleTree
 * encodes ["address", "bytes32"] (keccak256 of keccak256 of the ABI encoding), the encoding
 * DatanetRegistry.verifyRecord hashes. Keep the two in step.
 */
export const LEAF_ENCODING = ['address', 'bytes32'] as const;
export type RecordLeaf = [contributor: string, recordHash: string];
