import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUCTION_TEMPLATE } from '../../../main/api/pipelineSchemas';
import { formatForPreview, INSTRUCTION_TEMPLATE } from './formatPreview';

const qa = { text: 'Q A', content: { prompt: 'Who keeps it?', response: ' The curators.' } };

describe('format preview', () => {
  it("uses the core's default instruction template", () => {
    expect(INSTRUCTION_TEMPLATE).toBe(DEFAULT_INSTRUCTION_TEMPLATE);
  });

  it('trains on the whole text for kind text', () => {
    expect(formatForPreview({ kind: 'text' }, qa)).toEqual({ ok: true, masked: '', trained: 'Q A' });
  });

  it('masks the templated prompt for instruction records, unless response-only loss is off', () => {
    expect(formatForPreview({ kind: 'instruction' }, qa)).toEqual({ ok: true, masked: INSTRUCTION_TEMPLATE.replace('{prompt}', 'Who keeps it?'), trained: ' The curators.' });
    expect(formatForPreview({ kind: 'instruction', template: 'Q: {prompt}\nA:', responseOnlyLoss: false }, qa)).toEqual({ ok: true, masked: '', trained: 'Q: Who keeps it?\nA: The curators.' });
  });

  it('says why a record cannot be shown', () => {
    expect(formatForPreview({ kind: 'instruction' }, { text: 'x', content: { text: 'x' } })).toMatchObject({ ok: false, reason: expect.stringContaining('{prompt, response}') });
    expect(formatForPreview({ kind: 'chat' }, qa)).toMatchObject({ ok: false });
  });
});
