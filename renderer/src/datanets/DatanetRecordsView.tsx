import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { MethodParams } from '../../../main/api/contract';
import type { DatanetRecord } from '../../../main/api/datanetSchemas';
import { api } from '../api/client';
import { Badge } from '../components/Badge';
import { Codicon } from '../components/Codicon';
import { reportError } from '../workbench/toastStore';
import { BulkActions } from './BulkActions';
import { datanetsStore } from './datanetsStore';
import { RecordInspector } from './RecordInspector';
import { RecordPages } from './recordPages';
import { STATUS_BADGE, effectiveFilter, snippetSegments } from './recordsFormat';
import { ReviewKeys } from './ReviewKeys';

type Sort = NonNullable<MethodParams<'datanets.records'>['sort']>;

const FILTERS: { value: string; label: string }[] = [
  { value: 'all', label: 'All records' },
  { value: 'status:pending', label: 'Pending' },
  { value: 'status:accepted', label: 'Accepted' },
  { value: 'status:rejected', label: 'Rejected' },
  { value: 'status:excluded', label: 'Excluded' },
  { value: 'duplicate', label: 'Signal: exact duplicate' },
  { value: 'near-duplicate', label: 'Signal: near duplicate' },
  { value: 'pii', label: 'Signal: PII' },
  { value: 'quality', label: 'Signal: quality flag' },
];
const SORTS: { value: Sort; label: string }[] = [
  { value: 'id', label: 'id' },
  { value: 'length', label: 'length' },
  { value: 'piiCount', label: 'PII count' },
  { value: 'meanWordLength', label: 'mean word length' },
  { value: 'symbolRatio', label: 'symbol ratio' },
  { value: 'alphaRatio', label: 'alphabetic ratio' },
  { value: 'dupLineRatio', label: 'repeated lines' },
  { value: 'topNgramRatio', label: 'top n-gram ratio' },
  { value: 'contributor', label: 'contributor' },
];
const ROW = 26;

/** A record's signals as short chips, each naming what it is. */
function SignalChips({ r }: { r: DatanetRecord }) {
  const s = r.signals;
  if (!s) return <span className="muted">–</span>;
  return (
    <span className="signal-chips">
      {s.exactDupOf !== null ? <span className="sig sig--warn" title={`Exact duplicate of record ${s.exactDupOf}`}>dup</span> : null}
      {s.nearDupCluster !== null && s.nearDupCluster !== r.id ? (
        <span className="sig sig--warn" title={`Near duplicate in cluster ${s.nearDupCluster}`}>
          near
        </span>
      ) : null}
      {s.piiCount > 0 ? (
        <span className="sig sig--error" title={s.pii.map((p) => p.kind).join(', ')}>
          PII {s.piiCount}
        </span>
      ) : null}
      {s.qualityFlags.map((f) => (
        <span key={f} className="sig" title="Quality heuristic">
          {f}
        </span>
      ))}
      <span className="sig sig--muted" title="Language">
        {s.language || '?'}
      </span>
    </span>
  );
}

/**
 * The records table (virtualised: only the rows in view exist, their pages fetched from the core
 * as they scroll in) beside the inspector. The table is the review queue: with it focused,
 * A/R/X/S/U review the selected record and move on (ReviewKeys lists them).
 */
export function DatanetRecordsView({ name, filter, onFilter }: { name: string; filter: string; onFilter: (f: string) => void }) {
  const [sort, setSort] = useState<Sort>('id');
  const [descending, setDescending] = useState(false);
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState(0);
  const [, setTick] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [undoStack, setUndoStack] = useState<{ actionId: number; index: number }[]>([]);
  const [inspected, setInspected] = useState<DatanetRecord | null>(null);
  const revision = useStore(datanetsStore, (s) => s.revision[name] ?? 0);
  const expr = effectiveFilter(filter, search);
  const pages = useMemo(
    () => new RecordPages((p) => api().call('datanets.records', p), { datanet: name, filter: expr, sort, descending }),
    // A review elsewhere (bulk, import) bumps the revision: read the listing again.
    [name, expr, sort, descending, revision],
  );
  const total = pages.total ?? 0;
  const parentRef = useRef<HTMLDivElement>(null);
  const rerender = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    const t = setTimeout(() => setSearch(searchText), 250);
    return () => clearTimeout(t);
  }, [searchText]);

  useEffect(() => {
    setError(null);
    pages
      .ensure(0, pages.pageSize - 1)
      .then(rerender)
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [pages, rerender]);

  // A new listing starts at its top; the same listing read again (after a bulk action) keeps its place.
  useEffect(() => {
    setSelected(0);
    parentRef.current?.scrollTo({ top: 0 });
  }, [name, expr, sort, descending]);

  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => parentRef.current, estimateSize: () => ROW, overscan: 20 });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (total === 0) return;
    pages
      .ensure(firstIndex, lastIndex)
      .then((fetched) => fetched && rerender())
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [pages, firstIndex, lastIndex, total, rerender]);

  const current = total > 0 ? pages.row(Math.min(selected, total - 1)) : undefined;
  useEffect(() => {
    if (!current) {
      setInspected(null);
      return;
    }
    let live = true;
    api()
      .call('datanets.record', { datanet: name, id: current.id })
      .then((r) => live && setInspected(r))
      .catch((err: unknown) => reportError(err, 'Reading the record'));
    return () => {
      live = false;
    };
  }, [name, current?.id, current?.status]);

  const select = (i: number) => {
    const next = Math.max(0, Math.min(total - 1, i));
    setSelected(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const review = async (action: 'accept' | 'reject' | 'exclude' | 'undo', why?: string) => {
    if (!current) return;
    const index = selected;
    try {
      const res = await api().call('datanets.review', { datanet: name, recordIds: [current.id], action, reason: why });
      const fresh = await api().call('datanets.record', { datanet: name, id: current.id });
      pages.patch(fresh);
      if (res.actionId !== null && action !== 'undo') setUndoStack((s) => [...s, { actionId: res.actionId!, index }]);
      void datanetsStore.getState().loadStats(name);
      select(action === 'undo' ? index : index + 1);
      rerender();
    } catch (err) {
      reportError(err, `${action} record ${current.id}`);
    }
  };

  const undo = async () => {
    const last = undoStack[undoStack.length - 1];
    // Nothing reviewed here yet: undo the selected record's latest change, whoever made it.
    if (!last) return review('undo');
    try {
      await api().call('datanets.undoAction', { datanet: name, actionId: last.actionId });
      setUndoStack((s) => s.slice(0, -1));
      const row = pages.row(last.index);
      if (row) pages.patch(await api().call('datanets.record', { datanet: name, id: row.id }));
      void datanetsStore.getState().loadStats(name);
      select(last.index);
      rerender();
    } catch (err) {
      reportError(err, 'Undo');
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || e.metaKey || e.ctrlKey || e.altKey) return;
    const key = e.key.toLowerCase();
    if (e.key === 'ArrowDown' || key === 'j') select(selected + 1);
    else if (e.key === 'ArrowUp' || key === 'k') select(selected - 1);
    else if (e.key === 'Home') select(0);
    else if (e.key === 'End') select(total - 1);
    else if (e.key === 'PageDown') select(selected + 20);
    else if (e.key === 'PageUp') select(selected - 20);
    else if (key === 'a') void review('accept');
    else if (key === 'x') void review('exclude', 'excluded by the curator');
    else if (key === 's') select(selected + 1);
    else if (key === 'u') void undo();
    else if (key === 'r' && current) {
      setRejecting(true);
      setReason('');
    } else return;
    e.preventDefault();
  };

  return (
    <div className="datanet-records">
      <div className="datanet-records__main">
        <div className="datanet-toolbar" role="toolbar" aria-label="Records">
          <select className="input" aria-label="Filter" value={FILTERS.some((f) => f.value === filter) ? filter : ''} onChange={(e) => onFilter(e.target.value)}>
            {FILTERS.some((f) => f.value === filter) ? null : <option value="">{filter}</option>}
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
          <div className="datanet-toolbar__search">
            <Codicon name="search" />
            <input
              className="input"
              type="search"
              aria-label="Search records"
              placeholder="Search text (full-text)"
              title="Full-text search; while it has words it replaces the filter"
              value={searchText}
              onChange={(e) => setSearchText(e.target.value)}
            />
          </div>
          <label className="datanet-toolbar__sort">
            <span className="muted">sort</span>
            <select className="input" aria-label="Sort by" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="icon-button" aria-label={descending ? 'Descending' : 'Ascending'} title={descending ? 'Descending' : 'Ascending'} onClick={() => setDescending(!descending)}>
            <Codicon name={descending ? 'arrow-down' : 'arrow-up'} />
          </button>
          <span className="datanet-toolbar__count muted" data-testid="records-total">
            {pages.total === null ? 'loading…' : `${total.toLocaleString('en-US')} records`}
          </span>
        </div>
        <BulkActions name={name} filter={expr} total={total} onDone={() => setUndoStack([])} />
        {error ? (
          <div className="inline-error inline-error--flush" role="alert">
            {error}
          </div>
        ) : null}
        <div className="records-table" role="grid" aria-label="Records" aria-rowcount={total}>
          <div className="records-table__head" role="row">
            <span role="columnheader" className="num">#</span>
            <span role="columnheader">source id</span>
            <span role="columnheader">contributor</span>
            <span role="columnheader">status</span>
            <span role="columnheader">signals</span>
            <span role="columnheader" className="num">len</span>
            <span role="columnheader">text</span>
          </div>
          <div
            ref={parentRef}
            className="records-table__body"
            tabIndex={0}
            data-testid="records-table"
            aria-activedescendant={current ? `record-row-${current.id}` : undefined}
            onKeyDown={onKeyDown}
          >
            {pages.total === 0 ? (
              <div className="records-table__empty muted">
                {expr === 'status:pending' ? 'Nothing pending: every record has been reviewed (or none imported yet).' : `No records match ${expr}.`}
              </div>
            ) : null}
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((v) => {
                const r = pages.row(v.index);
                const isSelected = v.index === selected;
                return (
                  <div
                    key={v.key}
                    role="row"
                    id={r ? `record-row-${r.id}` : undefined}
                    aria-selected={isSelected}
                    data-record-id={r?.id}
                    data-status={r?.status}
                    className={`records-table__row${isSelected ? ' is-selected' : ''}${r ? '' : ' is-loading'}`}
                    style={{ transform: `translateY(${v.start}px)`, height: ROW }}
                    onClick={() => {
                      setSelected(v.index);
                      parentRef.current?.focus();
                    }}
                  >
                    {r ? (
                      <>
                        <span className="num mono">{r.id}</span>
                        <span className="mono ellipsis" title={r.sourceId}>
                          {r.sourceId}
                        </span>
                        <span className="mono ellipsis" title={r.contributor}>
                          {r.contributor.slice(0, 6)}…{r.contributor.slice(-4)}
                        </span>
                        <span>
                          <Badge tone={STATUS_BADGE[r.status].tone} icon={STATUS_BADGE[r.status].icon} title={r.statusReason ?? undefined}>
                            {r.status}
                          </Badge>
                        </span>
                        <span className="ellipsis">
                          <SignalChips r={r} />
                        </span>
                        <span className="num mono">{r.signals?.length ?? r.text.length}</span>
                        <span className="ellipsis records-table__text">
                          {pages.highlights.has(r.id)
                            ? snippetSegments(pages.highlights.get(r.id)!).map((s, i) =>
                                s.mark ? (
                                  <mark key={i} className="search-hit">
                                    {s.text}
                                  </mark>
                                ) : (
                                  <span key={i}>{s.text}</span>
                                ),
                              )
                            : r.text.slice(0, 300)}
                        </span>
                      </>
                    ) : (
                      <span className="muted records-table__placeholder">loading row {v.index + 1}…</span>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
        <ReviewKeys />
      </div>
      <RecordInspector
        name={name}
        record={inspected}
        rejecting={rejecting}
        reason={reason}
        onReason={setReason}
        onReject={() => {
          setRejecting(false);
          void review('reject', reason.trim() || 'rejected by the curator').then(() => parentRef.current?.focus());
        }}
        onFilter={(f) => {
          setSearchText('');
          setSearch('');
          onFilter(f);
        }}
        onCancelReject={() => {
          setRejecting(false);
          parentRef.current?.focus();
        }}
      />
    </div>
  );
}
