import { describe, expect, it } from 'vitest';
import { pipelineJsonSchema } from '../../../main/api/pipelineSchemas';
import { keyOnLine, keysAt, sectionAt } from './schemaKeys';

const lines = ['pipeline: 1', 'lora:', '  rank: 8', '  ', 'train:', '  steps: 10', ''];

describe('pipeline keys from the JSON Schema', () => {
  it('finds the section a line is in by indentation', () => {
    expect(sectionAt(lines, 2)).toEqual(['lora']);
    expect(sectionAt(lines, 3)).toEqual(['lora']);
    expect(sectionAt(lines, 5)).toEqual(['train']);
    expect(sectionAt(lines, 6)).toEqual([]);
  });

  it("offers a section's keys with type and default, and describes the key on a line", () => {
    const lora = keysAt(pipelineJsonSchema, ['lora']).map((k) => k.key);
    expect(lora).toEqual(['targets', 'rank', 'alpha', 'dropout', 'rslora']);
    expect(keysAt(pipelineJsonSchema, []).map((k) => k.key)).toContain('evaluate');
    expect(keyOnLine(pipelineJsonSchema, lines, 2)).toMatchObject({ key: 'rank', detail: 'integer 1..4096 · default 8' });
    expect(keyOnLine(pipelineJsonSchema, lines, 5)?.description).toMatch(/steps or epochs/);
  });
});
