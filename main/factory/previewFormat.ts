// factory.formatPreview: the format node's live preview. The first records of the pipeline's
// datanet version go through the same code a run uses (formatRecord, then the engine's
// tokenizeRecord with the base model's tokenizer), cut to one training row (seq + 1 tokens), so
// what the preview marks as masked is exactly what the loss leaves out.
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../api/apiError';
import type { FactoryFormatPreview } from '../api/pipelineSchemas';
import { versionRecords } from '../datanets/versionsRepository';
import { modelSpecialIds } from '../engine/modelSpecialIds';
import { readTokenizerConfig } from '../engine/tokenizer/renderChatTemplate';
import { Tokenizer } from '../engine/tokenizer/Tokenizer';
import { tokenizeRecord } from '../engine/training/tokenizeRecord';
import type { Db } from '../workspace/openDatabase';
import { formatRecord } from './formatRecord';
import { evalIndexes } from './splitRecords';
import { resolvePipeline } from './validatePipeline';

// The preview follows every keystroke in the editor: parse a model's tokenizer.json once, not
// per request (a changed file has a new mtime and is read again).
const tokenizers = new Map<string, { mtimeMs: number; tok: Tokenizer }>();

function tokenizerOf(modelDir: string): Tokenizer {
  const file = path.join(modelDir, 'tokenizer.json');
  const mtimeMs = fs.statSync(file).mtimeMs;
  const hit = tokenizers.get(modelDir);
  if (hit && hit.mtimeMs === mtimeMs) return hit.tok;
  const tok = Tokenizer.fromModelDir(modelDir);
  tokenizers.set(modelDir, { mtimeMs, tok });
  return tok;
}

export function previewFormat(db: Db, yaml: string, baseDir: string, limit: number): FactoryFormatPreview {
  const { result, resolved } = resolvePipeline(db, yaml, baseDir);
  if (!resolved) {
    const where = (e: (typeof result.errors)[number]) => `${e.node}${e.field ? `.${e.field}` : ''}`;
    throw new StudioError('PIPELINE_INVALID', `The preview needs a valid pipeline: ${result.errors.map((e) => `${where(e)}: ${e.message}`).join('; ')}`, { errors: result.errors });
  }
  const { pipeline: p, modelDir, datanet, version } = resolved;
  const tok = tokenizerOf(modelDir);
  const eosId = modelSpecialIds(modelDir).eos[0] ?? null;
  const chat = p.format.kind === 'chat' ? readTokenizerConfig(modelDir) : null;
  const rows = [...versionRecords(db, version.id)];
  const held = evalIndexes(rows.map((r) => r.contributor), p.split);
  return {
    seq: p.train.seq,
    records: rows.slice(0, limit).map((r, i) => {
      const formatted = formatRecord(p.format, datanet.schema, { text: r.text, content: JSON.parse(r.content_json) as Record<string, unknown> }, chat);
      const t = tokenizeRecord(tok, formatted, eosId);
      // makeTrainBatch: a row is ids[0..seq] (inputs ids[0..seq-1], targets ids[1..seq]).
      const kept = Math.min(t.ids.length, p.train.seq + 1);
      return {
        sourceId: r.source_id,
        contributor: r.contributor,
        split: held.has(i) ? ('eval' as const) : ('train' as const),
        prompt: formatted.kind === 'text' ? '' : formatted.prompt,
        response: formatted.kind === 'text' ? formatted.text : formatted.response,
        tokens: t.ids.slice(0, kept).map((id, j) => ({
          id,
          text: tok.decode([id], { skipSpecialTokens: false }),
          // The first token is only ever an input: nothing predicts it, so it carries no loss.
          weight: j === 0 ? 0 : t.weights[j]!,
          special: tok.isSpecial(id),
        })),
        dropped: t.ids.length - kept,
      };
    }),
  };
}
