// Datanets through the core's API with a real workspace (SQLite file) and real job workers.
import fs from 'node:fs';
import path from 'node:path';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import type { Job } from '../../api/jobSchemas';
import { callCore } from '../../cli/callCore';
import { runJobToEnd } from '../../cli/runJobToEnd';
import { StudioCore } from '../../core/studioCore';

const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
let core: StudioCore | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

function open() {
  core = StudioCore.open({ home: tempDir(), mode: 'embedded' });
  return core;
}

const prose = (topic: string) =>
  `The ${topic} committee met on a Tuesday to review the budget, and after a long debate about the priorities of the coming year it agreed to fund the library, the park and the school repairs before anything else.`;

describe('datanets in the core', () => {
  it('imports JSONL keeping good rows, reporting bad ones by line, and computes signals', async () => {
    const c = open();
    await callCore(c, 'datanets.create', { name: 'notes' });
    const dir = tempDir();
    const file = path.join(dir, 'notes.jsonl');
    const lines = [
      JSON.stringify({ id: 'a', text: prose('river'), author: ALICE }),
      '{"id": "b", "text": ',
      JSON.stringify({ id: 'c', text: prose('river').toUpperCase(), author: BOB }),
      JSON.stringify({ id: 'd', text: 'Write to ada@example.org or call +44 20 7946 0958 about it.', author: BOB }),
      JSON.stringify({ id: 'a', text: 'same id again', author: ALICE }),
      JSON.stringify({ id: 'e', text: 'no address', author: ALICE.toLowerCase().replace('0x7', '0xZ') }),
      JSON.stringify({ id: 'f', text: 'bad checksum', author: ALICE.replace('C8', 'c8') }),
      JSON.stringify({ id: 'g', body: 'no text field', author: ALICE }),
      JSON.stringify({ id: 'h', text: prose('river').replace('Tuesday', 'Wednesday'), author: ALICE }),
      '',
      JSON.stringify({ id: 'i', text: 'Snow fell on the mountain valley all night, and by morning the roads were closed.', author: ALICE.toLowerCase() }),
    ];
    const bytes = Buffer.concat([Buffer.from(lines.join('\n') + '\n'), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('{"id":"j","text":"nul\u0000"}\n'.replace('\\u0000', '\0'))]);
    fs.writeFileSync(file, bytes);
    const job = await runJobToEnd(c, 'datanet.import', { datanet: 'notes', path: file, mapping: { contributorField: 'author' } }, () => {});
    const result = job.result as { imported: number; rejected: { line: number; reason: string }[]; report: string };
    expect(result.imported).toBe(5);
    expect(result.rejected.map((r) => r.line)).toEqual([2, 5, 6, 7, 8, 12, 13]);
    const reason = (line: number) => result.rejected.find((r) => r.line === line)!.reason;
    expect(reason(2)).toMatch(/malformed JSON/);
    expect(reason(5)).toMatch(/duplicate source id "a"/);
    expect(reason(6)).toMatch(/not an address/);
    expect(reason(7)).toMatch(/EIP-55/);
    expect(reason(8)).toMatch(/missing field "text"/);
    expect(reason(12)).toBe('invalid UTF-8');
    expect(reason(13)).toMatch(/NUL/);
    const report = JSON.parse(fs.readFileSync(result.report, 'utf8'));
    expect(report).toMatchObject({ datanet: 'notes', imported: 5, rejectedCount: 7 });

    const stats = await callCore(c, 'datanets.stats', { datanet: 'notes' });
    expect(stats).toMatchObject({ records: 5, pending: 5, accepted: 0, exactDuplicates: 1, nearDuplicates: 2, nearDuplicateClusters: 1, pii: 1, contributors: 2 });
    const dup = await callCore(c, 'datanets.records', { datanet: 'notes', filter: 'duplicate' });
    expect(dup.records.map((r) => r.sourceId)).toEqual(['c']);
    const pii = await callCore(c, 'datanets.records', { datanet: 'notes', filter: 'pii' });
    expect(pii.records[0]!.signals!.pii.map((m) => m.kind)).toEqual(['email', 'phone']);
    const found = await callCore(c, 'datanets.records', { datanet: 'notes', filter: 'search:mountain' });
    expect(found.records.map((r) => r.sourceId)).toEqual(['i']);
    expect(found.highlights[String(found.records[0]!.id)]).toContain('[mountain]');
    // The lowercase address is stored in its EIP-55 form.
    expect(found.records[0]!.contributor).toBe(ALICE);
    // Attribution names records by source id; its "open in the inspector" link filters by it.
    const bySource = await callCore(c, 'datanets.records', { datanet: 'notes', filter: 'source:i' });
    expect(bySource.records.map((r) => r.id)).toEqual([found.records[0]!.id]);
    await expect(callCore(c, 'datanets.records', { datanet: 'notes', filter: 'source:' })).rejects.toThrow(/source id/);
  });

  it('reviews in bulk without touching excluded records, undoes, and freezes a version whose proofs verify', async () => {
    const c = open();
    await callCore(c, 'datanets.create', { name: 'qa', schema: 'instruction' });
    const file = path.join(tempDir(), 'qa.csv');
    const rows = ['id,prompt,response,who'];
    for (let i = 0; i < 6; i++) rows.push(`q${i},"What is ${i} + ${i}?","It is ${i + i}, because adding ${i} to itself doubles it.",${i % 2 ? ALICE : BOB}`);
    rows.push('q6,"too few columns"');
    fs.writeFileSync(file, rows.join('\n') + '\n');
    const job = await runJobToEnd(c, 'datanet.import', { datanet: 'qa', path: file, mapping: { contributorField: 'who' } }, () => {});
    expect(job.result).toMatchObject({ imported: 6, rejected: [{ line: 8, reason: expect.stringMatching(/expected 4 columns/) }] });

    const excluded = await callCore(c, 'datanets.review', { datanet: 'qa', filter: BOB, action: 'exclude', reason: 'off-domain' });
    expect(excluded.changed).toBe(3);
    const accepted = await callCore(c, 'datanets.review', { datanet: 'qa', filter: 'all', action: 'accept' });
    expect(accepted.changed).toBe(3);
    expect(await callCore(c, 'datanets.stats', { datanet: 'qa' })).toMatchObject({ accepted: 3, excluded: 3 });
    await expect(callCore(c, 'datanets.review', { datanet: 'qa', filter: 'all', action: 'reject' })).rejects.toThrow(/needs a reason/);
    // Undoing one whole action restores the states it replaced.
    expect((await callCore(c, 'datanets.undoAction', { datanet: 'qa', actionId: accepted.actionId! })).changed).toBe(3);
    expect(await callCore(c, 'datanets.stats', { datanet: 'qa' })).toMatchObject({ pending: 3, excluded: 3 });
    // A filtered undo reverts each selected record's latest change not yet undone.
    expect((await callCore(c, 'datanets.review', { datanet: 'qa', filter: 'status:excluded', action: 'undo' })).changed).toBe(3);
    expect(await callCore(c, 'datanets.stats', { datanet: 'qa' })).toMatchObject({ pending: 6 });
    expect((await callCore(c, 'datanets.review', { datanet: 'qa', filter: 'all', action: 'undo' })).changed).toBe(0);
    await expect(callCore(c, 'datanets.undoAction', { datanet: 'qa', actionId: excluded.actionId! })).resolves.toEqual({ actionId: null, changed: 0 });
    const history = await callCore(c, 'datanets.reviewHistory', { datanet: 'qa' });
    expect(history.map((h) => [h.action, h.changed, h.undone])).toEqual([
      ['undo', 3, 0],
      ['undo', 3, 0],
      ['accept', 3, 3],
      ['exclude', 3, 3],
    ]);

    await callCore(c, 'datanets.review', { datanet: 'qa', filter: 'status:pending', action: 'accept' });
    const v1 = await callCore(c, 'datanets.createVersion', { datanet: 'qa' });
    expect(v1).toMatchObject({ version: 1, records: 6 });
    await callCore(c, 'datanets.review', { datanet: 'qa', filter: 'search:doubles', action: 'reject', reason: 'x' });
    expect((await callCore(c, 'datanets.review', { datanet: 'qa', filter: 'record:1', action: 'undo' })).changed).toBe(1);
    const v2 = await callCore(c, 'datanets.createVersion', { datanet: 'qa' });
    expect(v2).toMatchObject({ version: 2, records: 1 });
    expect(await callCore(c, 'datanets.diff', { datanet: 'qa', from: 1, to: 2 })).toEqual({ from: 1, to: 2, added: [], removed: ['q1', 'q2', 'q3', 'q4', 'q5'], changed: [] });

    const proof = await callCore(c, 'datanets.proof', { datanet: 'qa', version: 1, sourceId: 'q3' });
    expect(proof.merkleRoot).toBe(v1.merkleRoot);
    expect(StandardMerkleTree.verify(v1.merkleRoot, ['address', 'bytes32'], [proof.contributor, proof.recordHash], proof.proof)).toBe(true);
    const out = path.join(tempDir(), 'qa.jsonl');
    await callCore(c, 'datanets.export', { datanet: 'qa', version: 1, format: 'jsonl', out });
    const exported = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(exported).toHaveLength(6);
    expect(exported[3]).toMatchObject({ id: 'q3', contributor: ALICE, recordHash: proof.recordHash, content: { prompt: 'What is 3 + 3?' } });
  });

  it('a freeze that fails leaves no version, no version records and no recorded snapshot', async () => {
    const c = open();
    await callCore(c, 'datanets.create', { name: 'notes' });
    const file = path.join(tempDir(), 'notes.jsonl');
    fs.writeFileSync(file, ['a', 'b', 'c'].map((id) => JSON.stringify({ id, text: prose(id), author: ALICE })).join('\n') + '\n');
    await runJobToEnd(c, 'datanet.import', { datanet: 'notes', path: file, mapping: { contributorField: 'author' } }, () => {});
    await callCore(c, 'datanets.review', { datanet: 'notes', filter: 'all', action: 'accept' });
    const db = c.workspace.db;
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    const before = [count('SELECT COUNT(*) FROM datanet_versions'), count('SELECT COUNT(*) FROM datanet_version_records'), count('SELECT COUNT(*) FROM artifacts')];
    // A stored record hash that is not 32 bytes of hex (records are never updated: this stands
    // for a damaged database) fails the Merkle tree in the middle of the freeze.
    const bad = db.prepare("SELECT id FROM datanet_records WHERE source_id = 'b'").pluck().get() as number;
    db.prepare("UPDATE datanet_records SET content_hash = '0x12' WHERE id = ?").run(bad);
    await expect(callCore(c, 'datanets.createVersion', { datanet: 'notes' })).rejects.toThrow(new RegExp(`Record ${bad}: the record hash "0x12" is not 0x and 32 bytes of hex`));
    expect([count('SELECT COUNT(*) FROM datanet_versions'), count('SELECT COUNT(*) FROM datanet_version_records'), count('SELECT COUNT(*) FROM artifacts')]).toEqual(before);
  });

  it('a cancelled import stores nothing, leaves no staging file and frees the write lock, even with records already in its commit', async () => {
    const c = open();
    await callCore(c, 'datanets.create', { name: 'big' });
    const file = path.join(tempDir(), 'big.jsonl');
    const fd = fs.openSync(file, 'w');
    for (let i = 0; i < 20; i++) {
      const chunk: string[] = [];
      for (let j = 0; j < 5000; j++) chunk.push(JSON.stringify({ text: `${prose(`r${i}-${j}`)} ${i * 5000 + j}` }));
      fs.writeSync(fd, chunk.join('\n') + '\n');
    }
    fs.closeSync(fd);
    const job = await callCore(c, 'jobs.start', { kind: 'datanet.import', params: { datanet: 'big', path: file, mapping: { contributor: ALICE } } });
    let asked = false;
    const final = await new Promise<Job>((resolve) => {
      const off = c.onEvent((event, data) => {
        const j = data as Job;
        if (event !== 'job.updated' || j.id !== job.id) return;
        // Cancelled once its commit thread holds records in its open transaction.
        if (j.status === 'running' && /[1-9][\d,]* records in/.test(j.message ?? '') && !asked) {
          asked = true;
          void callCore(c, 'jobs.cancel', { id: job.id });
        }
        if (['succeeded', 'failed', 'cancelled'].includes(j.status)) {
          off();
          resolve(j);
        }
      });
    });
    expect(final.status).toBe('cancelled');
    expect(asked).toBe(true);
    expect(await callCore(c, 'datanets.stats', { datanet: 'big' })).toMatchObject({ records: 0, imports: 0 });
    expect(fs.readdirSync(path.join(c.workspace.layout.artifacts, 'tmp'))).toEqual([]);
    // The core writes again at once: the commit's connection let the lock go.
    await callCore(c, 'datanets.create', { name: 'after' });
    expect(c.workspace.db.prepare("SELECT count(*) FROM datanet_records").pluck().get()).toBe(0);
  });
});

describe('datanet import edge cases', () => {
  it('imports started together each land whole: one commit waits for the other to let the write lock go, a queued one starts after', async () => {
    const c = open();
    const sizes = { a: 4000, b: 50, c: 50 };
    const jobs: Job[] = [];
    for (const [name, n] of Object.entries(sizes)) {
      await callCore(c, 'datanets.create', { name });
      const file = path.join(tempDir(), `${name}.jsonl`);
      // Texts that share few words (prose() ones would all be near duplicates of each other).
      const words = (i: number) => Array.from({ length: 24 }, (_, k) => `w${(i * 7919 + k * 104729) % 100003}`).join(' ');
      fs.writeFileSync(file, Array.from({ length: n }, (_, i) => JSON.stringify({ text: `${name}: ${words(i)}.` })).join('\n') + '\n');
      // Two run at once (the default maxConcurrent), the third waits in the queue.
      jobs.push(await callCore(c, 'jobs.start', { kind: 'datanet.import', params: { datanet: name, path: file, mapping: { contributor: ALICE } } }));
    }
    const ends = await Promise.all(
      jobs.map(
        (job) =>
          new Promise<Job>((resolve) => {
            const check = async () => {
              const j = await callCore(c, 'jobs.get', { id: job.id });
              if (['succeeded', 'failed', 'cancelled'].includes(j.status)) resolve(j);
              else setTimeout(() => void check(), 100);
            };
            void check();
          }),
      ),
    );
    expect(ends.map((j) => [j.status, j.error?.message ?? null])).toEqual(ends.map(() => ['succeeded', null]));
    for (const [name, n] of Object.entries(sizes)) expect(await callCore(c, 'datanets.stats', { datanet: name })).toMatchObject({ records: n, imports: 1 });
    // Every row the runner held while a commit had the lock is written: none is left running.
    expect(c.workspace.db.prepare("SELECT count(*) FROM jobs WHERE status IN ('queued', 'running')").pluck().get()).toBe(0);
  });

  it('reports a line over 16 MiB without holding it, and keeps the rows around it', async () => {
    const c = open();
    await callCore(c, 'datanets.create', { name: 'long' });
    const file = path.join(tempDir(), 'long.jsonl');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, JSON.stringify({ text: prose('first') }) + '\n');
    fs.writeSync(fd, '{"text": "');
    const mb = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 17; i++) fs.writeSync(fd, mb);
    fs.writeSync(fd, '"}\n' + JSON.stringify({ text: prose('last') }) + '\n');
    fs.closeSync(fd);
    const job = await runJobToEnd(c, 'datanet.import', { datanet: 'long', path: file, mapping: { contributor: ALICE } }, () => {});
    expect(job.result).toMatchObject({ imported: 2, rejected: [{ line: 2, reason: 'line longer than 16 MiB' }] });
  });

  it('recomputes signals as a job with a new near-duplicate threshold', async () => {
    const c = open();
    await callCore(c, 'datanets.create', { name: 'sig', nearDuplicateThreshold: 0.95 });
    const file = path.join(tempDir(), 'sig.jsonl');
    fs.writeFileSync(file, [prose('harbour'), prose('harbour').replace('Tuesday', 'Friday'), 'Something else entirely, about snow in the hills.'].map((text) => JSON.stringify({ text })).join('\n'));
    await runJobToEnd(c, 'datanet.import', { datanet: 'sig', path: file, mapping: { contributor: ALICE } }, () => {});
    expect(await callCore(c, 'datanets.stats', { datanet: 'sig' })).toMatchObject({ nearDuplicates: 0 });
    const job = await runJobToEnd(c, 'datanet.signals', { datanet: 'sig', nearDuplicateThreshold: 0.7 }, () => {});
    expect(job.result).toMatchObject({ records: 3, nearDuplicateThreshold: 0.7 });
    expect(await callCore(c, 'datanets.stats', { datanet: 'sig' })).toMatchObject({ records: 3, nearDuplicates: 1, nearDuplicateClusters: 1 });
    expect(await callCore(c, 'datanets.get', { datanet: 'sig' })).toMatchObject({ nearDuplicateThreshold: 0.7 });
  });
});

describe('datanets.preview', () => {
  it('shows the field names and first rows of a source for the mapping step, long values cut', async () => {
    const c = open();
    const file = path.join(tempDir(), 'p.csv');
    fs.writeFileSync(file, `id,question,answer\n1,"${'why '.repeat(1000)}",because\n2,short\n3,what,that\n`);
    const p = await callCore(c, 'datanets.preview', { path: file, limit: 2 });
    expect(p).toMatchObject({ format: 'csv', files: 1, fields: ['id', 'question', 'answer'] });
    expect(p.rows).toHaveLength(2);
    expect((p.rows[0]!.fields!['question'] as string).length).toBe(2001);
    expect(p.rows[1]).toEqual({ line: 3, file: 'p.csv', error: 'expected 3 columns (id, question, answer), found 2' });
    await expect(callCore(c, 'datanets.preview', { path: path.join(tempDir(), 'missing.jsonl') })).rejects.toThrow(/no such file or folder/);
  });
});
