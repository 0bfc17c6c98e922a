// The publications table: one row per protocol transaction the app sent on someone's behalf.
// A row is written 'pending' before the transaction is sent, so a crash in between is visible
// after restart (and reconciled), never a transaction the app forgot it sent.
import crypto from 'node:crypto';
import type { Publication, PublicationKind, PublicationStatus } from '../../api/chainSchemas';
import type { Db } from '../../workspace/openDatabase';

interface Row {
  id: string;
  kind: PublicationKind;
  title: string;
  status: PublicationStatus;
  chain_id: number;
  contract: string;
  function_name: string;
  params_json: string;
  tx_hash: string | null;
  block_number: number | null;
  block_hash: string | null;
  result_json: string | null;
  error_json: string | null;
  created_at: string;
  updated_at: string;
}

function fromRow(r: Row): Publication & { blockHash: string | null } {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    status: r.status,
    published: r.status === 'confirmed',
    chainId: r.chain_id,
    contract: r.contract,
    functionName: r.function_name,
    params: JSON.parse(r.params_json),
    txHash: r.tx_hash,
    blockNumber: r.block_number,
    blockHash: r.block_hash,
    result: r.result_json === null ? null : JSON.parse(r.result_json),
    error: r.error_json === null ? null : JSON.parse(r.error_json),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The API shape (the block hash stays internal: it is what reconciliation compares). */
export function publicPublication(p: Publication & { blockHash?: string | null }): Publication {
  const { blockHash: _blockHash, ...rest } = p;
  return rest;
}

export function insertPending(
  db: Db,
  p: { kind: PublicationKind; title: string; chainId: number; contract: string; functionName: string; params: unknown },
): Publication {
  const now = new Date().toISOString();
  const id = crypto.randomUUID();
  db.prepare(
    `INSERT INTO publications (id, kind, title, status, chain_id, contract, function_name, params_json, created_at, updated_at)
     VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
  ).run(id, p.kind, p.title, p.chainId, p.contract, p.functionName, JSON.stringify(p.params), now, now);
  return getPublication(db, id)!;
}

export function getPublication(db: Db, id: string): (Publication & { blockHash: string | null }) | undefined {
  const row = db.prepare('SELECT * FROM publications WHERE id = ?').get(id) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

export function updatePublication(
  db: Db,
  id: string,
  change: {
    status?: PublicationStatus;
    txHash?: string;
    blockNumber?: number;
    blockHash?: string;
    result?: unknown;
    error?: { code: string; message: string; details?: unknown } | null;
  },
): Publication {
  const sets: string[] = ['updated_at = ?'];
  const values: unknown[] = [new Date().toISOString()];
  const add = (col: string, v: unknown) => {
    sets.push(`${col} = ?`);
    values.push(v);
  };
  if (change.status !== undefined) add('status', change.status);
  if (change.txHash !== undefined) add('tx_hash', change.txHash);
  if (change.blockNumber !== undefined) add('block_number', change.blockNumber);
  if (change.blockHash !== undefined) add('block_hash', change.blockHash);
  if (change.result !== undefined) add('result_json', JSON.stringify(change.result));
  if (change.error !== undefined) add('error_json', change.error === null ? null : JSON.stringify(change.error));
  db.prepare(`UPDATE publications SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  return publicPublication(getPublication(db, id)!);
}

export function listPublications(db: Db, opts: { status?: PublicationStatus; chainId?: number; limit?: number } = {}): (Publication & { blockHash: string | null })[] {
  const where: string[] = [];
  const values: unknown[] = [];
  if (opts.status) {
    where.push('status = ?');
    values.push(opts.status);
  }
  if (opts.chainId !== undefined) {
    where.push('chain_id = ?');
    values.push(opts.chainId);
  }
  const sql = `SELECT * FROM publications ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
  return (db.prepare(sql).all(...values, opts.limit ?? 1000) as Row[]).map(fromRow);
}
