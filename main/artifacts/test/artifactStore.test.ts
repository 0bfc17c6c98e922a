import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { ArtifactStore } from '../artifactStore';

describe('ArtifactStore', () => {
  it('stores bytes under their sha256, once', async () => {
    const store = new ArtifactStore(tempDir());
    const data = Buffer.from('hello artifacts');
    const expected = crypto.createHash('sha256').update(data).digest('hex');
    const a = await store.putBytes(data);
    const b = await store.putBytes(data);
    expect(a).toEqual({ sha256: expected, size: data.length });
    expect(b.sha256).toBe(expected);
    expect(fs.readFileSync(store.pathOf(expected))).toEqual(data);
    expect(await store.verify(expected)).toBe('ok');
  });

  it('streams files in and reports progress', async () => {
    const dir = tempDir();
    const src = path.join(dir, 'big.bin');
    const data = crypto.randomBytes(3 * 1024 * 1024 + 17);
    fs.writeFileSync(src, data);
    const store = new ArtifactStore(path.join(dir, 'store'));
    const seen: number[] = [];
    const { sha256, size } = await store.putFile(src, { onBytes: (done) => seen.push(done) });
    expect(size).toBe(data.length);
    expect(sha256).toBe(crypto.createHash('sha256').update(data).digest('hex'));
    expect(seen.at(-1)).toBe(data.length);
    expect(fs.readdirSync(path.join(dir, 'store', 'tmp'))).toEqual([]);
  });

  it('detects altered and missing objects', async () => {
    const store = new ArtifactStore(tempDir());
    const { sha256 } = await store.putBytes(Buffer.from('original'));
    const file = store.pathOf(sha256);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, 'tampered');
    expect(await store.verify(sha256)).toBe('corrupt');
    fs.rmSync(file);
    expect(await store.verify(sha256)).toBe('missing');
  });

  it('names the file it cannot import and leaves no temp file', async () => {
    const dir = tempDir();
    const store = new ArtifactStore(dir);
    await expect(store.putFile(path.join(dir, 'nope.txt'))).rejects.toThrow(/nope\.txt/);
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('sweeps temp files left by a crash', () => {
    const dir = tempDir();
    const store = new ArtifactStore(dir);
    fs.writeFileSync(path.join(dir, 'tmp', 'partial'), 'half');
    expect(store.sweepTemp()).toBe(1);
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });
});
