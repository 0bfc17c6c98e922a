// The copy of the datanet the evaluation trains on: the background records plus the planted ones,
// imported into a datanet of a throwaway workspace (its own studio home under the run's folder)
// through the same import job, review and version freeze a user's datanet goes through. The
// user's workspace is only read; nothing in it changes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callCore } from '../../cli/callCore';
import { runJobToEnd } from '../../cli/runJobToEnd';
import { StudioCore } from '../../core/studioCore';
import { getDatanet } from '../../datanets/datanetsRepository';
import { writeTrainingData } from '../../datanets/writeTrainingData';
import type { EvalRecord } from './plantFacts';

export const EVAL_DATANET = 'eval-copy';

export interface EvalCopy {
  core: StudioCore;
  /** "eval-copy@1" */
  datanet: string;
  version: { name: string; version: number; root: string };
  /** The version's training JSONL (the engine's format). */
  trainingData: string;
  records: number;
}

export async function makeEvalCopy(home: string, records: readonly EvalRecord[], info: (m: string) => void): Promise<EvalCopy> {
  const core = StudioCore.open({ home, mode: 'embedded' });
  try {
    await callCore(core, 'datanets.create', { name: EVAL_DATANET, description: 'studio eval attribution: background records and planted facts' });
    const file = join(home, 'eval-records.jsonl');
    writeFileSync(file, records.map((r) => JSON.stringify({ id: r.sourceId, text: r.text, contributor: r.contributor })).join('\n') + '\n');
    const job = await runJobToEnd(core, 'datanet.import', { datanet: EVAL_DATANET, path: file, mapping: { idField: 'id', contributorField: 'contributor' } }, () => {});
    const imported = job.result as { imported: number; rejected: { line: number; reason: string }[] };
    if (imported.rejected.length > 0) {
      const r = imported.rejected[0]!;
      throw new Error(`the evaluation's copy refused ${imported.rejected.length} record(s), e.g. line ${r.line} of ${file}: ${r.reason}`);
    }
    await callCore(core, 'datanets.review', { datanet: EVAL_DATANET, filter: 'all', action: 'accept' });
    const v = await callCore(core, 'datanets.createVersion', { datanet: EVAL_DATANET });
    const ws = core.workspace;
    const t = writeTrainingData(ws.db, ws.layout.artifacts, getDatanet(ws.db, EVAL_DATANET), v.version);
    info(`Copy: datanet ${EVAL_DATANET}@${v.version}, ${v.records} records`);
    return { core, datanet: `${EVAL_DATANET}@${v.version}`, version: { name: EVAL_DATANET, version: v.version, root: v.merkleRoot }, trainingData: t.path, records: v.records };
  } catch (err) {
    await core.close();
    throw err;
  }
}
