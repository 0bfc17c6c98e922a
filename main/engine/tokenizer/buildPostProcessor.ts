// tokenizer.json "post_processor" -> what encode() does to the ids when asked to add special
// tokens. Only the single-sequence case: the engine never encodes pairs.
import { TokenizerError } from './TokenizerError';

export type PostProcessor = (ids: number[]) => number[];

type Json = Record<string, unknown>;

export function buildPostProcessor(json: unknown, path = 'post_processor'): PostProcessor | null {
  if (json === null || json === undefined) return null;
  const p = json as Json;
  switch (p['type']) {
    case 'ByteLevel':
      // Only trims offsets; ids are unchanged.
      return (ids) => ids;
    case 'Sequence': {
      const steps = ((p['processors'] as unknown[]) ?? []).map((s, i) => buildPostProcessor(s, `${path}.processors[${i}]`));
      return (ids) => steps.reduce((acc, f) => (f ? f(acc) : acc), ids);
    }
    case 'TemplateProcessing': {
      const special = (p['special_tokens'] ?? {}) as Record<string, { ids: number[] }>;
      const single = (p['single'] as Json[] | undefined) ?? [];
      const parts: (number[] | 'A')[] = single.map((item, i) => {
        if ('Sequence' in item) {
          if ((item['Sequence'] as Json)['id'] !== 'A') throw new TokenizerError(`${path}.single[${i}]`, 'single template uses sequence B');
          return 'A';
        }
        const name = String((item['SpecialToken'] as Json | undefined)?.['id']);
        const tok = special[name];
        if (!tok) throw new TokenizerError(`${path}.single[${i}]`, `special token ${JSON.stringify(name)} is not in special_tokens`);
        return tok.ids;
      });
      return (ids) => parts.flatMap((part) => (part === 'A' ? ids : part));
    }
    case 'RobertaProcessing':
    case 'BertProcessing': {
      const cls = (p['cls'] as [string, number])[1];
      const sep = (p['sep'] as [string, number])[1];
      return (ids) => [cls, ...ids, sep];
    }
    default:
      throw new TokenizerError(`${path}.type`, `unsupported post-processor ${JSON.stringify(p['type'])}`);
  }
}
