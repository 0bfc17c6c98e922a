import type { DeviceChoice } from '../api/schemas';
import { DEMO_WORKSPACE } from '../workspace/studioHome';
import { readSettings } from '../workspace/settingsStore';
import { WorkspaceManager } from '../workspace/workspaceManager';
import type { CommandContext } from './command';

/**
 * The workspace's engine.device setting (read without the lock), for commands that load a model
 * outside a job. 'auto' when the workspace does not exist yet: that is the setting's default.
 */
export function workspaceDevice(ctx: CommandContext): DeviceChoice {
  const m = new WorkspaceManager(ctx.home);
  const name = (ctx.values.workspace as string | undefined) ?? DEMO_WORKSPACE;
  if (!m.exists(name)) return 'auto';
  const ro = m.openReadonly(name);
  try {
    return readSettings(ro.db).engine.device;
  } finally {
    ro.close();
  }
}
