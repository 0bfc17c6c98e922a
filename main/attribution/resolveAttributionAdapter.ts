import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../api/apiError';
import type { AdapterRecord } from '../api/adaptersSchemas';
import { findAdapter } from '../adapters/adaptersRepository';
import type { Db } from '../workspace/openDatabase';

/**
 * `--adapter NAME|DIR` for attribution: a registered name, or a PEFT folder recognised by its
 * weights' sha256 wherever it was copied (its lineage is the registered adapter's). A folder the
 * registry does not know gives record null: its training data is unknown.
 */
export function resolveAttributionAdapter(db: Db, arg: string): { record: AdapterRecord | null; dir: string | null } {
  const dir = path.resolve(arg);
  if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) {
    const weights = path.join(dir, 'adapter_model.safetensors');
    if (!fs.existsSync(weights)) throw new StudioError(ErrorCode.InvalidRequest, `--adapter: ${dir} has no adapter_model.safetensors (a PEFT adapter folder has one).`);
    const sha = createHash('sha256').update(fs.readFileSync(weights)).digest('hex');
    const row = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'adapters'").get()
      ? (db.prepare('SELECT name FROM adapters WHERE weights_sha256 = ? ORDER BY created_at LIMIT 1').get(sha) as { name: string } | undefined)
      : undefined;
    return { record: row ? (findAdapter(db, row.name) ?? null) : null, dir };
  }
  const record = findAdapter(db, arg);
  if (!record) throw new StudioError(ErrorCode.NotFound, `--adapter: no folder ${dir} and no adapter named "${arg}" in the workspace; \`studio adapters list\` shows them.`);
  return { record, dir: null };
}
