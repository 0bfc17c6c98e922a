// `adapters publish NAME`: the adapter registered in the ModelRegistry with its lineage, through
// the publishing service (each transaction a `publications` row). What it needs on chain first is
// published first, each only once per deployment: the datanet version it trained on (the
// registry refuses a lineage naming a version nobody committed) and its base model (found by its
// files hash). The explorer decodes AdapterRegistered: base model id, files hash, training-config
// hash, datanet versions.
import path from 'node:path';
import { ErrorCode, StudioError } from '../api/apiError';
import type { Publication } from '../api/chainSchemas';
import type { AdapterPublishResult } from '../api/pipelineSchemas';
import { getAdapter } from '../adapters/adaptersRepository';
import { digestOf } from '../adapters/modelFingerprint';
import type { DevnetService } from '../chain/devnet/devnetService';
import { listPublications } from '../chain/publishing/publicationsRepository';
import type { PublishingService } from '../chain/publishing/publishingService';
import { getDatanet } from '../datanets/datanetsRepository';
import { publishVersion } from '../datanets/publishVersion';
import type { Db } from '../workspace/openDatabase';
import { runRecord } from './runsRepository';

const hex32 = (h: string) => `0x${h.replace(/^0x/, '')}`;

/** A confirmed publication on this chain whose params match (a reset or revert makes older ones 'lost'). */
function confirmed(db: Db, chainId: number, kind: Publication['kind'], match: (params: Record<string, unknown>) => boolean): Publication | undefined {
  return listPublications(db, { status: 'confirmed', chainId }).find((p) => p.kind === kind && match(p.params as Record<string, unknown>));
}

export async function publishAdapter(db: Db, deps: { devnet: DevnetService; publishing: PublishingService }, name: string): Promise<AdapterPublishResult> {
  const adapter = getAdapter(db, name);
  if (!adapter.run) throw new StudioError(ErrorCode.InvalidRequest, `Adapter ${name} was not trained by a Factory run (it was ${adapter.source}); only a run's adapter has the lineage (datanet version, config hash) the registry records.`);
  let run;
  try {
    run = runRecord(db, adapter.run);
  } catch {
    throw new StudioError(ErrorCode.InvalidRequest, `Adapter ${name} was trained by ${adapter.run}, which is not a Factory run of this workspace; publish a run's adapter.`);
  }
  const chainId = deps.devnet.devnetChainId;
  const sent: Publication[] = [];
  const adapterFiles = hex32(digestOf({ 'adapter_config.json': adapter.configSha256, 'adapter_model.safetensors': adapter.weightsSha256 }));
  const already = confirmed(db, chainId, 'model.adapter', (p) => String(p['filesHash']).toLowerCase() === adapterFiles.toLowerCase());
  if (already) throw new StudioError(ErrorCode.Conflict, `Adapter ${name} is already registered on this chain as model ${String(already.result)} (tx ${already.txHash}).`, { modelId: String(already.result) });

  const d = run.summary.datanet;
  const datanet = getDatanet(db, d.name);

  // The datanet version: its on-chain number is what commitVersion returned.
  let version = confirmed(db, chainId, 'datanet.version', (p) => String(p['merkleRoot']).toLowerCase() === d.merkleRoot.toLowerCase());
  if (!version) {
    const published = await publishVersion(db, deps, datanet, d.version);
    version = published.publication;
    sent.push(version);
  }
  const versionParams = version.params as { datanetId: string | number };

  const filesHash = hex32(run.base.digest);
  let base = confirmed(db, chainId, 'model.base', (p) => String(p['filesHash']).toLowerCase() === filesHash.toLowerCase());
  if (!base) {
    base = await deps.publishing.publish({ kind: 'model.base', filesHash, uri: `studio:model/${path.basename(run.base.path ?? 'base')}` });
    sent.push(base);
  }

  const published = await deps.publishing.publish({
    kind: 'model.adapter',
    baseModelId: String(base.result),
    filesHash: adapterFiles,
    configHash: hex32(run.summary.configHash),
    datanetVersions: [{ datanetId: String(versionParams.datanetId), version: String(version.result) }],
    uri: `studio:adapter/${adapter.name}?run=${run.summary.id}`,
  });
  sent.push(published);
  return {
    adapter: adapter.name,
    modelId: String(published.result),
    baseModelId: String(base.result),
    filesHash: adapterFiles,
    configHash: hex32(run.summary.configHash),
    datanet: { name: d.name, version: d.version, merkleRoot: d.merkleRoot, onchainDatanetId: String(versionParams.datanetId), onchainVersion: String(version.result) },
    publications: sent,
  };
}
