/**
 * How deep JSON text nests, measured by a scan of the text before anything parses it. Parsers
 * and validators that recurse (jsonc-parser, zod, our own walkers) overflow the stack on deep
 * enough input, and a RangeError from deep inside them says nothing useful. The limit is far
 * above any document the API or the settings need.
 */
export const MAX_JSON_DEPTH = 64;

export interface DepthExcess {
  /** Offset in the text of the bracket that went past the limit. */
  offset: number;
  limit: number;
}

/**
 * The first place `text` nests deeper than `limit` arrays and objects, or null. Brackets inside
 * strings do not count; `//` and block comments are skipped too, so JSONC is measured alike.
 */
export function findDepthExcess(text: string, limit = MAX_JSON_DEPTH): DepthExcess | null {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip to the closing quote, past escapes; an unterminated string ends the scan.
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return { offset: i, limit };
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth > 0) depth--;
    }
  }
  return null;
}
