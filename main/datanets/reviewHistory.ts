import { ErrorCode, StudioError } from '../api/apiError';
import type { Db } from '../workspace/openDatabase';
import { reviewRecords } from './reviewRecords';

/** Review actions newest first, with how many of each one's changes were undone. */
export function reviewHistory(db: Db, datanetId: number, limit: number) {
  const rows = db
    .prepare(
      `SELECT a.*, (SELECT COUNT(*) FROM datanet_review_changes c WHERE c.action_id = a.id AND c.undone_by IS NOT NULL) AS undone
       FROM datanet_review_actions a WHERE a.datanet_id = ? ORDER BY a.id DESC LIMIT ?`,
    )
    .all(datanetId, limit) as { id: number; actor: string; action: 'accept' | 'reject' | 'exclude' | 'undo'; filter: string; reason: string | null; changed: number; created_at: string; undone: number }[];
  return rows.map((r) => ({ id: r.id, actor: r.actor, action: r.action, filter: r.filter, reason: r.reason, changed: r.changed, createdAt: r.created_at, undone: r.undone }));
}

/**
 * Undoes a whole action. Only when it is still each of its records' latest change: otherwise a
 * later action would be silently overwritten, so that is a CONFLICT naming how many records.
 */
export function undoAction(db: Db, datanetId: number, actionId: number, actor: string): { actionId: number | null; changed: number } {
  const action = db.prepare('SELECT action FROM datanet_review_actions WHERE id = ? AND datanet_id = ?').get(actionId, datanetId) as { action: string } | undefined;
  if (!action) throw new StudioError(ErrorCode.NotFound, `No review action ${actionId} in this datanet.`);
  if (action.action === 'undo') throw new StudioError(ErrorCode.InvalidRequest, `Action ${actionId} is itself an undo.`);
  const ids = db.prepare('SELECT record_id FROM datanet_review_changes WHERE action_id = ? AND undone_by IS NULL').pluck().all(actionId) as number[];
  if (ids.length === 0) return { actionId: null, changed: 0 };
  const later = (
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM datanet_review_changes c JOIN datanet_review_actions a ON a.id = c.action_id
         WHERE c.record_id IN (SELECT record_id FROM datanet_review_changes WHERE action_id = ? AND undone_by IS NULL)
         AND c.action_id > ? AND c.undone_by IS NULL AND a.action != 'undo'`,
      )
      .get(actionId, actionId) as { n: number }
  ).n;
  if (later > 0) throw new StudioError(ErrorCode.Conflict, `${later} record(s) of action ${actionId} were changed by later actions; undo those first.`, { actionId, later });
  return reviewRecords(db, { datanetId, recordIds: ids, action: 'undo', actor });
}
