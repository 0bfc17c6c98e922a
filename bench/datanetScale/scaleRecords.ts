// The scale bench's source rows: real prose recombined (sentences of every State of the Union
// address, drawn by a seeded generator until a record passes ~1,000 characters), with the kinds
// of trouble a community datanet has, at fixed rates so every signal filter has real work:
//   1 in 50 an exact copy of a recent record (case and spacing changed: the normalised text is
//   the same), 1 in 50 a near copy (one word changed), 1 in 100 an e-mail address, 1 in 500 a
//   phone number, 1 in 2,000 a card number that passes the Luhn check, 1 in 100 spam (a phrase
//   repeated: repeated n-grams), 1 in 250 one line repeated (repeated lines), 1 in 400 symbol
//   noise, 1 in 1,000 a two-word record (too short).
// Contributors: 500 addresses, the first few contributing far more than the rest (a record's
// contributor is the square of a uniform draw scaled to 500, so shares fall off like 1/sqrt).
import { rng, sotuSentences } from '../datanetImport';

export const SCALE_CONTRIBUTORS = 500;

/** The k-th contributor: a fixed lowercase address (lowercase carries no checksum; the import stores EIP-55). */
export function scaleContributor(k: number): string {
  return `0x${(0xc0ffee00 + k).toString(16).padStart(8, '0')}${'5ca1ab1e'.repeat(4)}`;
}

/** A 16-digit number that passes the Luhn check, from a 15-digit seed. */
function luhnCard(seed: number): string {
  const body = `4${String(seed).padStart(14, '0').slice(-14)}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d *= 2;
    if (d > 9) d -= 9;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

export type ScaleRow = {
  id: string;
  text: string;
  who: string;
};

/** The first n rows, deterministic. */
export function* scaleRecords(n: number): Generator<ScaleRow> {
  const sentences = sotuSentences();
  const rand = rng(1905);
  const recent: string[] = [];
  const pick = () => sentences[Math.floor(rand() * sentences.length)]!;
  for (let i = 0; i < n; i++) {
    const who = scaleContributor(Math.floor(rand() * rand() * SCALE_CONTRIBUTORS));
    let text: string;
    if (i > 100 && i % 50 === 0) text = recent[Math.floor(rand() * recent.length)]!.toUpperCase().replace(/ /g, '  ');
    else if (i > 100 && i % 50 === 25) text = recent[Math.floor(rand() * recent.length)]!.replace(/ the /, ' a ');
    else if (i % 1000 === 999) text = 'ok thanks';
    else if (i % 400 === 13) text = `${pick()} ${'#$%&*@!~^'.repeat(30)} ${pick()}`;
    else if (i % 250 === 17) text = Array(6).fill(pick()).join('\n');
    else if (i % 100 === 41) text = `${pick()} ${'buy cheap watches now '.repeat(30)}`;
    else {
      const parts: string[] = [];
      let len = 0;
      while (len < 1000) {
        const s = pick();
        parts.push(s);
        len += s.length + 1;
      }
      text = parts.join(' ');
      if (i % 100 === 7) text += ` Write to clerk${i}@harbour.example.`;
      if (i % 500 === 11) text += ` Call +1 202 555 ${String(1000 + (i % 9000)).padStart(4, '0')}.`;
      if (i % 2000 === 3) text += ` Card ${luhnCard(i)} expires soon.`;
      text += ` (${i})`;
      if (recent.length < 1000) recent.push(text);
      else recent[i % 1000] = text;
    }
    yield { id: `r${i}`, text, who };
  }
}
