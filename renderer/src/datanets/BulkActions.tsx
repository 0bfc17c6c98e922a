import { useState } from 'react';
import { api } from '../api/client';
import { Codicon } from '../components/Codicon';
import { confirmStore } from '../workbench/confirmStore';
import { reportError } from '../workbench/toastStore';
import { toastStore } from '../workbench/toastStore';
import { datanetsStore } from './datanetsStore';

type BulkAction = 'accept' | 'reject' | 'exclude' | 'undo';
const LABEL: Record<BulkAction, string> = { accept: 'Accept all', reject: 'Reject all', exclude: 'Exclude all', undo: 'Undo all' };
const DONE: Record<BulkAction, string> = { accept: 'accepted', reject: 'rejected', exclude: 'excluded', undo: 'put back as they were before their latest change' };

/**
 * One review action over everything the current filter or search selects (datanets.review with
 * the filter): the core decides which records change (excluded and rejected ones stay unless the
 * filter names their state) and says how many did.
 */
export function BulkActions({ name, filter, total, onDone }: { name: string; filter: string; total: number; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<BulkAction | null>(null);

  const run = async (action: BulkAction) => {
    const why = reason.trim();
    if (action === 'reject' && !why) {
      reportError(new Error('A rejection needs a reason: type it in the reason field first.'));
      return;
    }
    const ok = await confirmStore.getState().ask({
      title: `${LABEL[action]} matching ${filter}?`,
      message: `Up to ${total.toLocaleString('en-US')} records (${filter}) are ${DONE[action]}${why ? ` with the reason "${why}"` : ''}. It is one action in the history; it can be undone.`,
      confirmLabel: LABEL[action],
      danger: action === 'reject' || action === 'exclude',
    });
    if (!ok) return;
    setBusy(action);
    try {
      const res = await api().call('datanets.review', { datanet: name, filter, action, reason: why || undefined });
      toastStore.getState().show('info', `${res.changed.toLocaleString('en-US')} records changed (${action}, ${filter}).`);
      setReason('');
      onDone();
      datanetsStore.getState().changed(name);
    } catch (err) {
      reportError(err, `${LABEL[action]} (${filter})`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="bulk-actions" role="group" aria-label="Bulk actions">
      <span className="muted">
        <Codicon name="checklist" /> All matching <code>{filter}</code>:
      </span>
      <input className="input bulk-actions__reason" aria-label="Bulk reason" placeholder="reason (needed to reject)" value={reason} onChange={(e) => setReason(e.target.value)} />
      {(Object.keys(LABEL) as BulkAction[]).map((a) => (
        <button
          key={a}
          type="button"
          className={`button button--secondary button--small${a === 'reject' || a === 'exclude' ? ' button--danger-text' : ''}`}
          disabled={busy !== null || total === 0}
          data-bulk={a}
          onClick={() => void run(a)}
        >
          {busy === a ? '…' : LABEL[a]}
        </button>
      ))}
    </div>
  );
}
