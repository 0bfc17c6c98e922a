import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import type { DatanetDemoResult, FieldMapping } from '../../api/datanetSchemas';
import type { Db } from '../../workspace/openDatabase';
import { commitImport, stagingDir } from '../commitImport';
import { createDatanet, datanetStats } from '../datanetsRepository';
import { freezeVersion } from '../freezeVersion';
import { resolveImportSource } from '../readSourceRows';
import { reviewRecords } from '../reviewRecords';
import { stageImport, type StagingResult } from '../stageImport';
import type { ReadOptions } from '../sourceRow';
import { listVersions } from '../versionsRepository';
import { SOTU_FIRST_YEAR, SOTU_PACKAGE, sotuPassages } from './sotuPassages';

export const DEMO_DATANET = {
  name: 'state-of-the-union',
  schema: 'text' as const,
  domain: 'speeches',
  description: `State of the Union addresses from ${SOTU_FIRST_YEAR} on, in passages of whole sentences; each president is one demo contributor.`,
  licence: 'Public domain (works of the US Government); package data PDDL-1.0 / CC0-1.0',
  nearDuplicateThreshold: 0.8,
};

const MAPPING: FieldMapping = { textField: 'text', idField: 'id', contributorField: 'contributor' };
const ACTOR = 'studio:demo';

/**
 * The demo datanet as it stands, or null when the workspace has none. The build is one
 * transaction, so a datanet of that name without a version was not made by it: refuse to touch it.
 */
export function demoDatanetState(db: Db): DatanetDemoResult | null {
  const row = db.prepare('SELECT id FROM datanets WHERE name = ?').get(DEMO_DATANET.name) as { id: number } | undefined;
  if (!row) return null;
  const first = listVersions(db, row.id).find((v) => v.version === 1);
  if (!first) {
    throw new StudioError(ErrorCode.Conflict, `Datanet ${DEMO_DATANET.name} exists but was not built as the demo (it has no version); rename or use another workspace for the demo.`, { datanet: DEMO_DATANET.name });
  }
  const stats = datanetStats(db, row.id);
  return { datanet: DEMO_DATANET.name, created: false, records: stats.records, contributors: stats.contributors, version: first.version, merkleRoot: first.merkleRoot };
}

/**
 * The worker's half: the passages go through the ordinary import path (mapping, checks,
 * signals) from a JSONL file written next to the staging file and removed after reading.
 */
export async function stageDemoDatanet(artifactsRoot: string, read: ReadOptions): Promise<StagingResult> {
  const dir = stagingDir(artifactsRoot);
  fs.mkdirSync(dir, { recursive: true });
  const source = path.join(dir, `demo-sotu-${process.pid}-${crypto.randomBytes(6).toString('hex')}.jsonl`);
  try {
    fs.writeFileSync(source, sotuPassages().map((p) => JSON.stringify(p)).join('\n') + '\n', { flag: 'wx' });
    const staged = await stageImport(resolveImportSource(source, 'jsonl'), { schema: DEMO_DATANET.schema, mapping: MAPPING, split: 'paragraph', stagingDir: dir }, read);
    // The package's text is fixed: a rejected passage is a bug here, not bad input to report.
    if (staged.rejectedCount > 0) {
      fs.rmSync(staged.stagingPath, { force: true });
      throw new Error(`demo datanet: ${staged.rejectedCount} passages were refused (first: line ${staged.rejected[0]?.line}: ${staged.rejected[0]?.reason})`);
    }
    return staged;
  } finally {
    fs.rmSync(source, { force: true });
  }
}

/**
 * The main thread's half, in one transaction: create the datanet, insert the staged records,
 * accept them all (a review action by "studio:demo", undoable like any other) and freeze
 * version 1. When another build got there first, its datanet is returned untouched.
 */
export function commitDemoDatanet(db: Db, staged: StagingResult, artifactsRoot: string): DatanetDemoResult {
  const existing = demoDatanetState(db);
  if (existing) {
    fs.rmSync(staged.stagingPath, { force: true });
    return existing;
  }
  return db.transaction(() => {
    const datanet = createDatanet(db, DEMO_DATANET);
    commitImport(db, staged, {
      datanetId: datanet.id,
      datanetName: datanet.name,
      threshold: datanet.nearDuplicateThreshold,
      jobId: null,
      source: `npm:${SOTU_PACKAGE}`,
      format: 'jsonl',
      mapping: MAPPING,
      artifactsRoot,
    });
    reviewRecords(db, { datanetId: datanet.id, filter: 'all', action: 'accept', actor: ACTOR });
    const version = freezeVersion(db, datanet, artifactsRoot);
    const stats = datanetStats(db, datanet.id);
    return { datanet: datanet.name, created: true, records: stats.records, contributors: stats.contributors, version: version.version, merkleRoot: version.merkleRoot };
  })();
}
