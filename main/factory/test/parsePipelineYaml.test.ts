import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineJsonSchema } from '../../api/pipelineSchemas';
import { parsePipelineYaml } from '../parsePipelineYaml';

const minimal = ['pipeline: 1', 'datanet:', '  name: stories', 'train:', '  steps: 10', 'adapter:', '  name: a1', ''].join('\n');

describe('parsePipelineYaml', () => {
  it('fills every node default around the required ones', () => {
    const r = parsePipelineYaml(minimal);
    expect(r.errors).toEqual([]);
    expect(r.pipeline).toMatchObject({ split: { evalFraction: 0.1, by: 'random', seed: 0 }, format: { kind: 'text' }, model: { base: 'default' }, lora: { rank: 8 }, publish: { enabled: false } });
  });

  it('refuses an unknown field with its node, path and line', () => {
    const r = parsePipelineYaml(minimal.replace('  steps: 10', '  steps: 10\n  stpes: 3'));
    expect(r.pipeline).toBeNull();
    expect(r.errors).toEqual([{ node: 'train', field: 'stpes', message: 'unknown field "train.stpes"', line: 6 }]);
  });

  it('refuses an unknown node at the top level', () => {
    const r = parsePipelineYaml(`${minimal}loop:\n  back: train\n`);
    expect(r.errors).toEqual([{ node: 'pipeline', field: 'loop', message: 'unknown field "loop"', line: 8 }]);
  });

  it('names the node of an invalid value and the line it is on', () => {
    const r = parsePipelineYaml(minimal.replace('datanet:', 'split:\n  evalFraction: 0.9\ndatanet:'));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ node: 'split', field: 'evalFraction', line: 3 });
  });

  it('asks for exactly one of steps and epochs', () => {
    const r = parsePipelineYaml(minimal.replace('  steps: 10', '  steps: 10\n  epochs: 2'));
    expect(r.errors[0]).toMatchObject({ node: 'train', field: 'steps', message: 'give exactly one of steps and epochs', line: 5 });
  });

  it('reports YAML syntax errors on their line', () => {
    const r = parsePipelineYaml('pipeline: 1\ndatanet: [unclosed\n');
    expect(r.pipeline).toBeNull();
    expect(r.errors[0]!.node).toBe('pipeline');
    expect(r.errors[0]!.message).toMatch(/^YAML: /);
    expect(r.errors[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('parses the demo pipeline shipped in resources/', () => {
    const text = fs.readFileSync(path.join(__dirname, '../../../resources/demo.pipeline.yaml'), 'utf8');
    const r = parsePipelineYaml(text);
    expect(r.errors).toEqual([]);
    expect(r.pipeline?.train.steps).toBe(150);
    expect(r.pipeline?.lora.targets).toEqual(['q', 'k', 'v', 'o', 'gate', 'up', 'down']);
  });

  it('exports a JSON Schema that refuses unknown fields, for the editor', () => {
    const props = pipelineJsonSchema['properties'] as Record<string, { additionalProperties?: unknown }>;
    expect(Object.keys(props)).toEqual(expect.arrayContaining(['datanet', 'split', 'format', 'model', 'lora', 'train', 'evaluate', 'adapter', 'publish']));
    expect(pipelineJsonSchema['additionalProperties']).toBe(false);
    expect(props['train']!.additionalProperties).toBe(false);
  });
});
