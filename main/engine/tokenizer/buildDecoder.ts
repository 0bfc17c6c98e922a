// tokenizer.json "decoder" -> tokens to text. Each step maps the token list to a new list, as the
// Rust decoders' decode_chain does; the final strings are concatenated.
import { TokenizerError } from './TokenizerError';
import { CHAR_TO_BYTE } from './byteLevelAlphabet';
import { metaspaceScheme } from './buildPreTokenizer';
import { replacer } from './buildNormalizer';
import type { Pattern } from './splitByPattern';

export type Decoder = (tokens: string[]) => string[];

type Json = Record<string, unknown>;

const lossy = new TextDecoder('utf-8');
const strict = new TextDecoder('utf-8', { fatal: true });

export function buildDecoder(json: unknown, path = 'decoder'): Decoder | null {
  if (json === null || json === undefined) return null;
  const d = json as Json;
  switch (d['type']) {
    case 'Sequence': {
      const steps = ((d['decoders'] as unknown[]) ?? []).map((s, i) => buildDecoder(s, `${path}.decoders[${i}]`));
      return (tokens) => steps.reduce((acc, f) => (f ? f(acc) : acc), tokens);
    }
    case 'ByteLevel':
      // All tokens' bytes are joined then read as UTF-8, invalid sequences becoming U+FFFD.
      // A token with a character outside the byte alphabet contributes its own UTF-8 instead.
      return (tokens) => {
        const bytes: number[] = [];
        for (const t of tokens) {
          const mapped = Array.from(t, (c) => CHAR_TO_BYTE.get(c));
          if (mapped.every((b) => b !== undefined)) bytes.push(...(mapped as number[]));
          else bytes.push(...new TextEncoder().encode(t));
        }
        return [lossy.decode(new Uint8Array(bytes))];
      };
    case 'Replace': {
      const f = replacer(d['pattern'] as Pattern, String(d['content']), path);
      return (tokens) => tokens.map(f);
    }
    case 'ByteFallback':
      // Runs of <0xXX> tokens become the text their bytes spell; an invalid run becomes one
      // U+FFFD per byte.
      return (tokens) => {
        const out: string[] = [];
        let run: number[] = [];
        const flush = () => {
          if (run.length === 0) return;
          try {
            out.push(strict.decode(new Uint8Array(run)));
          } catch {
            for (let i = 0; i < run.length; i++) out.push('\ufffd');
          }
          run = [];
        };
        for (const t of tokens) {
          const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(t);
          if (m) run.push(parseInt(m[1]!, 16));
          else {
            flush();
            out.push(t);
          }
        }
        flush();
        return out;
      };
    case 'Fuse':
      return (tokens) => [tokens.join('')];
    case 'Strip': {
      const content = String(d['content']);
      const start = Number(d['start'] ?? 0);
      const stop = Number(d['stop'] ?? 0);
      return (tokens) =>
        tokens.map((t) => {
          const chars = Array.from(t);
          let a = 0;
          let b = chars.length;
          while (a < start && a < b && chars[a] === content) a++;
          for (let k = 0; k < stop && b > a && chars[b - 1] === content; k++) b--;
          return chars.slice(a, b).join('');
        });
    }
    case 'Metaspace': {
      const rep = String(d['replacement'] ?? '▁');
      const scheme = metaspaceScheme(d, path);
      return (tokens) =>
        tokens.map((t, i) => {
          const s = t.split(rep).join(' ');
          return i === 0 && scheme !== 'never' && s.startsWith(' ') ? s.slice(1) : s;
        });
    }
    default:
      throw new TokenizerError(`${path}.type`, `unsupported decoder ${JSON.stringify(d['type'])}`);
  }
}
