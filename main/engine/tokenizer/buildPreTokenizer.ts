// tokenizer.json "pre_tokenizer" -> a function from one piece of normalized text to words.
// `atStart` says whether the piece begins at offset 0 of the original input: Metaspace's
// prepend_scheme "first" prepends the marker only there.
import { TokenizerError } from './TokenizerError';
import { splitByPattern, type Pattern, type SplitBehavior } from './splitByPattern';
import { toByteLevel } from './byteLevelAlphabet';

export type PreTokenizer = (piece: string, atStart: boolean) => string[];

type Json = Record<string, unknown>;

/** GPT-2's split regex, used by ByteLevel when use_regex is true. */
export const GPT2_SPLIT_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

export function buildPreTokenizer(json: unknown, path = 'pre_tokenizer'): PreTokenizer | null {
  if (json === null || json === undefined) return null;
  const p = json as Json;
  switch (p['type']) {
    case 'Sequence': {
      const steps = ((p['pretokenizers'] as unknown[]) ?? []).map((s, i) => buildPreTokenizer(s, `${path}.pretokenizers[${i}]`)!);
      return (piece, atStart) => {
        let words = [piece];
        for (const step of steps) {
          // Only the first word of a piece that starts the input still starts at offset 0.
          words = words.flatMap((w, i) => step(w, atStart && i === 0));
        }
        return words;
      };
    }
    case 'ByteLevel': {
      const addPrefixSpace = p['add_prefix_space'] === true;
      const useRegex = p['use_regex'] !== false;
      return (piece) => {
        const s = addPrefixSpace && !piece.startsWith(' ') ? ` ${piece}` : piece;
        const words = useRegex ? splitByPattern(s, { Regex: GPT2_SPLIT_REGEX }, 'Isolated') : [s];
        return words.map(toByteLevel);
      };
    }
    case 'Split': {
      const pattern = p['pattern'] as Pattern;
      const behavior = p['behavior'] as SplitBehavior;
      const invert = p['invert'] === true;
      if (!['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'].includes(behavior)) {
        throw new TokenizerError(`${path}.behavior`, `unknown split behavior ${JSON.stringify(behavior)}`);
      }
      return (piece) => splitByPattern(piece, pattern, behavior, invert);
    }
    case 'Metaspace': {
      const rep = String(p['replacement'] ?? '▁');
      const scheme = metaspaceScheme(p, path);
      const split = p['split'] !== false;
      return (piece, atStart) => {
        let s = piece.split(' ').join(rep);
        if ((scheme === 'always' || (scheme === 'first' && atStart)) && !s.startsWith(rep)) s = rep + s;
        return split ? splitByPattern(s, { String: rep }, 'MergedWithNext') : [s];
      };
    }
    case 'Digits': {
      const individual = p['individual_digits'] === true;
      return (piece) => splitByPattern(piece, { Regex: '\\p{N}' }, individual ? 'Isolated' : 'Contiguous');
    }
    default:
      throw new TokenizerError(`${path}.type`, `unsupported pre-tokenizer ${JSON.stringify(p['type'])}`);
  }
}

/** Older files say add_prefix_space instead of prepend_scheme. */
export function metaspaceScheme(p: Json, path: string): 'always' | 'first' | 'never' {
  const s = p['prepend_scheme'];
  if (s === undefined) return p['add_prefix_space'] === false ? 'never' : 'always';
  if (s === 'always' || s === 'first' || s === 'never') return s;
  throw new TokenizerError(`${path}.prepend_scheme`, `unknown value ${JSON.stringify(s)}`);
}
