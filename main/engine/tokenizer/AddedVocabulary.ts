// Added tokens (special tokens and user-added words) are cut out of the text before the model
// sees it, as the Rust AddedVocabulary does: tokens with normalized=false are matched in the raw
// text, those with normalized=true in the normalized remainder. Matching is leftmost-longest;
// single_word requires non-word characters around the match; lstrip/rstrip swallow whitespace.

export interface AddedToken {
  id: number;
  content: string;
  singleWord: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

/** A piece of input: either an added token's id or text still to tokenize. */
export type Piece = { id: number } | { text: string; start: number };

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);
const isSpace = (c: string | undefined) => c !== undefined && /\s/u.test(c) && c !== '\ufeff';

export function parseAddedTokens(json: unknown): AddedToken[] {
  return ((json as Record<string, unknown>[] | undefined) ?? []).map((t) => ({
    id: Number(t['id']),
    content: String(t['content']),
    singleWord: t['single_word'] === true,
    lstrip: t['lstrip'] === true,
    rstrip: t['rstrip'] === true,
    // The Rust default: special tokens are not normalized, other added tokens are.
    normalized: typeof t['normalized'] === 'boolean' ? t['normalized'] : t['special'] !== true,
    special: t['special'] === true,
  }));
}

export class TokenMatcher {
  /** Tokens grouped by first UTF-16 unit, longest first. */
  private readonly byFirst = new Map<string, AddedToken[]>();

  constructor(tokens: AddedToken[]) {
    for (const t of tokens) {
      if (t.content.length === 0) continue;
      const k = t.content[0]!;
      const list = this.byFirst.get(k) ?? [];
      list.push(t);
      this.byFirst.set(k, list);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.content.length - a.content.length);
  }

  get empty(): boolean {
    return this.byFirst.size === 0;
  }

  /** Splits `text` (starting at `base` in the original input) into added tokens and the rest. */
  split(text: string, base: number): Piece[] {
    if (this.empty || text.length === 0) return text.length > 0 ? [{ text, start: base }] : [];
    const out: Piece[] = [];
    let emitted = 0;
    let i = 0;
    while (i < text.length) {
      const t = this.longestAt(text, i);
      if (!t) {
        i++;
        continue;
      }
      let start = i;
      let stop = i + t.content.length;
      if (t.singleWord && (isWordChar(charBefore(text, start)) || isWordChar(charAt(text, stop)))) {
        i++;
        continue;
      }
      if (t.lstrip) {
        while (start > emitted && isSpace(charBefore(text, start))) start -= charBefore(text, start)!.length;
      }
      if (t.rstrip) {
        while (stop < text.length && isSpace(charAt(text, stop))) stop += charAt(text, stop)!.length;
      }
      if (emitted < start) out.push({ text: text.slice(emitted, start), start: base + emitted });
      out.push({ id: t.id });
      emitted = stop;
      i = stop;
    }
    if (emitted < text.length) out.push({ text: text.slice(emitted), start: base + emitted });
    return out;
  }

  private longestAt(text: string, i: number): AddedToken | undefined {
    const list = this.byFirst.get(text[i]!);
    return list?.find((t) => text.startsWith(t.content, i));
  }
}

function charAt(s: string, i: number): string | undefined {
  const cp = s.codePointAt(i);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
}

function charBefore(s: string, i: number): string | undefined {
  if (i <= 0) return undefined;
  const lo = s.charCodeAt(i - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && i >= 2) return s.slice(i - 2, i);
  return s[i - 1];
}
