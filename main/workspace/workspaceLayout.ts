import path from 'node:path';

/** The files and folders of one workspace; see docs/ARCHITECTURE.md "A workspace on disk". */
export interface WorkspaceLayout {
  root: string;
  db: string;
  lock: string;
  artifacts: string;
  runs: string;
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
    chain: path.join(root, 'chain'),
    keys: path.join(root, 'keys'),
    logs: path.join(root, 'logs'),
  };
}
