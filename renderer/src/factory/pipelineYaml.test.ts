import { describe, expect, it } from 'vitest';
import { pipelineIssues } from './pipelineMarkers';
import { parsePipeline, setInPipeline } from './pipelineYaml';

const TEXT = `pipeline: 1
# the records
datanet:
  name: notes
lora:
  targets: [q, v]
  rank: 8
train:
  steps: 10
`;

describe('pipeline YAML as the one document', () => {
  it('sets a field in place, keeping comments, order and the other values', () => {
    const out = setInPipeline(TEXT, ['lora', 'rank'], 16);
    expect(out).toBe(TEXT.replace('rank: 8', 'rank: 16'));
    expect(parsePipeline(out).value).toMatchObject({ lora: { rank: 16, targets: ['q', 'v'] } });
  });

  it('creates a missing section and deletes a field set to undefined', () => {
    const added = setInPipeline(TEXT, ['split', 'evalFraction'], 0.2);
    expect(parsePipeline(added).value).toMatchObject({ split: { evalFraction: 0.2 } });
    const removed = setInPipeline(TEXT, ['train', 'steps'], undefined);
    expect(parsePipeline(removed).value?.train).toEqual({});
    expect(setInPipeline(TEXT, ['lora', 'targets'], ['q', 'k', 'v'])).toContain('targets: [q, k, v]');
  });

  it('leaves text that does not parse unchanged and reports where it breaks', () => {
    const broken = 'datanet:\n  name: [unclosed\n';
    expect(setInPipeline(broken, ['lora', 'rank'], 4)).toBe(broken);
    const issues = pipelineIssues(broken, []);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it("places the core's errors on the field's value, or on the key of a section when the field is missing", () => {
    const [rank, missing] = pipelineIssues(TEXT, [
      { node: 'lora', field: 'rank', message: 'too big' },
      { node: 'train', field: 'lr', message: 'required' },
    ]);
    expect(rank).toMatchObject({ line: 7, column: 9, endColumn: 10, message: 'lora.rank: too big' });
    expect(missing).toMatchObject({ line: 8, column: 1, endColumn: 6 });
    const [target] = pipelineIssues(TEXT, [{ node: 'lora', field: 'targets.1', message: 'no such module' }]);
    expect(target).toMatchObject({ line: 6, column: 16 });
  });
});
