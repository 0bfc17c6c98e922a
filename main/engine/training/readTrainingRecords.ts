// Training data as JSONL: one record per line, either {"text": ...} (train on every token) or
// {"prompt": ..., "response": ...} (instruction data: train on the response only). Errors name
// the file and line so a user can fix the record.
import { INPUT_LIMITS, jsonSyntaxError, readInputText } from '../../files/readInputFile';

export type TrainingRecord = { kind: 'text'; text: string } | { kind: 'chat'; prompt: string; response: string };

export function parseTrainingRecords(jsonl: string, file = 'data.jsonl'): TrainingRecord[] {
  const out: TrainingRecord[] = [];
  jsonl.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      // The line is the user's data: say where it breaks, never what it says.
      throw new Error(`${where}: ${jsonSyntaxError(line)}`.replace(/\(line 1, column (\d+)\)/, '(column $1)'));
    }
    const r = v as Record<string, unknown> | null;
    if (r && typeof r['text'] === 'string') out.push({ kind: 'text', text: r['text'] });
    else if (r && typeof r['prompt'] === 'string' && typeof r['response'] === 'string') out.push({ kind: 'chat', prompt: r['prompt'], response: r['response'] });
    else throw new Error(`${where}: a record needs a string "text", or string "prompt" and "response"`);
  });
  if (out.length === 0) throw new Error(`${file}: no records`);
  return out;
}

export function readTrainingRecords(path: string): TrainingRecord[] {
  return parseTrainingRecords(readInputText(path, INPUT_LIMITS.trainingData), path);
}
