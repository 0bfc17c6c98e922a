import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import { ensureSpanIndex, parseDatanetRef, versionDocuments } from '../../attribution/ensureSpanIndex';
import { resolveAttributionAdapter } from '../../attribution/resolveAttributionAdapter';
import { INDEX_FILES, TABLE_FILE, TOKENS_FILE } from '../../attribution/spanIndexFormat';
import { resolveModelArgument } from '../../engine/defaultModel/resolveModelArgument';
import { loadNativeEngine } from '../../engine/native/index';
import { Tokenizer } from '../../engine/tokenizer/Tokenizer';
import { defineJobKind } from '../jobKind';

/** Builds (or checks and keeps) a datanet version's span index under a model's tokenizer. */
export const attributionIndex = defineJobKind({
  kind: 'attribution.index',
  title: (p) => `Span index of datanet ${p.datanet}`,
  prepare(db, p, workspaceRoot) {
    const { name, version } = parseDatanetRef(p.datanet);
    let modelDir: string;
    if (p.model) modelDir = resolveModelArgument(p.model);
    else if (p.adapter) {
      const { record } = resolveAttributionAdapter(db, p.adapter);
      const base = record?.base.path;
      if (!base || !fs.existsSync(base)) throw new StudioError(ErrorCode.InvalidRequest, `The base model of adapter ${p.adapter} is not known here${base ? ` (${base} is gone)` : ''}: name it with --model DIR.`);
      modelDir = base;
    } else modelDir = resolveModelArgument('default');
    return { workspaceRoot, modelDir, ...versionDocuments(db, name, version) };
  },
  async run(input, ctx) {
    ctx.progress(null, `indexing ${input.records.length} records`);
    const r = ensureSpanIndex(loadNativeEngine(), input.workspaceRoot, input.datanet, Tokenizer.fromModelDir(input.modelDir), () => input.records);
    const h = r.index.header;
    const bytes = INDEX_FILES.reduce((a, f) => a + h.files[f].bytes, 0) + fs.statSync(path.join(r.index.dir, 'studio-index.json')).size;
    return {
      datanet: input.datanet,
      dir: r.index.dir,
      built: r.built,
      rebuiltBecause: r.rebuiltBecause,
      documents: h.documents,
      tokens: h.tokens,
      tokenWidth: h.tokenWidth,
      ptrSize: h.ptrSize,
      bytes,
      // The per-token cost: tokens and suffix table (the header and document offsets are per record).
      bytesPerToken: h.tokens ? (h.files[TOKENS_FILE].bytes + h.files[TABLE_FILE].bytes) / h.tokens : 0,
      ms: Math.round(r.ms),
      suffixArrayMs: r.built ? h.build.suffixArrayMs : null,
    };
  },
  commit: (_db, result) => result,
});
