import { StudioCore } from '../core/studioCore';
import type { CommandContext } from './command';

/** Opens the workspace for writing (taking its lock) for the length of one command. */
export async function withCore<T>(ctx: CommandContext, fn: (core: StudioCore) => Promise<T>): Promise<T> {
  const core = StudioCore.open({ home: ctx.home, mode: 'embedded', ...(ctx.values.workspace ? { workspace: String(ctx.values.workspace) } : {}) });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}
