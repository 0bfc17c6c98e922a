// The records an adapter was trained on, with the ids attribution reports them by. Two formats:
// a datanet version's snapshot (writeSnapshotFiles.ts: {"id", "contributor", "recordHash",
// "content": {"text"} | {"prompt","response"}} per line; ids = the records' source ids), or plain
// training JSONL ({"text"} | {"prompt","response"}; ids = 1-based line numbers, as the engine's
// example gradient store keys them). Errors name the file and line.
import { INPUT_LIMITS, readInputText } from '../files/readInputFile';
import { parseTrainingRecords, type TrainingRecord } from '../engine/training/readTrainingRecords';

/** One record's JSON through the training parser, its errors naming `where` (file:line). */
function oneRecord(json: string, where: string): TrainingRecord {
  try {
    return parseTrainingRecords(json, where)[0]!;
  } catch (e) {
    throw new Error((e as Error).message.replace(`${where}:1`, where));
  }
}

export function parseAttributionRecords(jsonl: string, file: string): { id: string; record: TrainingRecord }[] {
  const out: { id: string; record: TrainingRecord }[] = [];
  const seen = new Set<string>();
  jsonl.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      // parseTrainingRecords words the syntax error (never the line's content)
      oneRecord(line, where);
      throw new Error(`${where}: not JSON`);
    }
    const o = v as Record<string, unknown> | null;
    const snapshot = o !== null && typeof o === 'object' && 'content' in o;
    if (snapshot && typeof o['id'] !== 'string') throw new Error(`${where}: a snapshot record needs a string "id"`);
    const id = snapshot ? (o['id'] as string) : String(i + 1);
    if (seen.has(id)) throw new Error(`${where}: record id ${JSON.stringify(id)} appears twice`);
    seen.add(id);
    out.push({ id, record: oneRecord(JSON.stringify(snapshot ? o['content'] : o), where) });
  });
  if (out.length === 0) throw new Error(`${file}: no records`);
  return out;
}

export function readAttributionRecords(path: string): { id: string; record: TrainingRecord }[] {
  return parseAttributionRecords(readInputText(path, INPUT_LIMITS.trainingData), path);
}
