import path from 'node:path';

/** The files and folders of one workspace; see docs/ARCHITECTURE.md "A workspace on disk". */
export interface WorkspaceLayout {
  root: string;
  db: string;
  lock: string;
  artifacts: string;
  runs: string;
  /** Pipeline files saved from the Factory (NAME.pipeline.yaml); see main/factory/pipelineFiles.ts. */
  pipelines: string;
  chain: string;
  /** Encrypted keys for remote networks (one sealed file per key, 0600); see main/chain/keyStore.ts. */
  keys: string;
  logs: string;
}

export function workspaceLayout(root: string): WorkspaceLayout {
  return {
    root,
    db: path.join(root, 'studio.db'),
    lock: path.join(root, 'studio.lock'),
    artifacts: path.join(root, 'artifacts'),
    runs: path.join(root, 'runs'),
    pipelines: path.join(root, 'pipelines'),
    chain: path.join(root, 'chain'),
    keys: path.join(root, 'keys'),
    logs: path.join(root, 'logs'),
  };
}
