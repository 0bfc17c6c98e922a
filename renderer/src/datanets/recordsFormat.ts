import type { PiiMatch, RecordStatus } from '../../../main/api/datanetSchemas';

/** A status's badge: tone and icon (never colour alone). */
export const STATUS_BADGE: Record<RecordStatus, { tone: 'ok' | 'warning' | 'error' | 'muted'; icon: string }> = {
  pending: { tone: 'warning', icon: 'circle-large-outline' },
  accepted: { tone: 'ok', icon: 'pass-filled' },
  rejected: { tone: 'error', icon: 'close' },
  excluded: { tone: 'muted', icon: 'circle-slash' },
};

export interface Segment {
  text: string;
  /** The PII kind, or 'match' for a search hit. */
  mark: string | null;
}

/** An FTS5 snippet ("… the [word] here …", matches between [ and ]) as marked segments. */
export function snippetSegments(snippet: string): Segment[] {
  const out: Segment[] = [];
  const re = /\[([^\]]*)\]/g;
  let at = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > at) out.push({ text: snippet.slice(at, m.index), mark: null });
    out.push({ text: m[1]!, mark: 'match' });
    at = m.index + m[0].length;
  }
  if (at < snippet.length) out.push({ text: snippet.slice(at), mark: null });
  return out;
}

/** `text` cut at the PII spans (character offsets; overlapping spans merge into the first). */
export function piiSegments(text: string, spans: readonly PiiMatch[]): Segment[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const s of sorted) {
    const start = Math.max(s.start, at);
    const end = Math.min(s.end, text.length);
    if (end <= start) continue;
    if (start > at) out.push({ text: text.slice(at, start), mark: null });
    out.push({ text: text.slice(start, end), mark: s.kind });
    at = end;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: null });
  return out;
}

/** The filter expression the table and bulk actions use: a search wins over the chosen filter
 * (the core's filter language takes one expression). */
export function effectiveFilter(filter: string, search: string): string {
  return search.trim() ? `search:${search.trim()}` : filter;
}

/** Which rows a table page holds. */
export function pageOf(index: number, pageSize: number): number {
  return Math.floor(index / pageSize);
}
