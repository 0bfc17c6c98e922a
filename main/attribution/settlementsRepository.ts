// Rows of attribution_settlements: one per (epoch, model) once the epoch is closed, moved through
// closed → paying → paid → posting → posted by settleEpoch.ts. Every change is one UPDATE, so a
// crash leaves the row in exactly one of those states.
import type { Db } from '../workspace/openDatabase';

export type SettlementState = 'closed' | 'paying' | 'paid' | 'posting' | 'posted';

export interface SettlementRow {
  epoch: number;
  model_key: string;
  state: SettlementState;
  inference_count: number;
  fees_wei: string;
  chain_id: number | null;
  ledger: string | null;
  onchain_model_id: string | null;
  pay_raw_tx: string | null;
  pay_tx: string | null;
  pay_gas: number | null;
  pool_wei: string | null;
  threshold_bps: number | null;
  tree_json: string | null;
  root: string | null;
  folded_json: string | null;
  post_from_block: number | null;
  batch_id: string | null;
  post_tx: string | null;
  post_gas: number | null;
  publication_id: string | null;
  updated_at: string;
}

export function getSettlement(db: Db, epoch: number, modelKey: string): SettlementRow {
  return db.prepare('SELECT * FROM attribution_settlements WHERE epoch = ? AND model_key = ?').get(epoch, modelKey) as SettlementRow;
}

export function listSettlements(db: Db, epoch?: number): SettlementRow[] {
  return (
    epoch === undefined
      ? db.prepare('SELECT * FROM attribution_settlements ORDER BY epoch, model_key').all()
      : db.prepare('SELECT * FROM attribution_settlements WHERE epoch = ? ORDER BY model_key').all(epoch)
  ) as SettlementRow[];
}

export function updateSettlement(db: Db, epoch: number, modelKey: string, change: Partial<Omit<SettlementRow, 'epoch' | 'model_key' | 'updated_at'>>): SettlementRow {
  const cols = Object.keys(change);
  db.prepare(`UPDATE attribution_settlements SET ${[...cols.map((c) => `${c} = ?`), 'updated_at = ?'].join(', ')} WHERE epoch = ? AND model_key = ?`).run(
    ...cols.map((c) => (change as Record<string, unknown>)[c] ?? null),
    new Date().toISOString(),
    epoch,
    modelKey,
  );
  return getSettlement(db, epoch, modelKey);
}
