import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { formatSettings, parseSettingsText, readSettings, settingsJsonSchema } from '../settingsStore';
import { WorkspaceManager } from '../workspaceManager';

describe('settings', () => {
  it('round-trips the defaults through the editable text', () => {
    const m = new WorkspaceManager(tempDir());
    m.create('alpha');
    const ws = m.open('alpha', 'test');
    try {
      const s = readSettings(ws.db);
      expect(parseSettingsText(formatSettings(s))).toEqual(s);
    } finally {
      ws.close();
    }
  });

  it('names the line and column of a JSON syntax error', () => {
    expect(() => parseSettingsText('{\n  "displayName": "x",\n  oops\n}')).toThrow(/settings\.json, line 3, column 3/);
  });

  it('names the failing field of a schema error', () => {
    const text = JSON.stringify({ displayName: 'x', jobs: { maxConcurrent: 99 }, editor: { fontSize: 13, wordWrap: 'off' }, chain: { chainId: 1, currencySymbol: 'OPEN', blockTimeSeconds: 0 } });
    expect(() => parseSettingsText(text)).toThrow(/jobs\.maxConcurrent/);
    expect(() => parseSettingsText(text.replace('"displayName"', '"typo"'))).toThrow(/displayName|typo/);
  });

  it('publishes a JSON schema for editors', () => {
    expect(settingsJsonSchema).toMatchObject({ type: 'object', properties: { jobs: { type: 'object' } } });
  });
});
