import path from 'node:path';
import type { ResponseAttribution } from '../api/attributionSchemas';
import { ErrorCode, StudioError } from '../api/apiError';
import type { AdapterRecord } from '../api/adaptersSchemas';
import type { NativeEngine } from '../engine/native/index';
import { DecodeStream } from '../engine/tokenizer/DecodeStream';
import type { Tokenizer } from '../engine/tokenizer/Tokenizer';
import type { Db } from '../workspace/openDatabase';
import { attributeResponse } from './attributeResponse';
import { ensureSpanIndex, parseDatanetRef, versionDocuments, versionIdentity } from './ensureSpanIndex';
import type { PeftAdapterFiles } from '../engine/peft/loadPeftAdapter';
import { lineageDatanet } from './adapterTrainingRecords';
import type { GradientEvidence } from './evidenceTypes';
import { SuffixSearcher } from './findSpans';
import { DEFAULT_QUERY, gradientEvidenceFromStore } from './gradientEvidenceForAdapter';
import type { PromptToken } from './promptContext';

export interface AttributeCompletionArgs {
  engine: NativeEngine;
  db: Db;
  workspaceRoot: string;
  tokenizer: Tokenizer;
  /** The served model's name (the base or the adapter). */
  model: string;
  adapter: AdapterRecord | null;
  /** "name" or "name@version" named by the caller; else the adapter's lineage. */
  datanet?: string;
  tokens: readonly { id: number; text: string }[];
  /** The prompt's token ids (the context of the response's query gradients). */
  promptIds?: readonly number[];
  /** Where gradient evidence can come from: the base the response was generated on (its folder
   * and modelFingerprint digest) and the adapter's files. Absent: exact spans only. */
  gradientSource?: { baseDir: string; baseDigest: string; adapterFiles: string | PeftAdapterFiles } | null;
  /** Called when the adapter's training data is known but its gradient store is missing or was
   * refused: may start the job that builds it, returning words for the note (or null). */
  storeMissing?: (why: 'missing' | 'refused') => string | null;
  threshold: { bps: number; source: 'chain' | 'default' };
}

/** Which datanet version to attribute against, and how it was found. */
export function attributionDatanet(adapter: AdapterRecord | null, argument: string | undefined): { ref: string; from: 'lineage' | 'argument' } {
  if (argument) return { ref: argument, from: 'argument' };
  const lineage = adapter ? lineageDatanet(adapter) : null;
  if (lineage) return { ref: lineage, from: 'lineage' };
  throw new StudioError(
    ErrorCode.InvalidRequest,
    adapter
      ? `Adapter ${adapter.name} records no datanet it was trained on: name one to attribute against (--datanet NAME[@VERSION], or "datanet" in the request).`
      : 'The base model has no datanet lineage: name one to attribute against (--datanet NAME[@VERSION], or "datanet" in the request).',
    { adapter: adapter?.name ?? null },
  );
}

/**
 * Gradient evidence when the adapter's training data is known and its store exists, with the
 * note `evidence.note` carries either way (which evidences were used, or why spans only).
 */
function gradientEvidence(a: AttributeCompletionArgs, datanet: { name: string; version: number }): { gradient: GradientEvidence | null; note: string } {
  const spansOnly = (why: string) => ({ gradient: null, note: `${why}: exact spans only.` });
  if (!a.adapter) return spansOnly('No adapter: the base model was not trained on this datanet here, so there is no gradient store');
  const lineage = lineageDatanet(a.adapter);
  if (!lineage) return spansOnly(`Adapter ${a.adapter.name}'s training data is unknown (no datanet lineage)`);
  const trained = parseDatanetRef(lineage);
  if (trained.name !== datanet.name || trained.version !== datanet.version) {
    return spansOnly(`Adapter ${a.adapter.name} was trained on ${lineage}, so its gradient store holds that version's records, not ${datanet.name}@${datanet.version}'s`);
  }
  if (!a.gradientSource) return spansOnly('Gradient evidence was not asked for');
  const s = a.gradientSource;
  let gradient: GradientEvidence | null;
  try {
    gradient = gradientEvidenceFromStore({
      model: s.baseDir, baseDigest: s.baseDigest, adapter: s.adapterFiles, storesDir: path.join(a.workspaceRoot, 'attribution', 'gradients'),
      promptIds: a.promptIds ?? [], responseIds: a.tokens.map((t) => t.id), ...DEFAULT_QUERY,
    });
  } catch (err) {
    // Another adapter's store in this one's place, or a damaged one: refused, never scored.
    const building = a.storeMissing?.('refused');
    return spansOnly(`Adapter ${a.adapter.name}'s gradient store was refused (${(err as Error).message})${building ? `; ${building}` : ''}`);
  }
  if (!gradient) {
    const building = a.storeMissing?.('missing');
    return spansOnly(`Adapter ${a.adapter.name}'s gradient store is not built yet${building ? ` (${building})` : ''}`);
  }
  const q = DEFAULT_QUERY;
  return {
    gradient,
    note: `Exact spans and gradient influence (${gradient.method === 'datainf' ? 'DataInf' : 'TracIn'} over adapter ${a.adapter.name}'s gradient store of ${lineage}; query gradients per span of ${q.span} tokens with up to ${q.context} tokens of context).`,
  };
}

/**
 * Attributes a response's tokens against the datanet version (the index built on first use or
 * rebuilt when stale), with gradient evidence when the adapter's store exists.
 */
export function attributeCompletion(a: AttributeCompletionArgs): ResponseAttribution {
  const { ref, from } = attributionDatanet(a.adapter, a.datanet);
  const { name, version } = parseDatanetRef(ref);
  const { versionId: _id, ...datanet } = versionIdentity(a.db, name, version);
  const { index } = ensureSpanIndex(a.engine, a.workspaceRoot, datanet, a.tokenizer, () => versionDocuments(a.db, datanet.name, datanet.version).records);
  const { gradient, note } = gradientEvidence(a, datanet);
  return attributeResponse({
    model: a.model,
    adapter: a.adapter?.name ?? null,
    datanet,
    datanetFrom: from,
    tokens: a.tokens,
    prompt: promptTokens(a.tokenizer, a.promptIds ?? []),
    searcher: new SuffixSearcher(index),
    gradient,
    note,
    threshold: a.threshold,
  });
}

/** The prompt's ids with the text each completes and which are special (BOS, chat markers): the prompt context's input. */
export function promptTokens(tokenizer: Tokenizer, ids: readonly number[]): PromptToken[] {
  const stream = new DecodeStream(tokenizer, { skipSpecialTokens: true });
  const out: PromptToken[] = ids.map((id) => ({ id, text: stream.step(id), special: tokenizer.isSpecial(id) }));
  const rest = stream.flush();
  if (rest && out.length) out[out.length - 1]!.text += rest;
  return out;
}

/** A text's tokens with the text each completes ('' while a character spans tokens), decoded after the prompt's ids. */
export function tokensOfText(tokenizer: Tokenizer, text: string, promptIds: readonly number[] = []): { id: number; text: string }[] {
  const ids = tokenizer.encode(text, { addSpecialTokens: false });
  const stream = new DecodeStream(tokenizer, { skipSpecialTokens: true });
  if (promptIds.length) stream.prime([...promptIds]);
  const out = ids.map((id) => ({ id, text: stream.step(id) }));
  const rest = stream.flush();
  if (rest && out.length) out[out.length - 1]!.text += rest;
  return out;
}
