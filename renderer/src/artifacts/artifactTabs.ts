import type { Artifact } from '../../../main/api/schemas';
import { shortSha } from '../base/format';
import { workbenchStore } from '../workbench/workbenchStore';

declare module '../workbench/tabs' {
  interface TabInputs {
    artifact: { sha256: string; name: string };
  }
}

/** One tab per artifact. */
export function openArtifact(artifact: Pick<Artifact, 'sha256' | 'name'>): void {
  workbenchStore.getState().openTab({
    id: `artifact:${artifact.sha256}`,
    title: artifact.name || shortSha(artifact.sha256),
    icon: 'file-binary',
    input: { kind: 'artifact', sha256: artifact.sha256, name: artifact.name },
  });
}
