// The demo datanet as a user meets it: built by the first `studio serve` on a fresh home (a
// 'datanet.demo' job), and by `studio datanet demo`, from the real State of the Union package.
// Real processes (the built CLI: `npm run build:node` first), real SQLite workspaces. The root is
// recomputed here from the package's text and the demo contributor keys, independently of the
// import path, so a record tied to the wrong president or a changed hash fails.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { keccak256, stringToBytes } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { demoContributors } from '../../main/chain/keys/demoContributorKeys';
import { SOTU_PRESIDENTS } from '../../main/datanets/demo/sotuPresidents';
import { sotuPassages } from '../../main/datanets/demo/sotuPassages';
import { startServeProcess } from '../support/serveProcess';

const bin = path.resolve('bin/studio.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-datanet-demo-'));
// Unset for these processes: the demo is what is under test.
const env = (home: string) => {
  const e: NodeJS.ProcessEnv = { ...process.env, STUDIO_HOME: home };
  delete e.STUDIO_DEMO_CONTENT;
  return e;
};

function studio(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args, '--json'], { env: env(home), encoding: 'utf8', timeout: 240_000 });
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** What the demo must hold: every passage, under its president's demo contributor address. */
function expected() {
  const passages = sotuPassages();
  const leaves = passages.map((p) => [p.contributor, keccak256(stringToBytes(JSON.stringify({ text: p.text })))]);
  return { records: passages.length, root: StandardMerkleTree.of(leaves, ['address', 'bytes32']).root };
}

describe('the demo datanet', { timeout: 600_000 }, () => {
  const want = expected();

  it('is built', () => {
    expect(fs.existsSync('dist/node/cli.mjs'), 'run `npm run build:node` before the tests').toBe(true);
    // Enough to be a demo, small enough for a first start.
    expect(want.records).toBeGreaterThan(2000);
    expect(want.records).toBeLessThan(5000);
  });

  it('`studio datanet demo` builds it once: one contributor per president, accepted, version 1 with its root', () => {
    const home = path.join(root, 'cli');
    const first = studio(home, 'datanet', 'demo');
    expect(first).toEqual({ datanet: 'state-of-the-union', created: true, records: want.records, contributors: SOTU_PRESIDENTS.length, version: 1, merkleRoot: want.root });
    const stats = studio(home, 'datanet', 'stats', 'state-of-the-union');
    expect(stats).toMatchObject({ records: want.records, accepted: want.records, pending: 0, contributors: SOTU_PRESIDENTS.length });
    // Attribution points back: a Kennedy passage's proof names Kennedy's demo contributor.
    const kennedy = SOTU_PRESIDENTS.find((p) => p.slug === 'john_f_kennedy')!;
    const proof = studio(home, 'datanet', 'proof', 'state-of-the-union@1', '1962-john_f_kennedy-001');
    expect(proof).toMatchObject({ version: 1, merkleRoot: want.root, contributor: demoContributors()[kennedy.contributorIndex]!.address });

    const again = studio(home, 'datanet', 'demo');
    expect(again).toEqual({ ...first, created: false });
    const list = studio(home, 'datanet', 'list');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'state-of-the-union', records: want.records, versions: 1 });
  });

  it('the first `studio serve` on a fresh home builds it as a job, then starts the fine-tune; a later start does not build it again', async () => {
    const home = path.join(root, 'serve');
    const serve = await startServeProcess(home, env(home));
    let list: { name: string; versions: number }[] = [];
    try {
      // Wait for the job (its commit lands in one transaction), then read beside the server.
      for (let i = 0; i < 240 && !list.some((d) => d.versions === 1); i++) {
        await new Promise((r) => setTimeout(r, 1000));
        list = studio(home, 'datanet', 'list');
      }
      expect(list, serve.output()).toMatchObject([{ name: 'state-of-the-union', records: want.records, versions: 1 }]);
      expect(studio(home, 'datanet', 'show', 'state-of-the-union').versionList).toMatchObject([{ version: 1, merkleRoot: want.root, records: want.records }]);
      // Then, the default model being built (it ships in resources/), the demo pipeline's fine-tune
      // starts on it as a Factory run.
      let runs: { kind: string }[] = [];
      for (let i = 0; i < 60 && runs.length === 0; i++) {
        runs = (studio(home, 'jobs', 'list') as { kind: string }[]).filter((j) => j.kind === 'factory.run');
        if (runs.length === 0) await new Promise((r) => setTimeout(r, 500));
      }
      expect(runs, serve.output()).toHaveLength(1);
    } finally {
      await serve.stop();
    }
    const again = await startServeProcess(home, env(home));
    try {
      const jobs = studio(home, 'jobs', 'list') as { kind: string; status: string }[];
      // Not built again. (The fine-tune the first start began goes on in a new run: the first
      // start's story, test/integration/firstStartStory.test.ts.)
      expect(jobs.filter((j) => j.kind === 'datanet.demo').map((j) => j.status)).toEqual(['succeeded']);
    } finally {
      await again.stop();
    }
  });
});
