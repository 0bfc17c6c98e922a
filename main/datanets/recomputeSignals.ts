import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import readline from 'node:readline';
import { ErrorCode, StudioError } from '../api/apiError';
import type { Db } from '../workspace/openDatabase';
import { computeRecordSignals } from './computeRecordSignals';
import { forEachLineSync } from './forEachLineSync';
import { settleNearDuplicates } from './settleNearDuplicates';
import { signalColumns, type SignalColumns } from './stagedRecord';
import { settleExactDuplicates, signalWriter } from './storeSignals';

/** Main thread: writes every record's id and text to a temp file for the worker, in id order. */
export function dumpRecordTexts(db: Db, datanetId: number, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `datanet-signals-in-${process.pid}-${crypto.randomBytes(6).toString('hex')}.jsonl`);
  const fd = fs.openSync(file, 'wx');
  try {
    for (const r of db.prepare('SELECT id, text FROM datanet_records WHERE datanet_id = ? ORDER BY id').iterate(datanetId) as Iterable<{ id: number; text: string }>) {
      fs.writeSync(fd, JSON.stringify(r) + '\n');
    }
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/** Worker: each text's own signals, one JSON line per record. */
export async function computeSignalsFile(inFile: string, signal: AbortSignal, progress: (n: number) => void): Promise<string> {
  const outFile = inFile.replace('-in-', '-out-');
  const out = fs.createWriteStream(outFile, { flags: 'wx' });
  // Write errors surface through once(out, 'drain' | 'finish'); after a destroy they are moot.
  out.on('error', () => {});
  let n = 0;
  try {
    for await (const l of readline.createInterface({ input: fs.createReadStream(inFile), crlfDelay: Infinity })) {
      if (l === '') continue;
      if (signal.aborted) throw new StudioError(ErrorCode.Cancelled, 'Signal recompute cancelled; the old signals stay.');
      const { id, text } = JSON.parse(l) as { id: number; text: string };
      const s = computeRecordSignals(text);
      const c = signalColumns(s);
      const row = { id, signals: { ...c, minhash: c.minhash.toString('base64') } };
      if (!out.write(JSON.stringify(row) + '\n')) await once(out, 'drain');
      if (++n % 1000 === 0) progress(n);
    }
    out.end();
    await once(out, 'finish');
  } catch (err) {
    out.destroy();
    fs.rmSync(outFile, { force: true });
    throw err;
  } finally {
    fs.rmSync(inFile, { force: true });
  }
  return outFile;
}

/** Main thread: replaces the datanet's signals and buckets in one transaction. */
export function replaceSignals(db: Db, datanetId: number, threshold: number, file: string): { records: number } {
  try {
    return db.transaction(() => {
      db.prepare('DELETE FROM datanet_lsh WHERE datanet_id = ?').run(datanetId);
      db.prepare('DELETE FROM datanet_signals WHERE datanet_id = ?').run(datanetId);
      db.prepare('UPDATE datanets SET near_dup_threshold = ? WHERE id = ?').run(threshold, datanetId);
      const write = signalWriter(db, datanetId, threshold, db.prepare('SELECT COUNT(*) FROM datanet_records WHERE datanet_id = ?').pluck().get(datanetId) as number);
      let records = 0;
      let first: number | null = null;
      forEachLineSync(file, (l) => {
        const { id, signals } = JSON.parse(l) as { id: number; signals: Omit<SignalColumns, 'minhash'> & { minhash: string } };
        first ??= id;
        write.write(id, { ...signals, minhash: Buffer.from(signals.minhash, 'base64') });
        records++;
      });
      const sharing = write.finish();
      if (first !== null) {
        settleExactDuplicates(db, datanetId, first);
        settleNearDuplicates(db, datanetId, first, threshold, sharing);
      }
      return { records };
    })();
  } finally {
    fs.rmSync(file, { force: true });
  }
}
