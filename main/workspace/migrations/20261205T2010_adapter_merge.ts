/**
 * A merged adapter's merge options (method, density, seed) beside its parents and their weights
 * (main/adapters/adaptersRepository.ts): its lineage must say how the parents were combined, since
 * the same parents give another adapter under another method, density or DARE seed. NULL for
 * adapters that were not merged, and for merges recorded before this column.
 */
export default /* sql */ `
ALTER TABLE adapters ADD COLUMN merge_json TEXT;
`;
