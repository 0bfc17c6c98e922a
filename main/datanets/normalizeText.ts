/**
 * The form exact duplicates are compared in: Unicode NFC, case folded, every run of whitespace
 * one space, trimmed. "Hello  World\n" and "hello world" are the same record.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}
