import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import { checkContributor } from '../../datanets/checkContributor';
import { commitImport, stagingDir } from '../../datanets/commitImport';
import { getDatanet } from '../../datanets/datanetsRepository';
import { resolveImportSource } from '../../datanets/readSourceRows';
import { stageImport } from '../../datanets/stageImport';
import { defineJobKind } from '../jobKind';

/**
 * Imports a file or folder into a datanet: the worker reads, checks and stages rows (with their
 * signals) in a temp file; commit inserts them in one transaction. Cancelled or killed before
 * commit, nothing is stored.
 */
export const datanetImport = defineJobKind({
  kind: 'datanet.import',
  title: (p) => `Import ${path.basename(p.path)} into datanet ${p.datanet}`,
  prepare(db, p, workspaceRoot) {
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
    return { src, source, schema: datanet.schema, mapping: m, split: p.split, datanetId: datanet.id, datanetName: datanet.name, threshold: datanet.nearDuplicateThreshold, artifactsRoot };
  },
  async run(input, ctx) {
    ctx.log('info', `Reading ${input.source} as ${input.src.format}${input.src.files.length > 1 ? ` (${input.src.files.length} files)` : ''}`);
    const staged = await stageImport(
      input.src,
      { schema: input.schema, mapping: input.mapping, split: input.split, stagingDir: stagingDir(input.artifactsRoot) },
      { signal: ctx.signal, onProgress: (done, total) => ctx.progress(total ? done / total : null, `${input.src.format}: ${Math.round((100 * done) / (total || 1))}%`) },
    );
    ctx.log('info', `Read ${staged.rows} rows: ${staged.staged} staged, ${staged.rejectedCount} rejected`);
    return { staged, input };
  },
  commit: (db, { staged, input }) =>
    commitImport(db, staged, {
      datanetId: input.datanetId,
      datanetName: input.datanetName,
      threshold: input.threshold,
      jobId: null,
      source: input.source,
      format: input.src.format,
      mapping: input.mapping,
      artifactsRoot: input.artifactsRoot,
    }),
});
