// The datanet version's records, formatted and split as the pipeline says, written as the
// engine's training JSONL into the run folder (train.jsonl, eval.jsonl). Written once when the run
// first starts; a resume trains on the same files, and runTraining's data hash guards them.
import fs from 'node:fs';
import type { Pipeline } from '../api/pipelineSchemas';
import type { RecordSchemaKind } from '../api/datanetSchemas';
import type { TrainingRecord } from '../engine/training/readTrainingRecords';
import { readTokenizerConfig } from '../engine/tokenizer/renderChatTemplate';
import { versionRecords } from '../datanets/versionsRepository';
import type { Db } from '../workspace/openDatabase';
import { formatRecord } from './formatRecord';
import { runFiles } from './runFiles';
import { splitRecords } from './splitRecords';

/** A formatted record with the source id it came from (attribution reports records by it). */
export interface RunRecord {
  id: string;
  record: TrainingRecord;
}

/**
 * The version's records as the run trains and evaluates on them, in record order, each with its
 * source id: the same split train.jsonl and eval.jsonl hold, so the attribution gradient store
 * (main/attribution/adapterTrainingRecords.ts) covers exactly what the adapter trained on.
 */
export function runRecords(db: Db, p: Pipeline, schema: RecordSchemaKind, versionId: number, modelDir: string): { train: RunRecord[]; eval: RunRecord[] } {
  const chat = p.format.kind === 'chat' ? readTokenizerConfig(modelDir) : null;
  const rows = [...versionRecords(db, versionId)];
  const records = rows.map((r) => ({ id: r.source_id, record: formatRecord(p.format, schema, { text: r.text, content: JSON.parse(r.content_json) as Record<string, unknown> }, chat) }));
  return splitRecords(records, rows.map((r) => r.contributor), p.split);
}

export function writeRunData(db: Db, p: Pipeline, schema: RecordSchemaKind, versionId: number, modelDir: string, runDir: string): { train: number; eval: number } {
  const { train, eval: held } = runRecords(db, p, schema, versionId, modelDir);
  const f = runFiles(runDir);
  fs.mkdirSync(f.dir, { recursive: true });
  const jsonl = (rs: RunRecord[]) => rs.map(({ record: r }) => JSON.stringify(r.kind === 'text' ? { text: r.text } : { prompt: r.prompt, response: r.response })).join('\n') + '\n';
  fs.writeFileSync(f.trainData, jsonl(train));
  if (held.length > 0) fs.writeFileSync(f.evalData, jsonl(held));
  return { train: train.length, eval: held.length };
}
