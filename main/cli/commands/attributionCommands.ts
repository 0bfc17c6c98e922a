import type { AttributionIndexResult } from '../../api/attributionSchemas';
import type { AttributionGradientsResultSchema } from '../../api/attributionGradientSchemas';
import type { z } from 'zod';
import type { JobParamsInput } from '../../api/jobSchemas';
import { UsageError, type Command } from '../command';
import { runJobToEnd } from '../runJobToEnd';
import { withCore } from '../withCore';
import { parseDatanetRef } from './datanetCommands';

type GradientsResult = z.infer<typeof AttributionGradientsResultSchema>;
type IndexOutcome = AttributionIndexResult & { gradients?: GradientsResult };

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export const attributionIndexCommand: Command = {
  path: ['attribution', 'index'],
  usage: 'studio attribution index NAME[@V] [--adapter NAME|DIR] [--model DIR|default] [--json]',
  summary:
    "Build a datanet version's exact-span index (suffix array, infini-gram layout) under a model's tokenizer; an up-to-date index is checked and kept, a stale or corrupt one rebuilt. With --adapter, also the adapter's record gradient store (job attribution.gradients)",
  options: { adapter: { type: 'string' }, model: { type: 'string' } },
  async run(ctx) {
    const ref = ctx.positionals[0];
    parseDatanetRef(ref, 'attribution index');
    if (ctx.positionals.length > 1) throw new UsageError(`attribution index takes one datanet, got ${ctx.positionals.join(' ')}`);
    const params: JobParamsInput<'attribution.index'> = {
      datanet: ref!,
      ...(str(ctx.values.model) ? { model: str(ctx.values.model)! } : {}),
      ...(str(ctx.values.adapter) ? { adapter: str(ctx.values.adapter)! } : {}),
    };
    const adapter = str(ctx.values.adapter);
    return withCore(ctx, async (core): Promise<IndexOutcome> => {
      const index = (await runJobToEnd(core, 'attribution.index', params, ctx.info)).result as AttributionIndexResult;
      if (!adapter) return index;
      // The adapter's training records come from its lineage; the base is the one named or its own.
      const model = str(ctx.values.model);
      const gradients = (await runJobToEnd(core, 'attribution.gradients', { adapter, ...(model ? { model } : {}) }, ctx.info)).result as GradientsResult;
      return { ...index, gradients };
    });
  },
  human: (r: IndexOutcome) =>
    [
      `${r.built ? (r.rebuiltBecause ? `Rebuilt (${r.rebuiltBecause})` : 'Built') : 'Up to date'}: span index of ${r.datanet.name}@${r.datanet.version}`,
      `  ${r.documents} records, ${r.tokens} tokens (${r.tokenWidth}-byte ids, ${r.ptrSize}-byte pointers), ${r.bytes} bytes (${r.bytesPerToken} per token)`,
      `  ${r.ms} ms${r.suffixArrayMs !== null ? ` (suffix array ${r.suffixArrayMs} ms)` : ''}`,
      `  ${r.dir}`,
      ...(r.gradients
        ? [`${r.gradients.reused ? 'Up to date' : 'Built'}: gradient store of ${r.gradients.records} records (${Math.round(r.gradients.bytesPerRecord)} bytes each), ${r.gradients.dir}`]
        : []),
    ].join('\n'),
};
