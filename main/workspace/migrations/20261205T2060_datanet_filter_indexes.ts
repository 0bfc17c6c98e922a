/**
 * Indexes for the record table's listings at a million records (bench/datanetScale.ts):
 * - `datanet_records (datanet_id)`: a slim index in id order per datanet, so counting a
 *   datanet's records and skipping to a deep page of "All records" read small index entries
 *   instead of the ~1 KB rows (the other indexes on datanet_id carry a contributor or status);
 * - partial indexes on `datanet_signals` for the signal filters (duplicate, near-duplicate, pii,
 *   quality): each holds only the few records that have the signal, so a filter's first page and
 *   its total read those instead of scanning every record's signals. parseFilter.ts writes the
 *   filters with the same WHERE terms as these indexes so SQLite can use them.
 */
export default /* sql */ `
CREATE INDEX datanet_records_datanet ON datanet_records (datanet_id);
CREATE INDEX datanet_signals_exact_dup ON datanet_signals (record_id) WHERE exact_dup_of IS NOT NULL;
CREATE INDEX datanet_signals_near_dup ON datanet_signals (record_id) WHERE near_dup_cluster IS NOT NULL;
CREATE INDEX datanet_signals_pii ON datanet_signals (record_id) WHERE pii_count > 0;
CREATE INDEX datanet_signals_quality ON datanet_signals (record_id) WHERE quality_flags != '';
`;
