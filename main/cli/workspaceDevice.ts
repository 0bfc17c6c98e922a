import type { DeviceChoice } from '../api/schemas';
import { readSettings } from '../workspace/settingsStore';
import type { CommandContext } from './command';
import { withExistingReadonlyWorkspace } from './withReadonlyWorkspace';

/**
 * The workspace's engine.device setting (read without the lock), for commands that load a model
 * outside a job. 'auto' when the workspace does not exist yet: that is the setting's default.
 */
export function workspaceDevice(ctx: CommandContext): DeviceChoice {
  return withExistingReadonlyWorkspace(ctx, (db) => readSettings(db).engine.device) ?? 'auto';
}
