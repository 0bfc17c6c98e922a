import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { resolveImportSource } from '../readSourceRows';
import { stageImport } from '../stageImport';
import { forEachStagedRecordSync, type StagedRecord } from '../stagedRecord';

const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

describe('stageImport', () => {
  it('refuses a file that changes while it is read and leaves no staging file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'growing.jsonl');
    fs.writeFileSync(file, Array.from({ length: 3 }, (_, i) => JSON.stringify({ text: `row ${i} of a file` })).join('\n') + '\n');
    const staging = path.join(dir, 'staging');
    let appended = false;
    const run = stageImport(
      resolveImportSource(file),
      { schema: 'text', mapping: { contributor: ALICE }, split: 'file', stagingDir: staging },
      {
        signal: new AbortController().signal,
        // Another program appends while the import is reading.
        onProgress: () => {
          if (!appended) fs.appendFileSync(file, JSON.stringify({ text: 'late row' }) + '\n');
          appended = true;
        },
      },
    );
    await expect(run).rejects.toMatchObject({ code: 'DATANET_SOURCE_CHANGED', message: expect.stringMatching(/growing\.jsonl changed while it was read/) });
    expect(fs.readdirSync(staging)).toEqual([]);
  });

  it('stages every good row with its signals and counts the bad ones', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'rows.jsonl');
    fs.writeFileSync(file, `${JSON.stringify({ id: 7, text: 'Mail ada@example.org today.' })}\nnot json\n`);
    const r = await stageImport(resolveImportSource(file), { schema: 'text', mapping: { contributor: ALICE }, split: 'file', stagingDir: dir }, { signal: new AbortController().signal });
    expect(r).toMatchObject({ staged: 1, rows: 2, rejectedCount: 1, rejected: [{ line: 2 }] });
    const staged: StagedRecord[] = [];
    forEachStagedRecordSync(r.stagingPath, (x) => staged.push(x));
    expect(staged).toHaveLength(1);
    expect(staged[0]).toMatchObject({ line: 1, sourceId: '7', contributor: ALICE, contentJson: JSON.stringify({ text: 'Mail ada@example.org today.' }), metadataJson: '{}', signals: { piiCount: 1 } });
    expect(JSON.parse(staged[0]!.signals.piiJson)).toMatchObject([{ kind: 'email', start: 5, end: 20 }]);
    expect(staged[0]!.signals.minhash.length).toBe(128 * 4);
  });

  it('stages the same bytes with the engine as with the TypeScript reference', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'mixed.jsonl');
    // ASCII texts (the engine's one pass), non-ASCII ones (normalised in JS), exact and
    // whitespace/case duplicates, PII, and rows rejected between them: more than one batch.
    const texts = ['Hello  World', 'hello world\n', 'Caf\u00e9 cr\u00e8me, \u201cquoted\u201d \u2014 dash', 'Mail ada@example.org or call +1 202 555 0100.', 'x', '\t\tTabs\tand\r\nlines\n\n', 'e\u0301 vs \u00e9 \ud83d\ude00'];
    const lines = Array.from({ length: 1300 }, (_, i) => (i % 97 === 5 ? '{"text": ' : i % 101 === 7 ? JSON.stringify({ text: '  ' }) : JSON.stringify({ id: `r${i}`, text: `${texts[i % texts.length]} ${i % 3 === 0 ? '' : i}` })));
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const stage = async (backend: string | undefined) => {
      const before = process.env.STUDIO_DATANET_HASHES;
      if (backend) process.env.STUDIO_DATANET_HASHES = backend;
      else delete process.env.STUDIO_DATANET_HASHES;
      try {
        const r = await stageImport(resolveImportSource(file), { schema: 'text', mapping: { contributor: ALICE }, split: 'file', stagingDir: path.join(dir, backend ?? 'native') }, { signal: new AbortController().signal });
        // The file's digest, not its bytes: a failing comparison of two megabyte buffers takes minutes to print.
        return { ...r, digest: crypto.createHash('sha256').update(fs.readFileSync(r.stagingPath)).digest('hex'), stagingPath: '' };
      } finally {
        if (before === undefined) delete process.env.STUDIO_DATANET_HASHES;
        else process.env.STUDIO_DATANET_HASHES = before;
      }
    };
    const native = await stage(undefined);
    const reference = await stage('reference');
    expect(native.staged).toBeGreaterThan(1200);
    expect(native.rejectedCount).toBeGreaterThan(10);
    expect(native).toEqual(reference);
  });
});
