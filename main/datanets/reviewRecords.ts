import { ErrorCode, StudioError } from '../api/apiError';
import type { Db } from '../workspace/openDatabase';
import { parseFilter } from './parseFilter';

export interface ReviewRequest {
  datanetId: number;
  filter?: string | undefined;
  recordIds?: number[] | undefined;
  action: 'accept' | 'reject' | 'exclude' | 'undo';
  reason?: string | undefined;
  actor: string;
}

/**
 * One review action over the records a filter (and/or an id list) selects, kept with every
 * state it replaced. accept/reject/exclude leave excluded and rejected records alone unless the
 * filter names their state (a bulk "accept all" must not resurrect what a curator threw out);
 * records already in the target state are not counted as changed. undo reverts, for each
 * selected record, its latest change not yet undone (undos themselves are not undone, so
 * repeated undos walk back through the history). The action and its changes land in one
 * transaction. Returns the action id (null when nothing changed) and the number changed.
 */
export function reviewRecords(db: Db, req: ReviewRequest): { actionId: number | null; changed: number } {
  if (!req.filter && !req.recordIds) throw new StudioError(ErrorCode.InvalidRequest, 'A review action needs a filter or record ids.');
  if (req.action === 'reject' && !req.reason?.trim()) throw new StudioError(ErrorCode.InvalidRequest, 'Rejecting needs a reason (--reason TEXT).');
  const f = parseFilter(req.filter ?? 'all');
  const where = [`r.datanet_id = ?`, `(${f.sql})`];
  const params: unknown[] = [req.datanetId, ...f.params];
  if (req.recordIds) {
    where.push('r.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(req.recordIds));
  }
  const from = `FROM datanet_records r LEFT JOIN datanet_signals s ON s.record_id = r.id WHERE ${where.join(' AND ')}`;
  const label = req.filter ?? `records ${req.recordIds!.length}`;
  return db.transaction(() => {
    const actionId = Number(
      db
        .prepare('INSERT INTO datanet_review_actions (datanet_id, actor, action, filter, reason, changed, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)')
        .run(req.datanetId, req.actor, req.action, label, req.reason ?? null, new Date().toISOString()).lastInsertRowid,
    );
    let changed: number;
    if (req.action === 'undo') {
      const targets = db
        .prepare(
          `SELECT r.id AS recordId, r.status, r.status_reason AS reason, c.action_id AS undoneAction, c.from_status AS toStatus, c.from_reason AS toReason ${from.replace(
            'WHERE',
            `JOIN datanet_review_changes c ON c.record_id = r.id AND c.action_id = (SELECT MAX(c2.action_id) FROM datanet_review_changes c2
               JOIN datanet_review_actions a2 ON a2.id = c2.action_id WHERE c2.record_id = r.id AND c2.undone_by IS NULL AND a2.action != 'undo') WHERE`,
          )}`,
        )
        .all(...params) as { recordId: number; status: string; reason: string | null; undoneAction: number; toStatus: string; toReason: string | null }[];
      const log = db.prepare('INSERT INTO datanet_review_changes (action_id, record_id, from_status, from_reason, to_status, to_reason) VALUES (?, ?, ?, ?, ?, ?)');
      const mark = db.prepare('UPDATE datanet_review_changes SET undone_by = ? WHERE action_id = ? AND record_id = ?');
      const set = db.prepare('UPDATE datanet_records SET status = ?, status_reason = ? WHERE id = ?');
      for (const t of targets) {
        log.run(actionId, t.recordId, t.status, t.reason, t.toStatus, t.toReason);
        mark.run(actionId, t.undoneAction, t.recordId);
        set.run(t.toStatus, t.toReason, t.recordId);
      }
      changed = targets.length;
    } else {
      const to = req.action === 'accept' ? 'accepted' : req.action === 'reject' ? 'rejected' : 'excluded';
      const reason = req.action === 'accept' ? null : (req.reason?.trim() || `filter: ${label}`);
      // Records picked one by one (the review queue) are the curator's explicit choice: no guard.
      const guard = f.namesState || !req.filter ? '' : ` AND r.status NOT IN ('excluded', 'rejected')`;
      changed = db
        .prepare(
          `INSERT INTO datanet_review_changes (action_id, record_id, from_status, from_reason, to_status, to_reason)
           SELECT ?, r.id, r.status, r.status_reason, ?, ? ${from}${guard} AND NOT (r.status = ? AND r.status_reason IS ?)`,
        )
        .run(actionId, to, reason, ...params, to, reason).changes;
      db.prepare('UPDATE datanet_records SET status = ?, status_reason = ? WHERE id IN (SELECT record_id FROM datanet_review_changes WHERE action_id = ?)').run(to, reason, actionId);
    }
    if (changed === 0) {
      // Nothing happened: keep the history free of empty actions.
      db.prepare('DELETE FROM datanet_review_actions WHERE id = ?').run(actionId);
      return { actionId: null, changed: 0 };
    }
    db.prepare('UPDATE datanet_review_actions SET changed = ? WHERE id = ?').run(changed, actionId);
    return { actionId, changed };
  })();
}
