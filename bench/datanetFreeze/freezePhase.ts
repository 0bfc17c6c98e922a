// One phase of the freeze bench in a process of its own, so that its max RSS (getrusage) is the
// phase's alone: `node --import tsx bench/datanetFreeze/freezePhase.ts HOME PHASE` prints one JSON
// line { phase, seconds, cpuSeconds, maxRssMiB, ...result }. Phases (all on the datanet 'freeze'):
//   build N           the fixture (buildFreezeFixture.ts)
//   freeze            freezeVersion: a new version, Merkle root and both snapshot files
//   read              the latest version's rows from SQLite, nothing else (the floor)
//   treeReference     the root by @openzeppelin's StandardMerkleTree in JS (the previous freeze)
//   treeNative        the root by the engine's builder (versionMerkle.ts)
//   proofNative       the proof of the version's last record (what `datanet proof` computes)
//   snapshot          the snapshot files by writeSnapshotFiles (one pass, the engine's Snappy)
//   snapshotPrevious  the snapshot files by the previous writer (two passes, hyparquet's JS Snappy)
import path from 'node:path';
import { ArtifactStore } from '../../main/artifacts/artifactStore';
import { callCore } from '../../main/cli/callCore';
import { StudioCore } from '../../main/core/studioCore';
import { freezeVersion } from '../../main/datanets/freezeVersion';
import { previousSnapshotFiles } from '../../main/datanets/test/previousSnapshotFiles';
import { versionMerkle } from '../../main/datanets/versionMerkle';
import { versionRecords } from '../../main/datanets/versionsRepository';
import { writeSnapshotFiles } from '../../main/datanets/writeSnapshotFiles';
import { buildFreezeFixture } from './buildFreezeFixture';

export const FREEZE_DATANET = 'freeze';

async function main(): Promise<void> {
  const [home, phase, arg] = process.argv.slice(2);
  if (!home || !phase) throw new Error('usage: freezePhase.ts HOME PHASE [N]');
  const core = StudioCore.open({ home, mode: 'embedded' });
  try {
    const db = core.workspace.db;
    const artifacts = path.join(core.workspace.layout.root, 'artifacts');
    const datanet = () => db.prepare('SELECT id, name FROM datanets WHERE name = ?').get(FREEZE_DATANET) as { id: number; name: string };
    const latest = () => db.prepare('SELECT MAX(id) AS id FROM datanet_versions WHERE datanet_id = ?').pluck().get(datanet().id) as number;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let result: Record<string, unknown> = {};
    if (phase === 'build') {
      const d = await callCore(core, 'datanets.create', { name: FREEZE_DATANET });
      buildFreezeFixture(db, d.id, Number(arg));
    } else if (phase === 'freeze') {
      const v = freezeVersion(db, datanet(), artifacts);
      result = { version: v.version, records: v.records, merkleRoot: v.merkleRoot, jsonlSha256: v.sha256, parquetSha256: v.parquetSha256 };
    } else if (phase === 'read') {
      let chars = 0;
      for (const r of versionRecords(db, latest())) chars += r.content_json.length + r.text.length;
      result = { chars };
    } else if (phase === 'treeReference') {
      result = { merkleRoot: versionMerkle(db, latest(), { backend: 'reference' }).root };
    } else if (phase === 'treeNative') {
      result = { merkleRoot: versionMerkle(db, latest(), { backend: 'native' }).root };
    } else if (phase === 'proofNative') {
      const last = db.prepare('SELECT MAX(record_id) FROM datanet_version_records WHERE version_id = ?').pluck().get(latest()) as number;
      const m = versionMerkle(db, latest(), { proveRecordId: last });
      result = { merkleRoot: m.root, proofLength: m.proof!.length };
    } else if (phase === 'snapshot') {
      const files = writeSnapshotFiles(new ArtifactStore(artifacts), () => versionRecords(db, latest()));
      result = { jsonlSha256: files.jsonl.sha256, parquetSha256: files.parquet.sha256 };
    } else if (phase === 'snapshotPrevious') {
      const files = previousSnapshotFiles(new ArtifactStore(artifacts), () => versionRecords(db, latest()));
      result = { jsonlSha256: files.jsonl.sha256, parquetSha256: files.parquet.sha256 };
    } else throw new Error(`unknown phase ${phase}`);
    const c = process.cpuUsage(c0);
    const out = {
      phase,
      seconds: +((performance.now() - t0) / 1000).toFixed(2),
      cpuSeconds: +((c.user + c.system) / 1e6).toFixed(2),
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      ...result,
    };
    process.stdout.write(JSON.stringify(out) + '\n');
  } finally {
    await core.close();
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
