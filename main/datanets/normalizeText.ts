/**
 * The form exact duplicates are compared in: Unicode NFC, case folded, every run of whitespace
 * one space, trimmed. "Hello  World\n" and "hello world" are the same record.
 */
export function normalizeText(text: string): string {
  // Only the whitespace runs that are not already one plain space are replaced: the same result as
  // replacing every /\s+/ with ' ', without a replacement per word (a third of the import's
  // per-record JS time when every single space was matched and rewritten).
  return text.normalize('NFC').toLowerCase().replace(/[^\S ]\s*| \s+/gu, ' ').trim();
}
