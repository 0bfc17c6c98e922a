/** 1-based, as Monaco counts. */
export interface TextPosition {
  line: number;
  column: number;
}

export function offsetToPosition(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class Stop extends Error {}

/**
 * Where `path` (keys and array indices) is written in a JSON text: the position of its key,
 * or of the deepest ancestor that exists (a schema error about an unknown or missing key
 * names the object holding it). Tolerates broken JSON up to the point it breaks.
 */
export function locateJsonPath(text: string, path: readonly (string | number)[]): TextPosition | null {
  let pos = 0;
  let best: { depth: number; offset: number } | null = null;

  const ws = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const fail = (): never => {
    throw new Stop();
  };
  const readString = (): string => {
    if (text[pos] !== '"') fail();
    let out = '';
    pos++;
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\') {
        out += text[pos + 1] ?? '';
        pos += 2;
      } else out += text[pos++];
    }
    if (pos >= text.length) fail();
    pos++;
    return out;
  };
  const matches = (depth: number, key: string | number) => depth < path.length && String(path[depth]) === String(key);

  const value = (depth: number, onPath: boolean): void => {
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      ws();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        ws();
        const keyOffset = pos;
        const key = readString();
        const hit = onPath && matches(depth, key);
        if (hit && (!best || best.depth < depth + 1)) best = { depth: depth + 1, offset: keyOffset };
        if (hit && depth + 1 === path.length) throw new Stop();
        ws();
        if (text[pos] !== ':') fail();
        pos++;
        value(depth + 1, hit);
        ws();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') {
          pos++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      pos++;
      ws();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (let index = 0; ; index++) {
        ws();
        const hit = onPath && matches(depth, index);
        if (hit && (!best || best.depth < depth + 1)) best = { depth: depth + 1, offset: pos };
        if (hit && depth + 1 === path.length) throw new Stop();
        value(depth + 1, hit);
        ws();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') {
          pos++;
          return;
        } else fail();
      }
    } else if (c === '"') {
      readString();
    } else {
      const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(pos, pos + 64));
      if (!m) fail();
      pos += m![0].length;
    }
  };

  try {
    value(0, true);
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
  }
  const found = best as { depth: number; offset: number } | null;
  return found ? offsetToPosition(text, found.offset) : null;
}
