import { ErrorCode, StudioError } from '../api/apiError';
import { RecordStatusSchema, type RecordStatus } from '../api/datanetSchemas';
import { checkContributor } from './checkContributor';

/** A filter expression as SQL over `datanet_records r LEFT JOIN datanet_signals s`. */
export interface ParsedFilter {
  sql: string;
  params: unknown[];
  /** The state the filter names (status:STATE), if any: bulk actions touch excluded and
   * rejected records only when their state is named. */
  namesState: RecordStatus | null;
  /** For search: the FTS5 query, so listings can highlight matches. */
  search: string | null;
}

/** Records whose signals match `where` (a condition on datanet_signals), through the partial
 * indexes of migration 20261205T2060 when `where` starts with one of their conditions. */
const withSignals = (where: string) => `r.id IN (SELECT record_id FROM datanet_signals WHERE ${where})`;

/** Words of a search as an FTS5 query: each a quoted phrase (so punctuation cannot break the
 * query syntax), all required. */
export function ftsQuery(text: string): string {
  const words = text.match(/[\p{L}\p{N}_]+/gu) ?? [];
  if (words.length === 0) throw new StudioError(ErrorCode.InvalidRequest, `search:${text} has no words to search for.`);
  return words.map((w) => `"${w}"`).join(' ');
}

/**
 * The filter language of review and listings: `all`; a signal (`duplicate`: copies beyond the
 * first; `near-duplicate`: cluster members beyond the first; `pii`, `pii:KIND`; `quality`,
 * `quality:FLAG`); `language:xx`; a contributor address; `status:STATE`; `search:TEXT` (FTS5);
 * `cluster:ID`; `import:ID`; `record:ID`; `source:SOURCE_ID` (the id the contributor submitted it
 * as, which attribution names records by). Unknown expressions fail naming the accepted ones.
 */
export function parseFilter(expr: string): ParsedFilter {
  const e = expr.trim();
  const plain = (sql: string, params: unknown[] = []): ParsedFilter => ({ sql, params, namesState: null, search: null });
  if (e === 'all') return plain('1');
  if (e === 'duplicate' || e === 'duplicates') return plain(withSignals('exact_dup_of IS NOT NULL'));
  if (e === 'near-duplicate' || e === 'near-duplicates') return plain(withSignals('near_dup_cluster IS NOT NULL AND near_dup_cluster != record_id'));
  if (e === 'pii') return plain(withSignals('pii_count > 0'));
  if (e === 'quality') return plain(withSignals("quality_flags != ''"));
  const [head, ...tail] = e.split(':');
  const arg = tail.join(':');
  if (/^0x[0-9a-fA-F]{40}$/.test(e)) {
    const who = checkContributor(e);
    if ('error' in who) throw new StudioError(ErrorCode.InvalidRequest, `Filter ${e}: ${who.error}.`);
    return plain('r.contributor = ?', [who.address]);
  }
  switch (head) {
    case 'status': {
      const s = RecordStatusSchema.safeParse(arg);
      if (!s.success) throw new StudioError(ErrorCode.InvalidRequest, `status:${arg} is not a state (pending, accepted, rejected, excluded).`);
      return { sql: 'r.status = ?', params: [s.data], namesState: s.data, search: null };
    }
    case 'search': {
      const q = ftsQuery(arg);
      return { sql: 'r.id IN (SELECT rowid FROM datanet_records_fts WHERE datanet_records_fts MATCH ?)', params: [q], namesState: null, search: q };
    }
    case 'pii':
      return plain(withSignals("pii_count > 0 AND EXISTS (SELECT 1 FROM json_each(pii_json) j WHERE json_extract(j.value, '$.kind') = ?)"), [arg]);
    case 'quality':
      return plain(withSignals("quality_flags != '' AND (',' || quality_flags || ',') LIKE ?"), [`%,${arg},%`]);
    case 'language':
      return plain('s.language = ?', [arg]);
    case 'source':
      if (arg === '') throw new StudioError(ErrorCode.InvalidRequest, 'source: needs a record source id, e.g. source:line-3.');
      return plain('r.source_id = ?', [arg]);
    case 'cluster':
    case 'import':
    case 'record': {
      const n = Number(arg);
      if (!Number.isInteger(n)) throw new StudioError(ErrorCode.InvalidRequest, `${head}:${arg} needs a whole number.`);
      return plain(head === 'cluster' ? 's.near_dup_cluster = ?' : head === 'import' ? 'r.import_id = ?' : 'r.id = ?', [n]);
    }
  }
  throw new StudioError(
    ErrorCode.InvalidRequest,
    `Unknown filter "${expr}". Use all, duplicate, near-duplicate, pii[:KIND], quality[:FLAG], language:xx, a contributor address, status:STATE, search:TEXT, cluster:ID, import:ID, record:ID or source:SOURCE_ID.`,
  );
}
