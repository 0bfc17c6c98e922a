import { keccak256, stringToBytes } from 'viem';
import type { FieldMapping, RecordSchemaKind } from '../api/datanetSchemas';
import { canonicalJson } from './canonicalJson';
import { checkContributor } from './checkContributor';

export interface MappedRecord {
  sourceId: string;
  contributor: string;
  content: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** What search, signals and text training read. */
  text: string;
  /** keccak256 of the canonical content JSON: the recordHash of the on-chain leaf. */
  contentHash: string;
}

/** The fields a mapping reads for a schema, with their defaults. */
export function mappedFields(schema: RecordSchemaKind, m: FieldMapping): Record<string, string> {
  switch (schema) {
    case 'text':
      return { text: m.textField ?? 'text' };
    case 'instruction':
      return { prompt: m.promptField ?? 'prompt', response: m.responseField ?? 'response' };
    case 'chat':
      return { messages: m.messagesField ?? 'messages' };
    case 'labelled':
      return { text: m.textField ?? 'text', label: m.labelField ?? 'label' };
  }
}

/**
 * One source row as a record of the datanet's schema, or the reason it cannot be one (naming
 * the field). Fields the mapping does not read are kept as metadata. The content hash is keccak256
 * in JS here (the reference); imports hash whole batches natively (mapRowUnhashed, recordHashes.ts).
 */
export function mapRow(fields: Record<string, unknown>, schema: RecordSchemaKind, m: FieldMapping, fallbackId: string): MappedRecord | { error: string } {
  const r = mapRowUnhashed(fields, schema, m, fallbackId);
  if ('error' in r) return r;
  const { canonical, ...rest } = r;
  return { ...rest, contentHash: contentHashOf(canonical) };
}

/** keccak256 of the UTF-8 of the canonical content JSON: the on-chain recordHash (reference). */
export function contentHashOf(canonical: string): string {
  return keccak256(stringToBytes(canonical));
}

/** mapRow without the hash: the canonical content JSON that it hashes instead. */
export function mapRowUnhashed(
  fields: Record<string, unknown>,
  schema: RecordSchemaKind,
  m: FieldMapping,
  fallbackId: string,
): (Omit<MappedRecord, 'contentHash'> & { canonical: string }) | { error: string } {
  const wanted = mappedFields(schema, m);
  const content: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(wanted)) {
    const v = fields[field];
    if (v === undefined || v === null) return { error: `missing field "${field}"` };
    if (key === 'messages') {
      const messages = typeof v === 'string' ? tryJson(v) : v;
      if (!Array.isArray(messages) || messages.length === 0 || !messages.every((x) => x && typeof x.role === 'string' && typeof x.content === 'string')) {
        return { error: `field "${field}" must be a non-empty list of {role, content} messages` };
      }
      content[key] = messages.map((x: { role: string; content: string }) => ({ role: x.role, content: x.content }));
      continue;
    }
    const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
    if (s === null) return { error: `field "${field}" must be a string` };
    if (key !== 'label' && s.trim() === '') return { error: `field "${field}" is empty` };
    content[key] = s;
  }
  const idField = m.idField ?? (fields['id'] !== undefined ? 'id' : null);
  let sourceId = fallbackId;
  if (idField) {
    const v = fields[idField];
    if (v === undefined || v === null || v === '') return { error: `missing id field "${idField}"` };
    if (typeof v !== 'string' && typeof v !== 'number') return { error: `id field "${idField}" must be a string or number` };
    sourceId = String(v);
    if (sourceId.length > 512) return { error: `id field "${idField}" is longer than 512 characters` };
  }
  let contributorRaw: unknown = m.contributor;
  if (m.contributorField) {
    contributorRaw = fields[m.contributorField];
    if (contributorRaw === undefined) return { error: `missing contributor field "${m.contributorField}"` };
  }
  const who = checkContributor(contributorRaw);
  if ('error' in who) return who;
  const used = new Set([...Object.values(wanted), ...(idField ? [idField] : []), ...(m.contributorField ? [m.contributorField] : [])]);
  const metadata: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (!used.has(k)) metadata[k] = v;
  return { sourceId, contributor: who.address, content, metadata, text: recordText(schema, content), canonical: canonicalJson(content) };
}

/** The text a record is searched, checked and (for text schemas) trained by. */
export function recordText(schema: RecordSchemaKind, content: Record<string, unknown>): string {
  if (schema === 'instruction') return `${content['prompt']}\n\n${content['response']}`;
  if (schema === 'chat') return (content['messages'] as { role: string; content: string }[]).map((x) => `${x.role}: ${x.content}`).join('\n');
  return String(content['text']);
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
