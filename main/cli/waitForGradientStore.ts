import type { StudioCore } from '../core/studioCore';
import { waitForJob } from './runJobToEnd';

/** What training commands add to their result about the adapter's gradient store. */
export type GradientStoreOutcome = { job: string; records: number; dir: string; seconds: number } | { job: string; error: string };

/**
 * `--gradient-store`: after a training job whose adapter has datanet lineage, starts the adapter's
 * gradient store job (GradientStoreBuilds) and waits for it, echoing its progress, because closing
 * the core would cancel it. Without the flag the CLI leaves it (minutes of CPU for a few thousand
 * records) to the app's first attribution or `studio attribution index NAME --adapter A`. A failed
 * or cancelled store does not fail the training: the adapter is registered, attribution falls back
 * to exact spans, and its first use starts the store again.
 */
export async function waitForGradientStore(core: StudioCore, trainingJobId: string, info: (m: string) => void, wanted: boolean): Promise<GradientStoreOutcome | null> {
  if (!wanted) return null;
  const id = core.startGradientStoreAfter(trainingJobId);
  if (!id) return null;
  info('Building the adapter\'s gradient store for attribution (job attribution.gradients)');
  try {
    const r = (await waitForJob(core, id, info)).result as { records: number; dir: string; seconds: number };
    return { job: id, records: r.records, dir: r.dir, seconds: r.seconds };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    info(`warning: the gradient store was not built (${message}); attribution uses exact spans until it is`);
    return { job: id, error: message };
  }
}
