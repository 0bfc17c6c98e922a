// The demo setup's background when no datanet is named: the records of the demo datanet
// `state-of-the-union` (sotuPassages.ts: the same passages, source ids and demo contributors
// `studio datanet demo` imports), so `studio eval attribution` with no arguments measures the
// default model on the data a first start trains the demo adapter on.
import { sotuPassages } from '../../datanets/demo/sotuPassages';
import type { EvalRecord } from './plantFacts';
import { sampleBackground } from './sampleBackground';

export const DEMO_BACKGROUND_FROM = 'the demo corpus (the state-of-the-union demo datanet\'s passages, one demo contributor per president)';

export function demoBackgroundRecords(count: number, seed: number): EvalRecord[] {
  return sampleBackground(
    sotuPassages().map((p) => ({ sourceId: p.id, contributor: p.contributor, text: p.text })),
    count,
    seed,
  );
}
