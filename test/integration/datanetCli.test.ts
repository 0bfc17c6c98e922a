// The datanet commands of the built CLI (`npm run build:node` first) as a user runs them: real
// processes, a real SQLite workspace under a temp STUDIO_HOME, a real detached Anvil for publish
// and on-chain proof checks, the native engine for train --datanet. Tests run in order.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { isPidAlive, readDevnetFile } from '../../main/chain/devnet/devnetFile';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';

const bin = path.resolve('bin/studio.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-datanet-cli-'));
const home = path.join(root, 'home');
const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';

function studio(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}
const ok = (...args: string[]) => {
  const r = studio(...args, '--json');
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.json();
};
const file = (name: string, content: string | Buffer) => {
  const p = path.join(root, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
};
const LONG = Array.from({ length: 6 }, (_, i) => `Chronicle ${i}: the harbour council met in the chapel hall and counted the boats, the nets and the stores of grain.`).join(' ');
const sentence = (i: number) => `Record ${i} tells how the harbour town rebuilt its ${['mill', 'bridge', 'school', 'market', 'chapel'][i % 5]} after the storm of year ${1900 + i}.`;

afterAll(() => {
  const rec = readDevnetFile(path.join(home, 'workspaces', 'demo', 'chain'));
  if (rec && isPidAlive(rec.pid)) process.kill(rec.pid, 'SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

// Each step spawns several CLI processes; on a loaded 2-core machine a step can take minutes.
describe('studio datanet commands', { timeout: 300_000 }, () => {
  it('is built', () => {
    expect(fs.existsSync('dist/node/cli.mjs'), 'run `npm run build:node` before the tests').toBe(true);
  });

  it('creates, lists and shows datanets; bad names and unknown datanets fail clearly', () => {
    expect(ok('datanet', 'create', 'harbour', '--domain', 'local history')).toMatchObject({ name: 'harbour', schema: 'text', domain: 'local history', records: 0 });
    expect(ok('datanet', 'create', 'qa', '--schema', 'instruction')).toMatchObject({ name: 'qa', schema: 'instruction' });
    expect(ok('datanet', 'list').map((d: { name: string }) => d.name)).toEqual(['harbour', 'qa']);
    expect(ok('datanet', 'show', 'harbour')).toMatchObject({ name: 'harbour', stats: { records: 0 }, versionList: [] });
    const dup = studio('datanet', 'create', 'harbour', '--json');
    expect(dup.code).toBe(1);
    expect(dup.json().error).toMatchObject({ code: 'CONFLICT' });
    expect(studio('datanet', 'create', 'Bad Name', '--json').json().error.message).toMatch(/datanet name/);
    expect(studio('datanet', 'create', 'x', '--schema', 'poems', '--json').json().error.message).toMatch(/schema/);
    const missing = studio('datanet', 'show', 'nope', '--json');
    expect(missing.code).toBe(1);
    expect(missing.json().error.message).toMatch(/No datanet named nope \(there are: harbour, qa\)/);
  });

  it('imports JSONL: good rows land, every bad row is reported by line and reason', () => {
    const lines = [
      JSON.stringify({ id: 'r1', text: sentence(1), who: ALICE, source: 'archive' }),
      '{"id": "r2", "text": "unterminated',
      JSON.stringify({ id: 'r3', text: sentence(3), who: BOB }),
      JSON.stringify({ id: 'r3', text: 'the same id twice', who: BOB }),
      JSON.stringify({ id: 'r4', text: sentence(1).toUpperCase() + '  ', who: BOB }),
      JSON.stringify({ id: 'r5', text: 'no address', who: 'not-an-address' }),
      JSON.stringify({ id: 'r6', text: 'wrong checksum', who: ALICE.replace('C51812dc', 'c51812dc') }),
      JSON.stringify({ id: 'r7', body: 'no text field', who: ALICE }),
      '[1, 2, 3]',
      JSON.stringify({ id: 'r8', text: 'Mail me at clerk@harbour.example or pay GB82 WEST 1234 5698 7654 32.', who: ALICE }),
      JSON.stringify({ id: 'r9', text: sentence(1).replace('storm', 'great storm'), who: BOB }),
      // Near duplicates: a long text and a copy with one word changed (Jaccard ≈ 0.9).
      JSON.stringify({ id: 'r12', text: LONG, who: ALICE }),
      JSON.stringify({ id: 'r13', text: LONG.replace('chapel', 'church'), who: BOB }),
    ];
    const bytes = Buffer.concat([
      Buffer.from(lines.join('\n') + '\n'),
      Buffer.from('{"id":"r10","text":"bad \xff\xfe bytes","who":"x"}\n', 'latin1'),
      Buffer.from(`{"id":"r11","text":"nul\0byte","who":"${ALICE}"}\n`),
    ]);
    const r = ok('datanet', 'import', 'harbour', '--file', file('harbour.jsonl', bytes), '--contributor-field', 'who');
    expect(r.imported).toBe(7);
    expect(r.rejected).toEqual([
      { line: 2, reason: expect.stringMatching(/^malformed JSON/) },
      { line: 4, reason: 'duplicate source id "r3" (already in the datanet or earlier in this file)' },
      { line: 6, reason: expect.stringMatching(/"not-an-address" is not an address/) },
      { line: 7, reason: expect.stringMatching(/EIP-55 checksum/) },
      { line: 8, reason: 'missing field "text"' },
      { line: 9, reason: 'not a JSON object' },
      { line: 14, reason: 'invalid UTF-8' },
      { line: 15, reason: 'NUL byte in the line' },
    ]);
    const report = JSON.parse(fs.readFileSync(r.report, 'utf8'));
    expect(report).toMatchObject({ datanet: 'harbour', rows: 15, imported: 7, rejectedCount: 8, rejected: r.rejected });
    // Importing the same file again adds nothing: every good row's id is taken.
    const again = ok('datanet', 'import', 'harbour', '--file', path.join(root, 'harbour.jsonl'), '--contributor-field', 'who');
    expect(again.imported).toBe(0);
    expect(again.rejected.filter((x: { reason: string }) => x.reason.startsWith('duplicate source id'))).toHaveLength(8);
  });

  it('imports CSV, TSV, text folders and Parquet shard folders; empty files and broken row groups are reported', () => {
    const csv = ['id,text,extra', `c1,"${sentence(11)}",a`, `c2,"${sentence(12)}"`, `c3,"${sentence(13)}",b,surplus`, `c4,"${sentence(14)}",d`].join('\n');
    const c = ok('datanet', 'import', 'harbour', '--file', file('more.csv', csv), '--contributor', ALICE);
    expect(c.imported).toBe(2);
    expect(c.rejected).toEqual([
      { line: 3, reason: 'expected 3 columns (id, text, extra), found 2' },
      { line: 4, reason: 'expected 3 columns (id, text, extra), found 4' },
    ]);
    const t = ok('datanet', 'import', 'harbour', '--file', file('more.tsv', `key\tbody\nt1\t${sentence(21)}\nt2\t${sentence(22)}\n`), '--format', 'tsv', '--id-field', 'key', '--text-field', 'body', '--contributor', BOB.toLowerCase());
    expect(t).toMatchObject({ imported: 2, rejected: [] });
    expect(ok('datanet', 'import', 'harbour', '--file', file('empty.jsonl', ''), '--contributor', ALICE)).toMatchObject({ imported: 0, rejected: [] });
    const badAddress = studio('datanet', 'import', 'harbour', '--file', path.join(root, 'more.tsv'), '--format', 'tsv', '--contributor', '0x1234', '--json');
    expect(badAddress.code).toBe(1);
    expect(badAddress.json().error.message).toMatch(/Contributor: contributor "0x1234" is not an address/);

    file('notes/a.md', `# Harbour\n\n${sentence(31)}\n\n${sentence(32)}\n`);
    file('notes/sub/b.txt', `${sentence(33)}\n`);
    const text = ok('datanet', 'import', 'harbour', '--file', path.join(root, 'notes'), '--format', 'text', '--split', 'paragraph', '--contributor', ALICE);
    expect(text).toMatchObject({ imported: 4, rejected: [] });

    // A Hugging Face style dataset folder: data/*.parquet shards, the second with a broken row group.
    const shard = (name: string, from: number, n: number) => {
      const p = path.join(root, 'hf', 'data', name);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      const ids = Array.from({ length: n }, (_, i) => `p${from + i}`);
      parquetWriteFile({
        filename: p,
        columnData: [
          { name: 'id', data: ids, type: 'STRING' },
          { name: 'text', data: ids.map((_, i) => sentence(100 + from + i)), type: 'STRING' },
          { name: 'contributor', data: ids.map((_, i) => ((from + i) % 2 ? ALICE : BOB)), type: 'STRING' },
        ],
        rowGroupSize: 4,
        codec: 'UNCOMPRESSED',
      });
      return p;
    };
    shard('train-00000-of-00002.parquet', 0, 4);
    const second = shard('train-00001-of-00002.parquet', 4, 12);
    return (async () => {
      // Overwrite the text column chunk of row group 1 (rows 5-8 of the second shard) with junk.
      const meta = await parquetMetadataAsync(await asyncBufferFromFile(second));
      const chunk = meta.row_groups[1]!.columns[1]!.meta_data!;
      const fd = fs.openSync(second, 'r+');
      fs.writeSync(fd, Buffer.alloc(Number(chunk.total_compressed_size), 0xff), 0, Number(chunk.total_compressed_size), Number(chunk.data_page_offset));
      fs.closeSync(fd);
      const hf = ok('datanet', 'import', 'harbour', '--file', path.join(root, 'hf'), '--contributor-field', 'contributor');
      expect(hf.imported).toBe(12);
      expect(hf.rejected).toEqual([{ line: 5, file: 'data/train-00001-of-00002.parquet', rowGroup: 1, row: 0, reason: expect.stringMatching(/^row group 1 \(rows 5-8\) cannot be read/) }]);
    })();
  });

  it('stats count states and signals; review acts in bulk by filter, keeps excluded records, and undoes', () => {
    const s = ok('datanet', 'stats', 'harbour');
    expect(s).toMatchObject({ records: 27, accepted: 0, pending: 27, rejected: 0, excluded: 0, exactDuplicates: 1, nearDuplicates: 2, pii: 1, contributors: 2 });
    expect(ok('datanet', 'show', 'harbour').stats.nearDuplicateClusters).toBe(2);

    expect(ok('datanet', 'review', 'harbour', '--filter', 'duplicate', '--action', 'exclude', '--reason', 'exact copy')).toMatchObject({ changed: 1 });
    expect(ok('datanet', 'review', 'harbour', '--filter', 'pii', '--action', 'reject', '--reason', 'contains personal data')).toMatchObject({ changed: 1 });
    expect(ok('datanet', 'review', 'harbour', '--filter', 'search:1931', '--action', 'exclude')).toMatchObject({ changed: 1 });
    // accept all leaves the excluded and rejected ones as they are.
    expect(ok('datanet', 'review', 'harbour', '--filter', 'all', '--action', 'accept')).toMatchObject({ changed: 24 });
    expect(ok('datanet', 'stats', 'harbour')).toMatchObject({ accepted: 24, rejected: 1, excluded: 2 });
    expect(ok('datanet', 'review', 'harbour', '--filter', 'status:excluded', '--action', 'undo')).toMatchObject({ changed: 2 });
    expect(ok('datanet', 'stats', 'harbour')).toMatchObject({ accepted: 24, pending: 2, excluded: 0 });
    expect(ok('datanet', 'review', 'harbour', '--filter', BOB, '--action', 'exclude', '--reason', 'withdrawn')).toMatchObject({ changed: expect.any(Number) });
    expect(ok('datanet', 'review', 'harbour', '--filter', BOB, '--action', 'undo').changed).toBeGreaterThan(0);
    expect(ok('datanet', 'review', 'harbour', '--filter', 'status:pending', '--action', 'accept')).toMatchObject({ changed: 2 });

    const noReason = studio('datanet', 'review', 'harbour', '--filter', 'all', '--action', 'reject', '--json');
    expect(noReason.code).toBe(1);
    expect(noReason.json().error.message).toMatch(/needs a reason/);
    expect(studio('datanet', 'review', 'harbour', '--filter', 'spam', '--action', 'accept', '--json').json().error.message).toMatch(/Unknown filter "spam"/);
    expect(studio('datanet', 'review', 'harbour', '--filter', 'all', '--action', 'burn', '--json').code).toBe(2);
  });

  it('versions, diffs, exports and proves records', async () => {
    const v1 = ok('datanet', 'version', 'harbour');
    expect(v1).toMatchObject({ version: 1, records: 26, merkleRoot: expect.stringMatching(/^0x[0-9a-f]{64}$/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    ok('datanet', 'review', 'harbour', '--filter', 'search:mill', '--action', 'reject', '--reason', 'off topic');
    const v2 = ok('datanet', 'version', 'harbour');
    expect(v2.version).toBe(2);
    expect(v2.merkleRoot).not.toBe(v1.merkleRoot);
    const diff = ok('datanet', 'diff', 'harbour', '1', '2');
    expect(diff).toMatchObject({ from: 1, to: 2, added: [], changed: [] });
    expect(diff.removed.length).toBe(v1.records - v2.records);

    const jsonl = ok('datanet', 'export', 'harbour@1', '--format', 'jsonl', '--out', path.join(root, 'out', 'v1.jsonl'));
    expect(jsonl).toMatchObject({ version: 1, records: 26, sha256: v1.sha256 });
    const rows = fs.readFileSync(jsonl.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(26);
    expect(rows[0]).toMatchObject({ id: 'r1', contributor: ALICE, content: { text: sentence(1) } });
    const pq = ok('datanet', 'export', 'harbour', '--format', 'parquet', '--out', path.join(root, 'out', 'latest.parquet'));
    expect(pq.version).toBe(2);
    const back = await parquetReadObjects({ file: await asyncBufferFromFile(pq.path) });
    expect(back).toHaveLength(v2.records);
    expect(back[0]).toMatchObject({ id: 'r1', contributor: ALICE, content: { text: sentence(1) } });

    const proof = ok('datanet', 'proof', 'harbour@1', 'r3');
    expect(proof).toMatchObject({ version: 1, merkleRoot: v1.merkleRoot, sourceId: 'r3', contributor: BOB });
    expect(studio('datanet', 'proof', 'harbour@1', 'nope', '--json').json().error.message).toMatch(/Record nope is not in version 1/);
    expect(studio('datanet', 'proof', 'harbour@7', 'r3', '--json').json().error.message).toMatch(/no version 7/);
  });

  it('publishes a version on the devnet, and DatanetRegistry verifies the CLI proof on chain', () => {
    expect(studio('devnet', 'start', '--json').code).toBe(0);
    const pub = ok('datanet', 'publish', 'harbour@1');
    expect(pub).toMatchObject({ version: 1, onchainDatanetId: '1', publication: { kind: 'datanet.version', status: 'confirmed', published: true } });
    const v1 = ok('datanet', 'show', 'harbour').versionList[0];
    const onchain = ok('chain', 'call', 'DatanetRegistry', 'getVersion', '1', String(pub.publication.result));
    expect(onchain.result).toMatchObject({ merkleRoot: v1.merkleRoot, snapshotSha256: `0x${v1.sha256}`, recordCount: '26' });
    const proof = ok('datanet', 'proof', 'harbour@1', 'r3');
    const verify = (contributor: string, hash: string) =>
      ok('chain', 'call', 'DatanetRegistry', 'verifyRecord', '1', String(pub.publication.result), contributor, hash, JSON.stringify(proof.proof)).result;
    expect(verify(proof.contributor, proof.recordHash)).toBe(true);
    // The same proof for another contributor or another record fails: the leaf binds both.
    expect(verify(ALICE, proof.recordHash)).toBe(false);
    expect(verify(proof.contributor, `0x${'11'.repeat(32)}`)).toBe(false);
    // A second version reuses the on-chain datanet.
    expect(ok('datanet', 'publish', 'harbour')).toMatchObject({ version: 2, onchainDatanetId: '1', publication: { status: 'confirmed' } });

    // A contributor's import as a staked submission, then slashed by the curator.
    const spam = ok('datanet', 'import', 'harbour', '--file', file('spam.jsonl', [1, 2, 3].map((i) => JSON.stringify({ id: `s${i}`, text: `BUY NOW cheap offer number ${i} click here` })).join('\n')), '--contributor', ALICE);
    const [sub] = ok('datanet', 'submit', 'harbour', '--import', String(spam.importId));
    expect(sub).toMatchObject({ contributor: ALICE, records: 3, status: 'pending', stake: '10000000000000000', onchainSubmissionId: expect.any(String) });
    const onchainSub = () => ok('chain', 'call', 'DatanetRegistry', 'getSubmission', sub.onchainSubmissionId).result;
    expect(onchainSub()).toMatchObject({ contributor: ALICE, recordBatchHash: sub.batchRoot, status: 1 });
    expect(ok('datanet', 'decide', 'harbour', String(sub.id), '--decision', 'slash')).toMatchObject({ status: 'slashed' });
    expect(onchainSub()).toMatchObject({ status: 4 });
    const logs = ok('chain', 'logs', '--contract', 'DatanetRegistry');
    expect(logs.map((l: { eventName: string }) => l.eventName)).toContain('SubmissionSlashed');
    expect(ok('datanet', 'review', 'harbour', '--filter', `import:${spam.importId}`, '--action', 'accept').changed).toBe(0);
    expect(ok('datanet', 'show', 'harbour').submissions).toMatchObject([{ id: sub.id, status: 'slashed' }]);
    const again = studio('datanet', 'decide', 'harbour', String(sub.id), '--decision', 'accept', '--json');
    expect(again.json().error.message).toMatch(/is slashed, not pending/);
    expect(studio('devnet', 'stop', '--json').code).toBe(0);
  });

  it('train --datanet trains on a version and records it in the run', () => {
    const csv = ['id,prompt,response', ...Array.from({ length: 6 }, (_, i) => `q${i},"What did the town rebuild in ${1900 + i}?","It rebuilt the ${['mill', 'bridge', 'school'][i % 3]}."`)].join('\n');
    expect(ok('datanet', 'import', 'qa', '--file', file('qa.csv', csv), '--contributor', ALICE).imported).toBe(6);
    const noVersion = studio('train', '--model', root, '--datanet', 'qa', '--out', path.join(root, 'never'), '--steps', '1', '--json');
    expect(noVersion.json().error.message).toMatch(/Datanet qa has no version yet/);
    ok('datanet', 'review', 'qa', '--filter', 'all', '--action', 'accept');
    const v = ok('datanet', 'version', 'qa');
    const model = path.join(root, 'gpt2');
    buildTestModel(model, { family: 'gpt2', seed: 3 });
    const out = path.join(root, 'qa-adapter');
    const run = ok('train', '--model', model, '--datanet', 'qa@1', '--out', out, '--steps', '2', '--batch', '2', '--seq', '16', '--rank', '2');
    expect(run.steps).toBe(2);
    const runJson = JSON.parse(fs.readFileSync(path.join(run.runDir, 'run.json'), 'utf8'));
    expect(runJson.config.datanet).toEqual({ name: 'qa', version: 1, merkleRoot: v.merkleRoot, records: 6 });
    // The registered adapter's lineage names the version, so attribution finds its datanet.
    expect(ok('adapters', 'show', 'qa-adapter').datanet).toBe('qa@1');
    const data = fs.readFileSync(runJson.config.data, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(data[0]).toEqual({ prompt: 'What did the town rebuild in 1900?', response: 'It rebuilt the mill.' });
  });
});
