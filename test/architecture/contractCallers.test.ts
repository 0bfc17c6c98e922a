import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { internalMethods, methods } from '../../main/api/contract';

/**
 * Every contract method has a caller in the workbench (renderer/src) or the CLI (main/cli), or is
 * listed in `internalMethods` with the reason it has none. A method nobody calls usually means a
 * view re-derives what the core already answers (a view walking blocks one by one while
 * chain.transactions exists), so the two drift apart.
 */
const callerRoots = ['renderer/src', 'main/cli'];

function sourceFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((rel) => /\.tsx?$/.test(rel) && !/\.test\.tsx?$/.test(rel))
    .map((rel) => path.join(dir, rel));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `api().call('m'`, `client.call('m'`, `callCore(core, 'm'`, `core.request('m'`. */
const callOf = (method: string) => new RegExp(`\\b(?:call|callCore|request)\\(\\s*(?:[\\w.()]+,\\s*)?['"]${escape(method)}['"]`);

describe('contract methods', () => {
  const sources = callerRoots.flatMap(sourceFiles).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));

  it('finds the callers it looks for', () => {
    // Guards the search itself: if the call style changed, every method would look uncalled.
    expect(sources.some((s) => callOf('chain.status').test(s.text))).toBe(true);
    expect(sources.some((s) => callOf('workspace.list').test(s.text))).toBe(true);
  });

  it.each(Object.keys(methods))('%s has a caller in renderer/src or main/cli, or is marked internal', (method) => {
    const callers = sources.filter((s) => callOf(method).test(s.text)).map((s) => s.file);
    const reason = internalMethods[method as keyof typeof methods];
    if (reason !== undefined) {
      expect(reason.length, `the reason ${method} is internal`).toBeGreaterThan(20);
      // A method marked internal that gained a caller should lose the mark.
      expect(callers, `${method} is marked internal but is called`).toEqual([]);
    } else {
      expect(callers, `${method}: no caller; call it from the renderer or CLI, or add it to internalMethods in main/api/contract.ts with the reason`).not.toEqual([]);
    }
  });
});
