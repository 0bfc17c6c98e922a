import type { PipelineError } from './factoryTypes';
import { type PipelineIssue, type PipelinePath, locateIssue, parsePipeline } from './pipelineYaml';

/** A node's field path ('targets.1') as a path into the file (['lora', 'targets', 1]). */
export function errorPath(e: PipelineError): PipelinePath {
  const field = e.field === '' ? [] : e.field.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  return e.node === 'pipeline' ? field : [e.node, ...field];
}

/**
 * Everything Monaco marks in the text: YAML syntax errors found here as you type, and the core's
 * errors placed on the field they name (or on the line the core gave, for the file as a whole).
 */
export function pipelineIssues(text: string, errors: readonly PipelineError[]): PipelineIssue[] {
  const { syntaxErrors } = parsePipeline(text);
  if (syntaxErrors.length > 0) return syntaxErrors;
  // A file-wide error with no place (the core could not be reached) is shown above the editor only.
  return errors.filter((e) => e.node !== 'pipeline' || e.field !== '' || e.line !== undefined).map((e) => {
    const path = errorPath(e);
    const message = e.node === 'pipeline' ? e.message : `${e.node}${e.field ? `.${e.field}` : ''}: ${e.message}`;
    if (path.length === 0 && e.line !== undefined) {
      const lineText = text.split('\n')[e.line - 1] ?? '';
      return { path, message, line: e.line, column: 1, endLine: e.line, endColumn: Math.max(2, lineText.length + 1) };
    }
    return locateIssue(text, path, message);
  });
}
