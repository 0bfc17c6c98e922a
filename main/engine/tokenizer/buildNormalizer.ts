// tokenizer.json "normalizer" -> a string function. Offsets are not tracked (the engine needs
// ids and text, not character alignments).
import { TokenizerError } from './TokenizerError';
import type { Pattern } from './splitByPattern';
import { translateRegex } from './translateRegex';

export type Normalizer = (s: string) => string;

type Json = Record<string, unknown>;

export function buildNormalizer(json: unknown, path = 'normalizer'): Normalizer | null {
  if (json === null || json === undefined) return null;
  const n = json as Json;
  switch (n['type']) {
    case 'Sequence': {
      const steps = ((n['normalizers'] as unknown[]) ?? []).map((s, i) => buildNormalizer(s, `${path}.normalizers[${i}]`));
      return (s) => steps.reduce((acc, f) => (f ? f(acc) : acc), s);
    }
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD': {
      const form = n['type'];
      return (s) => s.normalize(form);
    }
    case 'Lowercase':
      return (s) => s.toLowerCase();
    case 'Prepend': {
      const p = String(n['prepend']);
      // The Rust normalizer prepends only to non-empty input.
      return (s) => (s.length > 0 ? p + s : s);
    }
    case 'Replace':
      return replacer(n['pattern'] as Pattern, String(n['content']), path);
    case 'Strip': {
      const left = n['strip_left'] !== false;
      const right = n['strip_right'] !== false;
      return (s) => {
        let r = s;
        if (left) r = r.replace(/^\s+/u, '');
        if (right) r = r.replace(/\s+$/u, '');
        return r;
      };
    }
    default:
      throw new TokenizerError(`${path}.type`, `unsupported normalizer ${JSON.stringify(n['type'])}`);
  }
}

export function replacer(pattern: Pattern, content: string, path: string): (s: string) => string {
  if ('String' in pattern) return (s) => s.split(pattern.String).join(content);
  if ('Regex' in pattern) {
    const re = translateRegex(pattern.Regex);
    return (s) => s.replace(re, () => content);
  }
  throw new TokenizerError(`${path}.pattern`, 'expected {String} or {Regex}');
}
