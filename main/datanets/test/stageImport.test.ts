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
});
