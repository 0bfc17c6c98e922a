import type { Contribution } from '../workbench/contributions';

/** Datanets: registered with its overview (the empty state) until its views land; see README.md. */
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
