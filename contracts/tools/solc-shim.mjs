#!/usr/bin/env node
// A stand-in for the native `solc` binary so that forge can compile offline.
// forge downloads solc releases, which this project's machines cannot reach; it accepts any
// executable through `--use <exe>` as long as it answers `--version` the way solc does and
// compiles `--standard-json` input from stdin. The npm `solc` package (solc-js) does the work.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const solc = require('solc');
const args = process.argv.slice(2);

if (args.includes('--version')) {
  // forge parses the "Version: X.Y.Z+commit.HASH" line; drop solc-js's platform suffix.
  const version = String(solc.version()).replace(/\.Emscripten.*$/, '');
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${version}\n`);
  process.exit(0);
}

if (!args.includes('--standard-json')) {
  process.stderr.write('solc-shim: only --version and --standard-json are supported\n');
  process.exit(2);
}

// forge passes --allow-paths / --base-path / --include-path; honour them for imports that
// were not inlined into the standard JSON sources.
const roots = [process.cwd()];
for (let i = 0; i < args.length; i++) {
  const flag = args[i];
  const value = args[i + 1];
  if ((flag === '--base-path' || flag === '--include-path') && value) roots.push(path.resolve(value));
  if (flag === '--allow-paths' && value) roots.push(...value.split(',').map((p) => path.resolve(p)));
}

function findImports(importPath) {
  for (const root of roots) {
    try {
      return { contents: readFileSync(path.resolve(root, importPath), 'utf8') };
    } catch {
      // try the next root
    }
  }
  return { error: `File not found: ${importPath}` };
}

const input = readFileSync(0, 'utf8');
process.stdout.write(solc.compile(input, { import: findImports }));
