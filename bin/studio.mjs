#!/usr/bin/env node
// The `studio` command. Runs the built CLI; a fresh clone gets it from `npm install` (prepare).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/node/cli.mjs', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('studio: the CLI is not built yet. Run "npm run build" in the project folder.\n');
  process.exit(1);
}
await import(pathToFileURL(built).href);
