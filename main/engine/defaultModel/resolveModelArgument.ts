// `--model default` (and `studio model inspect default`): the model built by
// `npm run build:default-model` into resources/default-model/. Before it is loaded, every file its
// model card lists is checked against the sha256 there, so a missing or corrupt shipped file is
// named instead of loaded silently. Any other value is a model folder path. (A folder that is
// really called "default" is reached as ./default.) $STUDIO_DEFAULT_MODEL_DIR points `default` at
// another folder in the same layout (a model built elsewhere; the CLI tests).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultModelDir } from './defaultModelRecipe';
import { DEFAULT_MODEL_FILES } from './writeDefaultModelFolder';

export const DEFAULT_MODEL_ARGUMENT = 'default';

const BUILD_HINT = 'build it with `npm run build:default-model` (about an hour on 2 cores; it resumes where it stopped)';

/** The files the model card lists, with their sha256 (rows "| `file` | `sha256` |"). */
export function modelCardHashes(card: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of card.matchAll(/^\| `([^`]+)` \| `([0-9a-f]{64})` \|$/gm)) out.set(m[1]!, m[2]!);
  return out;
}

/** The default model's folder, once every file its card lists is there with the listed sha256. */
export function checkedDefaultModelDir(dir = defaultModelDir()): string {
  const cardPath = path.join(dir, 'README.md');
  if (!existsSync(cardPath)) throw new Error(`the default model is not built yet: ${cardPath} (its model card) is missing; ${BUILD_HINT}`);
  const hashes = modelCardHashes(readFileSync(cardPath, 'utf8'));
  for (const f of DEFAULT_MODEL_FILES) {
    const want = hashes.get(f);
    if (!want) throw new Error(`${cardPath}: the model card lists no sha256 for ${f}; ${BUILD_HINT}`);
    const file = path.join(dir, f);
    if (!existsSync(file)) throw new Error(`the default model is incomplete: ${file} is missing; ${BUILD_HINT}`);
    const got = createHash('sha256').update(readFileSync(file)).digest('hex');
    if (got !== want) throw new Error(`the default model's ${file} is corrupt: its sha256 is ${got}, the model card lists ${want}; ${BUILD_HINT}`);
  }
  return dir;
}

/** Where `default` points: $STUDIO_DEFAULT_MODEL_DIR, else resources/default-model. */
export function defaultModelFolder(): string {
  const fromEnv = process.env['STUDIO_DEFAULT_MODEL_DIR'];
  return fromEnv ? path.resolve(fromEnv) : defaultModelDir();
}

/** A --model value as a folder: `default` is the checked default model, anything else a path. */
export function resolveModelArgument(arg: string): string {
  if (arg !== DEFAULT_MODEL_ARGUMENT) return path.resolve(arg);
  return checkedDefaultModelDir(defaultModelFolder());
}

/** Whether the default model has been built (its model card exists; the files are checked on load). */
export function defaultModelIsBuilt(): boolean {
  return existsSync(path.join(defaultModelFolder(), 'README.md'));
}
