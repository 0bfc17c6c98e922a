// The pipeline file is the one source of truth: the graph, the inspector and Monaco all read it
// from the YAML text and write back into that text. `yaml`'s Document keeps comments, key order
// and formatting, so an edit in the inspector changes one scalar and leaves the rest as typed.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';

export type PipelinePath = readonly (string | number)[];

/** A problem at a place in the file: a YAML syntax error, or an issue the core reported for a path. */
export interface PipelineIssue {
  path: PipelinePath;
  message: string;
  /** 1-based, for Monaco's markers. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ParsedPipeline {
  /** The plain value (null while the text does not parse to a mapping). */
  value: Record<string, unknown> | null;
  /** YAML syntax errors (the core's schema issues come separately, see locateIssue). */
  syntaxErrors: PipelineIssue[];
}

export function parsePipeline(text: string): ParsedPipeline {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const syntaxErrors = doc.errors.map((e) => {
    const start = lc.linePos(e.pos[0]);
    const end = lc.linePos(Math.max(e.pos[1], e.pos[0] + 1));
    return { path: [], message: e.message.split('\n')[0] ?? e.message, line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
  });
  if (syntaxErrors.length > 0) return { value: null, syntaxErrors };
  const value: unknown = doc.toJS();
  return { value: value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null, syntaxErrors };
}

/** The value at `path` in a parsed pipeline, or undefined. */
export function valueAt(value: unknown, path: PipelinePath): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/**
 * The text with `path` set to `value` (undefined deletes it), comments and layout kept. Text that
 * does not parse is returned unchanged: the inspector is read-only until Monaco's errors are fixed.
 */
export function setInPipeline(text: string, path: PipelinePath, value: unknown): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return text;
  if (value === undefined) doc.deleteIn(path);
  else doc.setIn(path, isPlainList(value) ? doc.createNode(value, { flow: true }) : value);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

// Short lists (targets, prompts) read best inline: [q, v].
const isPlainList = (v: unknown): v is unknown[] => Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null);

/**
 * Where an issue at `path` sits in the text: the deepest node the path reaches (a missing field
 * points at its parent's key, so the marker lands on the section it belongs to).
 */
export function locateIssue(text: string, path: PipelinePath, message: string): PipelineIssue {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const [from, to] = rangeOf(doc, path) ?? [0, Math.max(1, text.indexOf('\n'))];
  const start = lc.linePos(from);
  const end = lc.linePos(Math.max(to, from + 1));
  return { path, message, line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
}

function rangeOf(doc: Document, path: PipelinePath): [number, number] | null {
  let node: YamlNode | null = doc.contents as YamlNode | null;
  let keyRange: [number, number] | null = null;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      if (isScalar(pair.key) && pair.key.range) keyRange = [pair.key.range[0], pair.key.range[1]];
      node = (pair.value as YamlNode | null) ?? null;
      // A scalar value is the precise place; a section is best marked at its key.
      if (node && !isScalar(node)) continue;
    } else if (isSeq(node) && typeof key === 'number') {
      node = (node.items[key] as YamlNode | undefined) ?? null;
      keyRange = null;
    } else break;
  }
  if (node && isScalar(node) && node.range) return [node.range[0], node.range[1]];
  if (keyRange) return keyRange;
  if (node?.range) return [node.range[0], node.range[1]];
  return null;
}
