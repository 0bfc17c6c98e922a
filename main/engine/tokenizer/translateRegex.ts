// Tokenizer files carry regexes written for Oniguruma (the Rust tokenizers' engine). This turns
// the subset real tokenizers use into an equivalent JavaScript RegExp (flags 'gu'):
//   \s, \S   Oniguruma's Unicode White_Space (JS \s differs: it adds U+FEFF, lacks U+0085)
//   \d, \w   Unicode classes in Oniguruma, ASCII in JS
//   .        everything but \n (JS also excludes \r, U+2028, U+2029)
//   (?i:...) case-insensitive groups, which Node 20's V8 lacks: ASCII letters become [xX]
//   \A \z    start and end of input
// Anything else is copied as is (\p{..}, lookahead, quantifiers, alternation).
const WHITE_SPACE = '\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WORD = '\\p{L}\\p{M}\\p{Nd}\\p{Pc}';

const cache = new Map<string, RegExp>();

export function translateRegex(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return new RegExp(hit.source, hit.flags);
  const re = new RegExp(translateSource(pattern), 'gu');
  cache.set(pattern, re);
  return new RegExp(re.source, re.flags);
}

function translateSource(p: string): string {
  let out = '';
  let inClass = false;
  // Parenthesis depths at which a (?i: group opened; letters are folded while any is open.
  const caseless: number[] = [];
  let depth = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) throw new Error(`regex ends with a lone backslash: ${p}`);
      i++;
      if (n === 'p' || n === 'P') {
        const close = p.indexOf('}', i);
        if (p[i + 1] !== '{' || close < 0) throw new Error(`unsupported \\${n} form in ${p}`);
        out += p.slice(i - 1, close + 1);
        i = close;
      } else if (n === 's') out += inClass ? WHITE_SPACE : `[${WHITE_SPACE}]`;
      else if (n === 'S') {
        if (inClass) throw new Error(`\\S inside a character class is not supported: ${p}`);
        out += `[^${WHITE_SPACE}]`;
      } else if (n === 'd') out += inClass ? '\\p{Nd}' : '\\p{Nd}';
      else if (n === 'w') out += inClass ? WORD : `[${WORD}]`;
      else if (n === 'A') out += '^';
      else if (n === 'z') out += '$';
      else if (/[a-zA-Z0-9]/.test(n) && !'tnrfvbBDWxu0'.includes(n)) throw new Error(`unsupported escape \\${n} in ${p}`);
      else out += `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      if (caseless.length > 0 && /[a-zA-Z]/.test(c)) {
        if (p[i + 1] === '-' || p[i - 1] === '-') throw new Error(`ranges inside (?i:...) are not supported: ${p}`);
        out += c.toLowerCase() + c.toUpperCase();
      } else out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') {
        out += '^';
        i++;
      }
      // A ']' first in a class is a literal in Oniguruma.
      if (p[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(') {
      depth++;
      if (p.startsWith('(?i:', i)) {
        caseless.push(depth);
        out += '(?:';
        i += 3;
        continue;
      }
      out += c;
      continue;
    }
    if (c === ')') {
      if (caseless[caseless.length - 1] === depth) caseless.pop();
      depth--;
      out += c;
      continue;
    }
    if (c === '.') {
      out += '[^\\n]';
      continue;
    }
    if (caseless.length > 0 && /[a-zA-Z]/.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
      continue;
    }
    out += c;
  }
  return out;
}
