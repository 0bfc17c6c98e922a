// Keeps a devnet alive: when Anvil exits without being asked to (crash, OOM kill, a user's
// `kill -9`), it is started again with the same options and, where possible, the same port, so
// the RPC URL the app handed out stays valid. With --state and --state-interval the chain comes
// back with its blocks (at most one interval lost); the app then reconciles its records.
import { startAnvil, type AnvilExit, type AnvilOptions, type AnvilProcess } from './anvilProcess.js';

export interface SupervisorHooks {
  /** After a restart: the new process and why the old one ended. */
  onRestart?: (anvil: AnvilProcess, previousExit: AnvilExit) => void;
  /** When restarting failed `maxRestarts` times in a row: the devnet stays down. */
  onGiveUp?: (error: unknown) => void;
  /** Consecutive failed restarts before giving up. Default 3. */
  maxRestarts?: number;
  /** Wait before each restart, in ms, so a crash loop does not spin. Default 250. */
  restartDelayMs?: number;
}

export interface SupervisedAnvil {
  /** The live process (replaced after each restart). */
  readonly current: AnvilProcess;
  readonly restarts: number;
  /** Stops Anvil for good (no restart follows). */
  stop(): Promise<AnvilExit>;
}

export async function superviseAnvil(options: AnvilOptions, hooks: SupervisorHooks = {}): Promise<SupervisedAnvil> {
  let current = await startAnvil(options);
  let restarts = 0;
  let stopping = false;
  const maxRestarts = hooks.maxRestarts ?? 3;
  const delay = hooks.restartDelayMs ?? 250;

  const restart = async (exit: AnvilExit): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      await new Promise((r) => setTimeout(r, delay));
      if (stopping) return;
      try {
        // Same port first, so rpcUrl does not change; any free port if it was taken meanwhile.
        const next = await startAnvil({ ...options, port: current.port }).catch(() => startAnvil({ ...options, port: 0 }));
        if (stopping) {
          await next.stop();
          return;
        }
        current = next;
        restarts += 1;
        watch(next);
        hooks.onRestart?.(next, exit);
        return;
      } catch (err) {
        if (attempt >= maxRestarts) {
          hooks.onGiveUp?.(err);
          return;
        }
      }
    }
  };

  const watch = (anvil: AnvilProcess) => {
    void anvil.exited.then((exit) => {
      if (!stopping && !exit.requested && anvil === current) void restart(exit);
    });
  };
  watch(current);

  return {
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    stop() {
      stopping = true;
      return current.stop();
    },
  };
}
