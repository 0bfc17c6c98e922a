// The Rust tokenizers' "split a string on a pattern" with its delimiter behaviours:
//   Removed            drop the matches
//   Isolated           matches and the text between them each become a piece
//   MergedWithPrevious a match is glued to the end of the piece before it
//   MergedWithNext     a match is glued to the start of the piece after it
//   Contiguous         adjacent matches form one piece
// `invert` swaps which parts count as matches. Empty pieces are dropped.
import { translateRegex } from './translateRegex';

export type SplitBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

export type Pattern = { String: string } | { Regex: string };

/** [start, end, isMatch] spans covering the whole string in order. */
function spans(text: string, pattern: Pattern): [number, number, boolean][] {
  const out: [number, number, boolean][] = [];
  let last = 0;
  const push = (s: number, e: number) => {
    if (last < s) out.push([last, s, false]);
    out.push([s, e, true]);
    last = e;
  };
  if ('String' in pattern) {
    const lit = pattern.String;
    if (lit.length > 0) {
      for (let i = text.indexOf(lit); i >= 0; i = text.indexOf(lit, i + lit.length)) push(i, i + lit.length);
    }
  } else {
    const re = translateRegex(pattern.Regex);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex += (text.codePointAt(re.lastIndex) ?? 0) > 0xffff ? 2 : 1;
        continue;
      }
      push(m.index, m.index + m[0].length);
    }
  }
  if (last < text.length) out.push([last, text.length, false]);
  return out;
}

export function splitByPattern(text: string, pattern: Pattern, behavior: SplitBehavior, invert = false): string[] {
  const parts = spans(text, pattern).map(([s, e, m]) => ({ s: text.slice(s, e), m: m !== invert }));
  const out: string[] = [];
  switch (behavior) {
    case 'Removed':
      for (const p of parts) if (!p.m) out.push(p.s);
      break;
    case 'Isolated':
      for (const p of parts) out.push(p.s);
      break;
    case 'Contiguous': {
      let prevMatch = false;
      for (const p of parts) {
        if (p.m && prevMatch && out.length > 0) out[out.length - 1] += p.s;
        else out.push(p.s);
        prevMatch = p.m;
      }
      break;
    }
    case 'MergedWithPrevious': {
      let prevMatch = true;
      for (const p of parts) {
        if (p.m && !prevMatch && out.length > 0) out[out.length - 1] += p.s;
        else out.push(p.s);
        prevMatch = p.m;
      }
      break;
    }
    case 'MergedWithNext': {
      let pending = '';
      for (const p of parts) {
        if (p.m) {
          if (pending) out.push(pending);
          pending = p.s;
        } else {
          out.push(pending + p.s);
          pending = '';
        }
      }
      if (pending) out.push(pending);
      break;
    }
  }
  return out.filter((s) => s.length > 0);
}
