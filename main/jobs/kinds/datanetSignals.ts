import path from 'node:path';
import { stagingDir } from '../../datanets/commitImport';
import { getDatanet } from '../../datanets/datanetsRepository';
import { computeSignalsFile, dumpRecordTexts, replaceSignals } from '../../datanets/recomputeSignals';
import { defineJobKind } from '../jobKind';

/** Recomputes every record's quality signals (e.g. with a new near-duplicate threshold). */
export const datanetSignals = defineJobKind({
  kind: 'datanet.signals',
  title: (p) => `Recompute signals of datanet ${p.datanet}`,
  prepare(db, p, workspaceRoot) {
    const d = getDatanet(db, p.datanet);
    const file = dumpRecordTexts(db, d.id, stagingDir(path.join(workspaceRoot, 'artifacts')));
    return { file, datanetId: d.id, records: d.records, threshold: p.nearDuplicateThreshold ?? d.nearDuplicateThreshold };
  },
  async run(input, ctx) {
    const out = await computeSignalsFile(input.file, ctx.signal, (n) => ctx.progress(input.records ? n / input.records : null, `${n} of ${input.records} records`));
    return { out, input };
  },
  commit: (db, { out, input }) => ({ ...replaceSignals(db, input.datanetId, input.threshold, out), nearDuplicateThreshold: input.threshold }),
});
