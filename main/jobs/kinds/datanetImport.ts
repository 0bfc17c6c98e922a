import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import { checkContributor } from '../../datanets/checkContributor';
import { getDatanet } from '../../datanets/datanetsRepository';
import { resolveImportSource } from '../../datanets/readSourceRows';
import { stageRecords } from '../../datanets/stageImport';
import { ImportCommitOffThread } from '../../datanets/importCommitOffThread';
import { defineJobKind } from '../jobKind';

/**
 * Imports a file or folder into a datanet. The job's worker reads, checks and stages rows (with
 * their signals) and hands them, a batch at a time, to a commit thread of its own
 * (importCommitOffThread.ts) that inserts them on its own connection in one transaction while
 * staging goes on, and sets this job's row to succeeded in that same transaction. Cancelled,
 * failed or killed before that COMMIT, nothing is stored; the core's thread stays free
 * throughout (its writes meanwhile are refused busy: JobContext.writing).
 */
export const datanetImport = defineJobKind({
  kind: 'datanet.import',
  title: (p) => `Import ${path.basename(p.path)} into datanet ${p.datanet}`,
  prepare(db, p, workspaceRoot, job) {
    const datanet = getDatanet(db, p.datanet);
    const m = p.mapping;
    if (m.contributor !== undefined && m.contributorField !== undefined) throw new StudioError(ErrorCode.InvalidRequest, 'Give either a contributor field or one contributor address, not both.');
    if (m.contributor === undefined && m.contributorField === undefined) {
      throw new StudioError(ErrorCode.InvalidRequest, 'An import needs its contributors: a contributor field (column) or one contributor address for the whole file.');
    }
    if (m.contributor !== undefined) {
      const who = checkContributor(m.contributor);
      if ('error' in who) throw new StudioError(ErrorCode.InvalidRequest, `Contributor: ${who.error}.`, { contributor: m.contributor });
    }
    const source = path.resolve(p.path);
    const src = resolveImportSource(source, p.format);
    const artifactsRoot = path.join(workspaceRoot, 'artifacts');
    return { src, source, schema: datanet.schema, mapping: m, split: p.split, datanetId: datanet.id, datanetName: datanet.name, threshold: datanet.nearDuplicateThreshold, artifactsRoot, dbFile: db.name, jobId: job.id };
  },
  async run(input, ctx) {
    ctx.log('info', `Reading ${input.source} as ${input.src.format}${input.src.files.length > 1 ? ` (${input.src.files.length} files)` : ''}`);
    let read = 0;
    let committed = 0;
    let finishing = false;
    // The last batches' counts arrive after staging ended: they must not hide the end's message.
    const show = () => !finishing && ctx.progress(0.9 * read, `${input.src.format}: ${Math.round(100 * read)}% read, ${committed.toLocaleString('en-US')} records in`);
    const commitInput = { datanetId: input.datanetId, datanetName: input.datanetName, threshold: input.threshold, jobId: null, source: input.source, format: input.src.format, mapping: input.mapping, artifactsRoot: input.artifactsRoot };
    const commit = await ImportCommitOffThread.start(
      { dbFile: input.dbFile, input: commitInput, jobId: input.jobId, cancelFlag: ctx.cancelFlag.buffer as SharedArrayBuffer },
      (n) => {
        committed = n;
        show();
      },
    );
    ctx.writing(true);
    try {
      const staged = await stageRecords(
        input.src,
        { schema: input.schema, mapping: input.mapping, split: input.split },
        { signal: ctx.signal, onProgress: (done, total) => ((read = total ? done / total : 0), show()) },
        (frames, records) => commit.append(frames, records),
      );
      ctx.log('info', `Read ${staged.rows} rows: ${staged.staged} staged, ${staged.rejectedCount} rejected`);
      finishing = true;
      ctx.progress(0.9, `${staged.staged.toLocaleString('en-US')} records in: indexing their text and settling duplicates`);
      return await commit.finish(staged);
    } catch (err) {
      await commit.abort();
      throw err;
    } finally {
      ctx.writing(false);
    }
  },
  // The commit thread has stored the import and this job's result in one transaction.
  commit: (_db, result) => result,
});
