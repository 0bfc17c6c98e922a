// Which protocol calls are publications (the facts the publishing service puts on chain), so a
// write sent to a remote network through prepare/confirm is recorded like one sent by
// PublishingService on the devnet. Keep in step with plan() in publishingService.ts.
import type { PublicationKind } from '../../api/chainSchemas';

const KINDS: Record<string, PublicationKind> = {
  'DatanetRegistry.commitVersion': 'datanet.version',
  'DatanetRegistry.submit': 'datanet.submission',
  'DatanetRegistry.accept': 'datanet.submissionReview',
  'DatanetRegistry.reject': 'datanet.submissionReview',
  'ModelRegistry.registerBaseModel': 'model.base',
  'ModelRegistry.registerAdapter': 'model.adapter',
  'AttributionLedger.postBatch': 'attribution.batch',
  'AttributionLedger.claim': 'rewards.claim',
};

export function publicationKindOf(contract: string, functionName: string): PublicationKind | null {
  return KINDS[`${contract}.${functionName}`] ?? null;
}

/** A title for people, from the call's named (JSON) arguments. */
export function publicationTitle(kind: PublicationKind, args: Record<string, unknown>, network: string): string {
  const a = (name: string) => String(args[name] ?? '?');
  const short = (name: string) => `${a(name).slice(0, 10)}…`;
  const on = ` on ${network}`;
  switch (kind) {
    case 'datanet.version':
      return `Datanet ${a('datanetId')}: version with ${a('recordCount')} records (root ${short('merkleRoot')})${on}`;
    case 'datanet.submission':
      return `Datanet ${a('datanetId')}: submission of batch ${short('recordBatchHash')}${on}`;
    case 'datanet.submissionReview':
      return `Submission ${a('submissionId')} ${args['adversarial'] === true ? 'rejected as adversarial (slashed)' : args['adversarial'] === false ? 'rejected' : 'accepted'}${on}`;
    case 'model.base':
      return `Base model ${a('uri') || short('filesHash')}${on}`;
    case 'model.adapter':
      return `Adapter on model ${a('baseModelId')} (${a('uri') || short('filesHash')})${on}`;
    case 'attribution.batch':
      return `Attribution batch for model ${a('modelId')}: ${a('inferenceCount')} inferences${on}`;
    case 'rewards.claim':
      return `Claim of batch ${a('batchId')} for ${a('contributor')}${on}`;
  }
}
