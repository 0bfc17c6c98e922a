// The default model in the devnet's ModelRegistry (issue 12, "In the app"): registered on first
// start as a base model whose files hash is its fingerprint (the sha256 of config.json and every
// weights file, main/adapters/modelFingerprint.ts), through the publishing service so it shows in
// publications and the explorer. `adapters publish` finds the same entry by that hash, so a demo
// adapter published later names it as its base instead of registering the base again.
import path from 'node:path';
import { modelFingerprint } from '../adapters/modelFingerprint';
import type { DevnetService } from '../chain/devnet/devnetService';
import { listPublications } from '../chain/publishing/publicationsRepository';
import type { PublishingService } from '../chain/publishing/publishingService';
import { defaultModelFolder } from '../engine/defaultModel/resolveModelArgument';
import type { Db } from '../workspace/openDatabase';

export async function registerDefaultModel(db: Db, deps: { devnet: DevnetService; publishing: PublishingService }): Promise<{ modelId: string; filesHash: string; registered: boolean }> {
  const dir = defaultModelFolder();
  const filesHash = `0x${(await modelFingerprint(dir)).digest.replace(/^0x/, '')}`;
  // Already registered on this chain (a reset or revert marks older publications lost, not confirmed).
  const known = listPublications(db, { status: 'confirmed', chainId: deps.devnet.devnetChainId }).find(
    (p) => p.kind === 'model.base' && String((p.params as { filesHash?: unknown }).filesHash).toLowerCase() === filesHash.toLowerCase(),
  );
  if (known) return { modelId: String(known.result), filesHash, registered: false };
  const published = await deps.publishing.publish({ kind: 'model.base', filesHash, uri: `studio:model/${path.basename(dir)}` });
  return { modelId: String(published.result), filesHash, registered: true };
}
