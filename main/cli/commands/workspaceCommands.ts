import type { WorkspaceInfo, WorkspaceSummary } from '../../api/schemas';
import { WorkspaceManager, workspaceInfo } from '../../workspace/workspaceManager';
import { UsageError, type Command } from '../command';
import { formatTable } from '../formatTable';
import { withReadonlyWorkspace } from '../withReadonlyWorkspace';

export const workspaceList: Command = {
  path: ['workspace', 'list'],
  usage: 'studio workspace list [--json]',
  summary: 'List workspaces and whether each can be opened',
  async run({ home }) {
    const m = new WorkspaceManager(home);
    m.ensureDemo();
    return m.list();
  },
  human: (list: WorkspaceSummary[]) =>
    formatTable(
      ['NAME', 'STATUS', 'CREATED', 'PATH'],
      list.map((w) => [w.name + (w.isDemo ? ' (demo)' : ''), w.statusDetail ? `${w.status}: ${w.statusDetail}` : w.status, w.createdAt ?? '-', w.path]),
    ),
};

export const workspaceCreate: Command = {
  path: ['workspace', 'create'],
  usage: 'studio workspace create NAME [--json]',
  summary: 'Create an empty workspace',
  async run({ home, positionals }) {
    const [name] = positionals;
    if (!name) throw new UsageError('workspace create needs a NAME');
    return new WorkspaceManager(home).create(name);
  },
  human: (w: WorkspaceSummary) => `Created workspace ${w.name} at ${w.path}`,
};

export const workspaceInfoCommand: Command = {
  path: ['workspace', 'info'],
  usage: 'studio workspace info [--workspace NAME] [--json]',
  summary: 'Show a workspace: path, schema version, counts',
  run: async (ctx) => withReadonlyWorkspace(ctx, (db, name, root) => workspaceInfo(name, root, db)),
  human: (w: WorkspaceInfo) =>
    [
      `Workspace   ${w.name}${w.isDemo ? ' (demo)' : ''}`,
      `Path        ${w.path}`,
      `Created     ${w.createdAt}`,
      `Schema      v${w.schemaVersion}`,
      `Artifacts   ${w.counts.artifacts} (${w.artifactBytes} bytes)`,
      `Jobs        ${w.counts.jobs}`,
    ].join('\n'),
};
