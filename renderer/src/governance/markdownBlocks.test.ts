import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from './markdownBlocks';

describe('proposal Markdown', () => {
  it('splits headings, paragraphs, lists and fenced code', () => {
    const blocks = parseMarkdown('# Raise the threshold\n\nFewer, **larger** shares\nfor everyone.\n\n- cheaper\n- fairer\n\n1. one\n2. two\n\n```\nx = 1\n```');
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'list', 'code']);
    expect(blocks[0]).toEqual({ kind: 'heading', level: 1, spans: [{ kind: 'text', text: 'Raise the threshold' }] });
    expect(blocks[1]).toEqual({
      kind: 'paragraph',
      spans: [
        { kind: 'text', text: 'Fewer, ' },
        { kind: 'strong', text: 'larger' },
        { kind: 'text', text: ' shares for everyone.' },
      ],
    });
    expect(blocks[2]).toMatchObject({ ordered: false, items: [[{ text: 'cheaper' }], [{ text: 'fairer' }]] });
    expect(blocks[3]).toMatchObject({ ordered: true, items: [[{ text: 'one' }], [{ text: 'two' }]] });
    expect(blocks[4]).toEqual({ kind: 'code', text: 'x = 1' });
  });

  it('keeps markup as text: nothing in a description becomes HTML', () => {
    expect(parseInline('<img src=x onerror=alert(1)> and `setAttributionThreshold` *now*')).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)> and ' },
      { kind: 'code', text: 'setAttributionThreshold' },
      { kind: 'text', text: ' ' },
      { kind: 'em', text: 'now' },
    ]);
  });
});
