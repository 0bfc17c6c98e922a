import { DEMO_WORKSPACE } from '../workspace/studioHome';
import type { Db } from '../workspace/openDatabase';
import { WorkspaceManager } from '../workspace/workspaceManager';
import type { CommandContext } from './command';

/** Reads a workspace without its lock (safe beside a running writer thanks to WAL). */
export function withReadonlyWorkspace<T>(ctx: CommandContext, fn: (db: Db, name: string, root: string) => T): T {
  const m = new WorkspaceManager(ctx.home);
  m.ensureDemo();
  const name = (ctx.values.workspace as string | undefined) ?? DEMO_WORKSPACE;
  const ro = m.openReadonly(name);
  try {
    return fn(ro.db, name, ro.root);
  } finally {
    ro.close();
  }
}
