// GPT-2's reversible byte <-> printable-character map: bytes that are printable Latin-1
// ('!'..'~', '¡'..'¬', '®'..'ÿ') map to themselves, the other 68 to U+0100 onwards in byte order.
// BPE then works on characters that are never whitespace or control codes.
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const out: string[] = [];
  let next = 0;
  for (let b = 0; b < 256; b++) out.push(String.fromCodePoint(printable(b) ? b : 256 + next++));
  return out;
})();

export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

const utf8 = new TextEncoder();

/** The byte-level spelling of a string: its UTF-8 bytes, each as its mapped character. */
export function toByteLevel(s: string): string {
  let out = '';
  for (const b of utf8.encode(s)) out += BYTE_TO_CHAR[b]!;
  return out;
}
