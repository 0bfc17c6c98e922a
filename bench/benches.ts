import { apiRoundTrip } from './foundation/apiRoundTrip';
import { bundleSize } from './foundation/bundleSize';
import { serveColdStart } from './foundation/serveColdStart';

export interface Bench {
  run(): Promise<unknown>;
  /** Part of a plain `npm run bench`. */
  default: boolean;
}

/** Every benchmark by name. Capabilities add theirs here. */
export const benches: Record<string, Bench> = {
  'serve-cold-start': { run: serveColdStart, default: true },
  'api-round-trip': { run: apiRoundTrip, default: true },
  'bundle-size': { run: bundleSize, default: true },
};
