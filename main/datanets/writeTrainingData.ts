import fs from 'node:fs';
import type { RecordSchemaKind } from '../api/datanetSchemas';
import { ArtifactStore } from '../artifacts/artifactStore';
import { recordArtifact } from '../artifacts/artifactsRepository';
import type { Db } from '../workspace/openDatabase';
import { getVersionRow, versionRecords } from './versionsRepository';

/**
 * A version's records as the engine's training JSONL: {"prompt", "response"} for instruction
 * datanets, {"text"} otherwise (chat and labelled records train on their text). Stored in the
 * artifact store, so the run's data sha256 names exactly this version's content.
 */
export function writeTrainingData(
  db: Db,
  artifactsRoot: string,
  datanet: { id: number; name: string; schema: RecordSchemaKind },
  version: number | undefined,
): { path: string; version: number; merkleRoot: string; records: number; sha256: string } {
  const v = getVersionRow(db, datanet.id, datanet.name, version);
  const store = new ArtifactStore(artifactsRoot);
  const put = store.putTempSync((tmp) => {
    const fd = fs.openSync(tmp, 'wx');
    try {
      for (const r of versionRecords(db, v.id)) {
        const c = JSON.parse(r.content_json) as Record<string, string>;
        const row = datanet.schema === 'instruction' ? { prompt: c['prompt'], response: c['response'] } : { text: r.text };
        fs.writeSync(fd, JSON.stringify(row) + '\n');
      }
    } finally {
      fs.closeSync(fd);
    }
  });
  recordArtifact(db, { ...put, name: `${datanet.name}-v${v.version}-train.jsonl`, mediaType: 'application/x-ndjson' });
  return { path: store.pathOf(put.sha256), version: v.version, merkleRoot: v.merkle_root, records: v.records, sha256: put.sha256 };
}
