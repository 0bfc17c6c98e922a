import type { ResponseAttribution } from '../api/attributionSchemas';
import { ErrorCode, StudioError } from '../api/apiError';
import type { AdapterRecord } from '../api/adaptersSchemas';
import type { NativeEngine } from '../engine/native/index';
import { DecodeStream } from '../engine/tokenizer/DecodeStream';
import type { Tokenizer } from '../engine/tokenizer/Tokenizer';
import type { Db } from '../workspace/openDatabase';
import { attributeResponse } from './attributeResponse';
import { ensureSpanIndex, parseDatanetRef, versionDocuments, versionIdentity } from './ensureSpanIndex';
import type { GradientEvidence } from './evidenceTypes';
import { SuffixSearcher } from './findSpans';

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
  gradient?: GradientEvidence | null;
  threshold: { bps: number; source: 'chain' | 'default' };
}

/** Which datanet version to attribute against, and how it was found. */
export function attributionDatanet(adapter: AdapterRecord | null, argument: string | undefined): { ref: string; from: 'lineage' | 'argument' } {
  if (argument) return { ref: argument, from: 'argument' };
  // Lineage is "name@v" (engine.train --datanet) or "name@v 0xROOT" (factory runs, which also keep
  // the version's Merkle root): the reference is its first word.
  if (adapter?.datanet) return { ref: adapter.datanet.trim().split(/\s+/)[0]!, from: 'lineage' };
  throw new StudioError(
    ErrorCode.InvalidRequest,
    adapter
      ? `Adapter ${adapter.name} records no datanet it was trained on: name one to attribute against (--datanet NAME[@VERSION], or "datanet" in the request).`
      : 'The base model has no datanet lineage: name one to attribute against (--datanet NAME[@VERSION], or "datanet" in the request).',
    { adapter: adapter?.name ?? null },
  );
}

/**
 * Attributes a response's tokens against the datanet version (the index built on first use or
 * rebuilt when stale), with gradient evidence when the caller has it.
 */
export function attributeCompletion(a: AttributeCompletionArgs): ResponseAttribution {
  const { ref, from } = attributionDatanet(a.adapter, a.datanet);
  const { name, version } = parseDatanetRef(ref);
  const { versionId: _id, ...datanet } = versionIdentity(a.db, name, version);
  const { index } = ensureSpanIndex(a.engine, a.workspaceRoot, datanet, a.tokenizer, () => versionDocuments(a.db, datanet.name, datanet.version).records);
  const gradient = a.gradient ?? null;
  const note = gradient
    ? null
    : !a.adapter
      ? 'No adapter: the base model was not trained on this datanet here, so exact spans only.'
      : !a.adapter.datanet
        ? `Adapter ${a.adapter.name}'s training data is unknown (no datanet lineage): exact spans only.`
        : `No gradient store for adapter ${a.adapter.name} yet: exact spans only.`;
  return attributeResponse({
    model: a.model,
    adapter: a.adapter?.name ?? null,
    datanet,
    datanetFrom: from,
    tokens: a.tokens,
    searcher: new SuffixSearcher(index),
    gradient,
    note,
    threshold: a.threshold,
  });
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
