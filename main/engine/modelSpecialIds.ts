// The special token ids generation and training need, read the way transformers reads them:
// generation_config.json first (it is what generate() uses), then config.json. eos_token_id
// may be a list (Llama 3 instruct models stop on several tokens).
import { INPUT_LIMITS, inputExists, readJsonFile } from '../files/readInputFile';
import { join } from 'node:path';

export interface ModelSpecialIds {
  bos: number | null;
  /** Every id that ends a generation; the first is the one appended to training records. */
  eos: number[];
  /** Fills short training rows (never trained on): pad_token_id, else the first EOS, else 0. */
  pad: number;
}

export function modelSpecialIds(dir: string): ModelSpecialIds {
  const read = (name: string): Record<string, unknown> => {
    const file = join(dir, name);
    if (!inputExists(file)) return {};
    const json = readJsonFile(file, INPUT_LIMITS.configJson);
    return json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  };
  const gen = read('generation_config.json');
  const cfg = read('config.json');
  const ids = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : Number.isInteger(v) ? [v as number] : []);
  const pick = (key: string) => (ids(gen[key]).length > 0 ? ids(gen[key]) : ids(cfg[key]));
  const eos = pick('eos_token_id');
  const bos = pick('bos_token_id')[0] ?? null;
  return { bos, eos, pad: pick('pad_token_id')[0] ?? eos[0] ?? 0 };
}
