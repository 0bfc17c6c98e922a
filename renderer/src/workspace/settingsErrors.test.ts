import { describe, expect, it } from 'vitest';
import { markersFromError } from './settingsErrors';

const text = `{
  "displayName": "Demo",
  "editor": {
    "fontSize": 99
  }
}`;

describe('markersFromError', () => {
  it('uses line and column from details (syntax errors)', () => {
    expect(markersFromError({ message: 'Unexpected token at line 3, column 4', details: { line: 3, column: 4 } }, text)).toEqual([
      { line: 3, column: 4, message: 'Unexpected token at line 3, column 4', placed: true },
    ]);
  });

  it('places schema issues on the field they name', () => {
    const markers = markersFromError(
      { message: 'editor.fontSize: Too big', details: { issues: [{ path: 'editor.fontSize', message: 'Too big: expected <=32' }] } },
      text,
    );
    expect(markers).toEqual([{ line: 4, column: 5, message: 'editor.fontSize: Too big: expected <=32', placed: true }]);
  });

  it('accepts array paths and a leading params name', () => {
    const markers = markersFromError({ message: 'bad', details: { issues: [{ path: ['settings', 'editor', 'fontSize'], message: 'x' }] } }, text);
    expect(markers[0]).toMatchObject({ line: 4, column: 5 });
  });

  it('reads a line number from the message when there are no details', () => {
    expect(markersFromError({ message: 'settings.json line 2, column 7: bad value' }, text)[0]).toMatchObject({ line: 2, column: 7 });
  });

  it('marks an unknown top-level key on line 1 as placed when the path is empty', () => {
    const markers = markersFromError({ message: 'Unrecognized key', details: { issues: [{ path: '', message: 'Unrecognized key: "x"' }] } }, text);
    expect(markers[0]).toMatchObject({ line: 1, column: 1, placed: false });
  });

  it('never drops an error it cannot place', () => {
    expect(markersFromError({ message: 'something else' }, text)).toEqual([{ line: 1, column: 1, message: 'something else', placed: false }]);
  });
});
