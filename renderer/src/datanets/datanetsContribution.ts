import type { Contribution } from '../workbench/contributions';

/**
 * Datanets is not part of this build yet: its activity shows the honest empty state (what it will
 * do, what it waits for) from this overview. Its views, store and commands go in this folder.
 */
export const datanetsContribution: Contribution = {
  id: 'datanets',
  activity: { title: 'Datanets', icon: 'database', keybinding: 'Mod+Shift+2' },
  overview: {
    emptyTitle: 'No datanets yet',
    title: 'Datanets',
    summary: 'Curate domain datasets whose every record keeps the contributor it came from.',
    will: [
      'Import JSONL, CSV, Parquet and plain text, with a contributor per record',
      'Review, deduplicate and accept records; version each snapshot',
      'Export snapshots as Parquet for Spark, DuckDB or datatrove',
    ],
    dependsOn: null,
    missing: 'Datanets are not part of this build yet.',
  },
};
