import { api } from '../api/client';
import type { Monaco } from '../monaco/setupMonaco';
import { keyOnLine, keysAt, sectionAt } from './schemaKeys';

/** Pipeline files' models: completion and hover apply to these only, not to other YAML. */
export const PIPELINE_URI_PREFIX = 'studio://factory/';

let registered = false;
let schema: Promise<unknown> | null = null;
const pipelineSchema = () => (schema ??= api().call('factory.schema', {}).then((r) => r.jsonSchema));

/**
 * Key completion and hover for pipeline files from the core's JSON Schema (factory.schema, read
 * once): the keys the section at the cursor takes, each with its type, default and description.
 */
export function registerPipelineLanguage(monaco: Monaco): void {
  if (registered) return;
  registered = true;
  const isPipeline = (uri: { toString(): string }) => uri.toString().startsWith(PIPELINE_URI_PREFIX);
  monaco.languages.registerCompletionItemProvider('yaml', {
    async provideCompletionItems(model, position) {
      if (!isPipeline(model.uri)) return { suggestions: [] };
      const lines = model.getLinesContent();
      const before = (lines[position.lineNumber - 1] ?? '').slice(0, position.column - 1);
      // Keys only: the cursor is in a key's place (indentation then a word, no colon yet).
      if (!/^\s*[\w-]*$/.test(before)) return { suggestions: [] };
      const probe = [...lines];
      probe[position.lineNumber - 1] = before;
      const section = sectionAt(probe, position.lineNumber - 1);
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const keys = keysAt(await pipelineSchema(), section);
      return {
        suggestions: keys.map((k) => ({
          label: k.key,
          kind: monaco.languages.CompletionItemKind.Property,
          detail: k.detail,
          documentation: k.description,
          insertText: `${k.key}: `,
          range,
        })),
      };
    },
  });
  monaco.languages.registerHoverProvider('yaml', {
    async provideHover(model, position) {
      if (!isPipeline(model.uri)) return null;
      const k = keyOnLine(await pipelineSchema(), model.getLinesContent(), position.lineNumber - 1);
      if (!k) return null;
      return { contents: [{ value: `**${k.key}** \`${k.detail}\`` }, ...(k.description ? [{ value: k.description }] : [])] };
    },
  });
}
