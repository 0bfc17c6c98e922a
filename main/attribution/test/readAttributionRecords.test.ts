import { describe, expect, it } from 'vitest';
import { parseAttributionRecords } from '../readAttributionRecords';

describe('parseAttributionRecords', () => {
  it('takes source ids from a datanet snapshot and line numbers from training JSONL', () => {
    const snap = '{"id":"imp-1:0","contributor":"0x00","recordHash":"00","content":{"text":"a"}}\n\n{"id":"imp-1:1","content":{"prompt":"p","response":"r"}}\n';
    expect(parseAttributionRecords(snap, 's.jsonl')).toEqual([
      { id: 'imp-1:0', record: { kind: 'text', text: 'a' } },
      { id: 'imp-1:1', record: { kind: 'chat', prompt: 'p', response: 'r' } },
    ]);
    expect(parseAttributionRecords('{"text":"a"}\n\n{"text":"b"}\n', 't.jsonl').map((r) => r.id)).toEqual(['1', '3']);
  });

  it('names the file and line of a bad record, never its content', () => {
    expect(() => parseAttributionRecords('{"text":"a"}\n{"text": secret', 'd.jsonl')).toThrow(/^d\.jsonl:2: /);
    expect(() => parseAttributionRecords('{"text":"a"}\n{"text": secret', 'd.jsonl')).not.toThrow(/secret/);
    expect(() => parseAttributionRecords('{"id":"x","content":{"txt":"a"}}', 'd.jsonl')).toThrow('d.jsonl:1: a record needs a string "text"');
    expect(() => parseAttributionRecords('{"id":7,"content":{"text":"a"}}', 'd.jsonl')).toThrow('d.jsonl:1: a snapshot record needs a string "id"');
    expect(() => parseAttributionRecords('{"id":"x","content":{"text":"a"}}\n{"id":"x","content":{"text":"b"}}', 'd.jsonl')).toThrow('d.jsonl:2: record id "x" appears twice');
    expect(() => parseAttributionRecords('\n', 'd.jsonl')).toThrow('d.jsonl: no records');
  });
});
