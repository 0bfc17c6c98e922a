import { DEMO_WORKSPACE } from '../workspace/studioHome';
import type { Db } from '../workspace/openDatabase';
import { WorkspaceManager } from '../workspace/workspaceManager';
import type { CommandContext } from './command';

type ReadFn<T> = (db: Db, name: string, root: string) => T;

/** Reads a workspace without its lock (safe beside a running writer thanks to WAL). */
export function withReadonlyWorkspace<T>(ctx: CommandContext, fn: ReadFn<T>): T {
  const m = new WorkspaceManager(ctx.home);
  m.ensureDemo();
  return read(m, workspaceName(ctx), fn);
}

/** The same for commands that must not create anything: undefined when the workspace does not exist. */
export function withExistingReadonlyWorkspace<T>(ctx: CommandContext, fn: ReadFn<T>): T | undefined {
  const m = new WorkspaceManager(ctx.home);
  const name = workspaceName(ctx);
  return m.exists(name) ? read(m, name, fn) : undefined;
}

function workspaceName(ctx: CommandContext): string {
  return (ctx.values.workspace as string | undefined) ?? DEMO_WORKSPACE;
}

function read<T>(m: WorkspaceManager, name: string, fn: ReadFn<T>): T {
  const ro = m.openReadonly(name);
  try {
    return fn(ro.db, name, ro.root);
  } finally {
    ro.close();
  }
}
