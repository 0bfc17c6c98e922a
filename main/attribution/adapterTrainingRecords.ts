// The records a registered adapter was trained on, each with its datanet source id, rebuilt from
// its lineage: a Factory run's records formatted and split as the run's pipeline did (train split
// only), or for `studio train --datanet` the version's records as writeTrainingData wrote them.
// The gradient store (job 'attribution.gradients') is computed over exactly these, so its rows
// are the records whose gradients shaped the adapter, named as the span index names them.
import type { AdapterRecord } from '../api/adaptersSchemas';
import { getDatanet } from '../datanets/datanetsRepository';
import { getVersionRow, versionRecords } from '../datanets/versionsRepository';
import type { TrainingRecord } from '../engine/training/readTrainingRecords';
import { runRecord } from '../factory/runsRepository';
import { runRecords } from '../factory/writeRunData';
import type { Db } from '../workspace/openDatabase';
import { parseDatanetRef } from './ensureSpanIndex';

export interface AdapterTrainingRecords {
  /** "name@version" of the lineage */
  datanet: string;
  records: { id: string; record: TrainingRecord }[];
}

/** The lineage's "name@version" (a Factory run also records the root after a space), or null. */
export function lineageDatanet(adapter: Pick<AdapterRecord, 'datanet'>): string | null {
  return adapter.datanet ? adapter.datanet.trim().split(/\s+/)[0]! : null;
}

/** A Factory run's id names a row of the runs table; `studio train` records its run folder instead. */
function factoryRun(db: Db, run: string | null): ReturnType<typeof runRecord> | null {
  if (!run || !db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'").get()) return null;
  if (!db.prepare('SELECT 1 FROM runs WHERE id = ?').get(run)) return null;
  return runRecord(db, run);
}

/** Null when the adapter records no datanet (its training data is unknown here). */
export function adapterTrainingRecords(db: Db, adapter: Pick<AdapterRecord, 'datanet' | 'run'>): AdapterTrainingRecords | null {
  const ref = lineageDatanet(adapter);
  if (!ref) return null;
  const { name, version } = parseDatanetRef(ref);
  const d = getDatanet(db, name);
  const v = getVersionRow(db, d.id, d.name, version);
  const run = factoryRun(db, adapter.run);
  if (run) return { datanet: ref, records: runRecords(db, run.pipeline, d.schema, v.id, run.summary.model.dir).train };
  const records = [...versionRecords(db, v.id)].map((r) => {
    const c = JSON.parse(r.content_json) as Record<string, unknown>;
    // As writeTrainingData: instruction datanets train on prompt and response, the rest on text.
    const record: TrainingRecord = d.schema === 'instruction' ? { kind: 'chat', prompt: String(c['prompt']), response: String(c['response']) } : { kind: 'text', text: r.text };
    return { id: r.source_id, record };
  });
  return { datanet: ref, records };
}
