import path from 'node:path';
import { ErrorCode, StudioError } from '../api/apiError';
import type { DevnetService } from '../chain/devnet/devnetService';
import type { PublishingService } from '../chain/publishing/publishingService';
import { createDatanet, datanetStats, getDatanet, getDatanetId, listDatanets } from '../datanets/datanetsRepository';
import { diffVersions } from '../datanets/diffVersions';
import { exportVersion } from '../datanets/exportVersion';
import { freezeVersion } from '../datanets/freezeVersion';
import { getRecord, listRecords } from '../datanets/listRecords';
import { previewSource } from '../datanets/previewSource';
import { publishVersion } from '../datanets/publishVersion';
import { recordProof } from '../datanets/recordProof';
import { decideSubmission, listSubmissions, submitImport } from '../datanets/submitImport';
import { reviewHistory, undoAction } from '../datanets/reviewHistory';
import { reviewRecords } from '../datanets/reviewRecords';
import { listImports } from '../datanets/listImports';
import { listVersions } from '../datanets/versionsRepository';
import type { Db } from '../workspace/openDatabase';
import type { Handlers } from './handlers';

type DatanetMethod = Extract<keyof Handlers, `datanets.${string}`>;

/**
 * The datanet methods. Listing, review and versions run on the core's thread (SQL over indexed
 * tables); imports and signal recomputes are jobs ('datanet.import', 'datanet.signals').
 */
export function datanetHandlers(deps: { db: () => Db; root: () => string; devnet: () => DevnetService; publishing: () => PublishingService }): Pick<Handlers, DatanetMethod> {
  const artifacts = () => path.join(deps.root(), 'artifacts');
  const d = (name: string) => getDatanet(deps.db(), name);
  // The hot paths (table pages, the inspector, review, stats) need only the id.
  const id = (name: string) => getDatanetId(deps.db(), name);
  return {
    'datanets.list': () => listDatanets(deps.db()),
    'datanets.create': (p) => createDatanet(deps.db(), p),
    'datanets.get': ({ datanet }) => d(datanet),
    'datanets.stats': ({ datanet }) => datanetStats(deps.db(), id(datanet)),
    'datanets.preview': ({ path: p, format, split, limit }) => previewSource(path.resolve(p), format, split, limit),
    'datanets.imports': ({ datanet }) => listImports(deps.db(), d(datanet).id),
    'datanets.records': ({ datanet, ...q }) => listRecords(deps.db(), id(datanet), q),
    'datanets.record': ({ datanet, id: recordId }) => {
      const r = getRecord(deps.db(), id(datanet), recordId);
      if (!r) throw new StudioError(ErrorCode.NotFound, `Datanet ${datanet} has no record ${recordId}.`);
      return r;
    },
    'datanets.review': ({ datanet, ...req }) => reviewRecords(deps.db(), { datanetId: id(datanet), ...req }),
    'datanets.reviewHistory': ({ datanet, limit }) => reviewHistory(deps.db(), d(datanet).id, limit),
    'datanets.undoAction': ({ datanet, actionId, actor }) => undoAction(deps.db(), d(datanet).id, actionId, actor),
    'datanets.versions': ({ datanet }) => listVersions(deps.db(), d(datanet).id),
    'datanets.createVersion': ({ datanet }) => freezeVersion(deps.db(), d(datanet), artifacts()),
    'datanets.diff': ({ datanet, from, to }) => diffVersions(deps.db(), d(datanet), from, to),
    'datanets.proof': ({ datanet, version, sourceId }) => recordProof(deps.db(), d(datanet), version, sourceId),
    'datanets.export': ({ datanet, version, format, out }) => exportVersion(deps.db(), artifacts(), d(datanet), version, format, out),
    'datanets.publish': ({ datanet, version }) => publishVersion(deps.db(), { devnet: deps.devnet(), publishing: deps.publishing() }, d(datanet), version),
    'datanets.submitImport': ({ datanet, importId }) => submitImport(deps.db(), { devnet: deps.devnet(), publishing: deps.publishing() }, d(datanet), importId),
    'datanets.submissions': ({ datanet }) => listSubmissions(deps.db(), d(datanet).id),
    'datanets.decideSubmission': ({ datanet, submissionId, decision }) => decideSubmission(deps.db(), { publishing: deps.publishing() }, d(datanet), submissionId, decision),
  };
}
