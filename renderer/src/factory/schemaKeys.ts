// Completion and hover for the pipeline YAML from the core's JSON Schema (factory.schema): which
// keys a section takes, with their description, type and default. The YAML is read by
// indentation only, so it answers on half-typed text that does not parse yet.

export interface SchemaKey {
  key: string;
  description: string;
  /** 'integer 1..4096 · default 8'. */
  detail: string;
}

type JsonSchema = { properties?: Record<string, JsonSchema>; description?: string; type?: string | string[]; enum?: unknown[]; default?: unknown; minimum?: number; maximum?: number };

/** The section path a line sits in: the keys of the less-indented lines above it. */
export function sectionAt(lines: readonly string[], lineIndex: number): string[] {
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const current = lines[lineIndex] ?? '';
  let indent = current.trim() === '' ? current.length : indentOf(current);
  const path: string[] = [];
  for (let i = lineIndex - 1; i >= 0 && indent > 0; i--) {
    const l = lines[i]!;
    if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
    const li = indentOf(l);
    const m = /^\s*([A-Za-z_][\w-]*)\s*:\s*(#.*)?$/.exec(l);
    if (li < indent && m) {
      path.unshift(m[1]!);
      indent = li;
    } else if (li < indent) break;
  }
  return path;
}

function describe(s: JsonSchema): string {
  const type = s.enum ? s.enum.map((v) => JSON.stringify(v)).join(' | ') : Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? '');
  const range = s.minimum !== undefined || s.maximum !== undefined ? ` ${s.minimum ?? ''}..${s.maximum !== undefined && s.maximum < 1e15 ? s.maximum : ''}` : '';
  const def = s.default !== undefined && typeof s.default !== 'object' ? ` · default ${JSON.stringify(s.default)}` : '';
  return `${type}${range}${def}`;
}

/** The keys the schema allows in `section` (the root for []). */
export function keysAt(schema: unknown, section: readonly string[]): SchemaKey[] {
  let s = schema as JsonSchema | undefined;
  for (const k of section) s = s?.properties?.[k];
  return Object.entries(s?.properties ?? {}).map(([key, p]) => ({ key, description: p.description ?? '', detail: describe(p) }));
}

/** The key written on a line and what the schema says of it. */
export function keyOnLine(schema: unknown, lines: readonly string[], lineIndex: number): SchemaKey | null {
  const m = /^\s*([A-Za-z_][\w-]*)\s*:/.exec(lines[lineIndex] ?? '');
  if (!m) return null;
  const section = sectionAt(lines, lineIndex);
  // sectionAt treats the line's own indent as the level it lives in.
  return keysAt(schema, section).find((k) => k.key === m[1]) ?? null;
}
