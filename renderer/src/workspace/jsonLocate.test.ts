import { describe, expect, it } from 'vitest';
import { locateJsonPath, offsetToPosition } from './jsonLocate';

const text = `{
  "displayName": "Demo",
  "jobs": { "maxConcurrent": 2 },
  "editor": {
    "fontSize": 99,
    "wordWrap": "off"
  },
  "list": [1, {"deep": true}]
}`;

describe('locateJsonPath', () => {
  it('finds nested keys (1-based line and column of the key)', () => {
    expect(locateJsonPath(text, ['editor', 'fontSize'])).toEqual({ line: 5, column: 5 });
    expect(locateJsonPath(text, ['jobs', 'maxConcurrent'])).toEqual({ line: 3, column: 13 });
    expect(locateJsonPath(text, ['displayName'])).toEqual({ line: 2, column: 3 });
  });

  it('finds array elements', () => {
    expect(locateJsonPath(text, ['list', 1, 'deep'])).toEqual({ line: 8, column: 16 });
  });

  it('falls back to the deepest ancestor that exists', () => {
    expect(locateJsonPath(text, ['editor', 'missing'])).toEqual({ line: 4, column: 3 });
    expect(locateJsonPath(text, ['nowhere'])).toBeNull();
  });

  it('does not match a same-named key elsewhere', () => {
    const t = '{"a": {"x": 1}, "b": {"x": 2}}';
    expect(locateJsonPath(t, ['b', 'x'])).toEqual({ line: 1, column: 23 });
  });

  it('tolerates broken JSON before the break', () => {
    expect(locateJsonPath('{\n "a": 1,\n "b": ', ['a'])).toEqual({ line: 2, column: 2 });
  });

  it('converts offsets', () => {
    expect(offsetToPosition('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
