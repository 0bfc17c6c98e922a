import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { MethodResult } from '../../../main/api/contract';
import type { DatanetRecord } from '../../../main/api/datanetSchemas';
import { api } from '../api/client';
import { formatDateTime } from '../base/format';
import { Badge } from '../components/Badge';
import { Codicon } from '../components/Codicon';
import { reportError } from '../workbench/toastStore';
import { datanetsStore } from './datanetsStore';
import { STATUS_BADGE, piiSegments } from './recordsFormat';
import { wordDiff } from './wordDiff';

const ratio = (n: number) => n.toFixed(3);

/** A content value: strings as text (the record's `text` with its PII spans marked), the rest as JSON. */
function ContentValue({ value, record, isText }: { value: unknown; record: DatanetRecord; isText: boolean }) {
  if (isText && typeof value === 'string' && value === record.text && record.signals) {
    return (
      <pre className="record-text">
        {piiSegments(value, record.signals.pii).map((s, i) =>
          s.mark ? (
            <mark key={i} className="pii-span" title={`PII: ${s.mark}`} data-pii={s.mark}>
              {s.text}
            </mark>
          ) : (
            <span key={i}>{s.text}</span>
          ),
        )}
      </pre>
    );
  }
  return <pre className="record-text">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>;
}

/** A near duplicate beside its cluster's first record: words only in the first struck out, words
 * only in this one marked. */
function NearDuplicateDiff({ name, record, first }: { name: string; record: DatanetRecord; first: number }) {
  const [other, setOther] = useState<DatanetRecord | null>(null);
  useEffect(() => {
    let live = true;
    api()
      .call('datanets.record', { datanet: name, id: first })
      .then((r) => live && setOther(r))
      .catch((err: unknown) => reportError(err, `Reading record ${first}`));
    return () => {
      live = false;
    };
  }, [name, first]);
  if (!other) return null;
  return (
    <div className="record-field" data-testid="near-duplicate-diff">
      <div className="record-field__name">
        against #{first} ({other.sourceId}, {other.status}): <del className="diff-removed">only there</del> <ins className="diff-added">only here</ins>
      </div>
      <pre className="record-text">
        {wordDiff(other.text, record.text).map((p, i) =>
          p.kind === 'same' ? (
            <span key={i}>{p.text}</span>
          ) : p.kind === 'removed' ? (
            <del key={i} className="diff-removed">
              {p.text}
            </del>
          ) : (
            <ins key={i} className="diff-added">
              {p.text}
            </ins>
          ),
        )}
      </pre>
    </div>
  );
}

/**
 * The selected record: its content field by field (PII spans marked), contributor, state with
 * reason, signals, and the datanet's recent review actions, each undoable as a whole.
 */
export function RecordInspector(props: {
  name: string;
  record: DatanetRecord | null;
  rejecting: boolean;
  reason: string;
  onReason: (r: string) => void;
  onReject: () => void;
  onCancelReject: () => void;
  /** Shows the records a filter selects in the table (the cluster, the contributor). */
  onFilter: (filter: string) => void;
}) {
  const { name, record } = props;
  const revision = useStore(datanetsStore, (s) => s.stats[name]);
  const [history, setHistory] = useState<MethodResult<'datanets.reviewHistory'>>([]);
  useEffect(() => {
    api()
      .call('datanets.reviewHistory', { datanet: name, limit: 8 })
      .then(setHistory)
      .catch((err: unknown) => reportError(err, 'Reading the review history'));
  }, [name, revision]);

  const undoAction = async (actionId: number) => {
    try {
      await api().call('datanets.undoAction', { datanet: name, actionId });
      datanetsStore.getState().changed(name);
    } catch (err) {
      reportError(err, `Undo action ${actionId}`);
    }
  };

  const fields = record ? Object.entries(record.content) : [];
  const s = record?.signals;
  return (
    <aside className="record-inspector" aria-label="Record inspector" data-testid="record-inspector">
      {!record ? (
        <p className="muted">Select a record.</p>
      ) : (
        <>
          <div className="record-inspector__head">
            <strong className="mono">#{record.id}</strong>
            <span className="mono muted ellipsis" title={record.sourceId}>
              {record.sourceId}
            </span>
            <Badge tone={STATUS_BADGE[record.status].tone} icon={STATUS_BADGE[record.status].icon}>
              {record.status}
            </Badge>
          </div>
          {record.statusReason ? <div className="muted record-inspector__reason">{record.statusReason}</div> : null}
          {props.rejecting ? (
            <form
              className="record-inspector__reject"
              onSubmit={(e) => {
                e.preventDefault();
                props.onReject();
              }}
            >
              <input
                className="input"
                autoFocus
                aria-label="Rejection reason"
                placeholder="Why reject? (Enter to reject, Esc to cancel)"
                value={props.reason}
                onChange={(e) => props.onReason(e.target.value)}
                onKeyDown={(e) => e.key === 'Escape' && props.onCancelReject()}
              />
              <button type="submit" className="button button--small">
                Reject
              </button>
            </form>
          ) : null}
          <dl className="facts facts--compact">
            <dt>Contributor</dt>
            <dd className="mono">
              <button type="button" className="link-button mono" title="Show this contributor's records" onClick={() => props.onFilter(record.contributor)}>
                {record.contributor}
              </button>
            </dd>
            <dt>Import</dt>
            <dd>#{record.importId}</dd>
            <dt>Hash</dt>
            <dd className="mono facts__nowrap" title={record.contentHash}>
              {record.contentHash.slice(0, 18)}…
            </dd>
          </dl>
          {fields.map(([k, v]) => (
            <div key={k} className="record-field">
              <div className="record-field__name">{k}</div>
              <ContentValue value={v} record={record} isText={fields.length === 1 || k === 'text'} />
            </div>
          ))}
          {s && s.nearDupCluster !== null && s.nearDupCluster !== record.id ? (
            <>
              <h3 className="record-inspector__h">Near duplicate</h3>
              <NearDuplicateDiff name={name} record={record} first={s.nearDupCluster} />
            </>
          ) : null}
          {s ? (
            <>
              <h3 className="record-inspector__h">Signals</h3>
              <dl className="facts facts--compact record-signals">
                <dt>Exact duplicate</dt>
                <dd>
                  {s.exactDupOf !== null ? (
                    <button type="button" className="link-button" title="Show the first copy" onClick={() => props.onFilter(`record:${s.exactDupOf}`)}>
                      of #{s.exactDupOf}
                    </button>
                  ) : (
                    'no'
                  )}
                </dd>
                <dt>Near-dup cluster</dt>
                <dd>
                  {s.nearDupCluster !== null ? (
                    <button type="button" className="link-button" title="Show the cluster's records" onClick={() => props.onFilter(`cluster:${s.nearDupCluster}`)}>
                      #{s.nearDupCluster}
                      {s.nearDupCluster === record.id ? ' (first)' : ''}
                    </button>
                  ) : (
                    'none'
                  )}
                </dd>
                <dt>PII</dt>
                <dd className={s.piiCount > 0 ? 'tone-error' : undefined}>{s.piiCount > 0 ? s.pii.map((p) => p.kind).join(', ') : 'none'}</dd>
                <dt>Quality flags</dt>
                <dd>{s.qualityFlags.length > 0 ? s.qualityFlags.join(', ') : 'none'}</dd>
                <dt>Language</dt>
                <dd>{s.language || 'unknown'}</dd>
                <dt>Length · words</dt>
                <dd className="mono">
                  {s.length} · {s.words}
                </dd>
                <dt>Mean word length</dt>
                <dd className="mono">{s.meanWordLength.toFixed(2)}</dd>
                <dt>Symbol · alpha</dt>
                <dd className="mono">
                  {ratio(s.symbolRatio)} · {ratio(s.alphaRatio)}
                </dd>
                <dt>Dup lines · top n-gram</dt>
                <dd className="mono">
                  {ratio(s.dupLineRatio)} · {ratio(s.topNgramRatio)}
                </dd>
                <dt>Stop words</dt>
                <dd className="mono">{s.stopWords}</dd>
              </dl>
            </>
          ) : null}
        </>
      )}
      <h3 className="record-inspector__h">Review history</h3>
      {history.length === 0 ? (
        <p className="muted">No review actions yet.</p>
      ) : (
        <ul className="review-history" data-testid="review-history">
          {history.map((h) => (
            <li key={h.id} className="review-history__item">
              <Codicon name={h.action === 'accept' ? 'pass' : h.action === 'undo' ? 'discard' : 'circle-slash'} />
              <span className="review-history__what" title={`${h.filter}${h.reason ? `\n${h.reason}` : ''}\n${formatDateTime(h.createdAt)} by ${h.actor}`}>
                {h.action} {h.changed} · <code>{h.filter}</code>
                {h.reason ? <span className="muted"> · {h.reason}</span> : null}
              </span>
              {h.action === 'undo' ? null : h.undone < h.changed ? (
                <button type="button" className="link-button" onClick={() => void undoAction(h.id)}>
                  undo
                </button>
              ) : (
                <span className="muted">undone</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
