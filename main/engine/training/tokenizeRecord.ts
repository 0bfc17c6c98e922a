// A record -> token ids with a per-token training weight. Text records are encoded as the
// tokenizer's post-processor dictates (BOS only where it adds one) and trained on throughout.
// Instruction records: the prompt is encoded the same way and weighted 0, the response is
// encoded without special tokens and weighted 1, and EOS is appended (weighted 1) so the model
// learns to stop. Weights apply to predicting that token, i.e. to the target position.
import type { Tokenizer } from '../tokenizer/Tokenizer';
import type { TrainingRecord } from './readTrainingRecords';

export interface TokenizedRecord {
  ids: number[];
  /** weights[i] is the weight of predicting ids[i] from ids[0..i). weights[0] is unused. */
  weights: number[];
}

export function tokenizeRecord(tok: Tokenizer, r: TrainingRecord, eosId: number | null): TokenizedRecord {
  if (r.kind === 'text') {
    const ids = tok.encode(r.text);
    if (eosId !== null) ids.push(eosId);
    return { ids, weights: ids.map(() => 1) };
  }
  const prompt = tok.encode(r.prompt);
  const response = tok.encode(r.response, { addSpecialTokens: false });
  if (eosId !== null) response.push(eosId);
  return { ids: [...prompt, ...response], weights: [...prompt.map(() => 0), ...response.map(() => 1)] };
}
