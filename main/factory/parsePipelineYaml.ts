// A pipeline file's text -> the pipeline, or every problem found, each on its node with the line
// the YAML writes it on. Pure (no files, no workspace): the renderer may run it as you type, the
// core's factory.validate runs it before the checks that need the model and the datanet.
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { PIPELINE_NODES, PipelineSchema, type Pipeline, type PipelineError, type PipelineNode } from '../api/pipelineSchemas';

export interface ParsedPipeline {
  pipeline: Pipeline | null;
  errors: PipelineError[];
  /** The line a path is written on (the closest written parent when it is not), for later checks. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/** {node, field} of a path into the pipeline: its first key names the node when it is one. */
export function errorAt(path: readonly PropertyKey[]): { node: PipelineNode | 'pipeline'; field: string } {
  const [head, ...rest] = path.map(String);
  if (head !== undefined && (PIPELINE_NODES as readonly string[]).includes(head)) return { node: head as PipelineNode, field: rest.join('.') };
  return { node: 'pipeline', field: path.map(String).join('.') };
}

export function parsePipelineYaml(text: string): ParsedPipeline {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const lineAtOffset = (offset: number) => counter.linePos(offset).line;

  const lineOf = (path: readonly (string | number)[]): number | undefined => {
    // The deepest written node on the path: a missing field is blamed on its node's line.
    for (let n = path.length; n > 0; n--) {
      const parent = n > 1 ? doc.getIn(path.slice(0, n - 1), true) : doc.contents;
      if (!isMap(parent)) continue;
      const key = path[n - 1];
      const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      const range = (pair?.key as YamlNode | undefined)?.range;
      if (range) return lineAtOffset(range[0]);
    }
    const root = (doc.contents as YamlNode | null)?.range;
    return root ? lineAtOffset(root[0]) : undefined;
  };

  if (doc.errors.length > 0) {
    return {
      pipeline: null,
      errors: doc.errors.map((e) => ({ node: 'pipeline', field: '', message: `YAML: ${e.message.split('\n')[0]}`, line: e.linePos?.[0]?.line ?? lineAtOffset(e.pos[0]) })),
      lineOf,
    };
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { pipeline: null, errors: [{ node: 'pipeline', field: '', message: 'a pipeline file is a YAML mapping (pipeline: 1, datanet: ..., train: ...)', line: 1 }], lineOf };
  }
  const parsed = PipelineSchema.safeParse(value);
  if (parsed.success) return { pipeline: parsed.data, errors: [], lineOf };
  const errors: PipelineError[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (issue.code === 'unrecognized_keys') {
      // One error per unknown key, on its own line, named with its full path.
      for (const key of issue.keys) {
        const at = errorAt([...path, key]);
        errors.push({ ...at, message: `unknown field "${[...path, key].join('.')}"`, line: lineOf([...path, key]) });
      }
      continue;
    }
    errors.push({ ...errorAt(path), message: issue.message, line: lineOf(path) });
  }
  return { pipeline: null, errors, lineOf };
}
