import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlaygroundService } from '../PlaygroundService';

// Which base the playground and /v1 serve: --model, else the setting, else the built-in default
// model once it is built ($STUDIO_DEFAULT_MODEL_DIR stands in for resources/default-model here).
describe('PlaygroundService.modelDir', () => {
  let defaultDir: string;
  const saved = process.env['STUDIO_DEFAULT_MODEL_DIR'];
  beforeEach(() => {
    defaultDir = mkdtempSync(path.join(tmpdir(), 'studio-default-model-'));
    process.env['STUDIO_DEFAULT_MODEL_DIR'] = defaultDir;
  });
  afterEach(() => {
    rmSync(defaultDir, { recursive: true, force: true });
    if (saved === undefined) delete process.env['STUDIO_DEFAULT_MODEL_DIR'];
    else process.env['STUDIO_DEFAULT_MODEL_DIR'] = saved;
  });
  const service = (model: string | null, modelOverride?: string) =>
    new PlaygroundService({ db: () => { throw new Error('unused'); }, root: () => '/unused', settings: () => ({ model }) as never, modelOverride });

  it('serves nothing while no model is set and the default model is not built', () => {
    expect(service(null).modelDir()).toBeNull();
  });

  it('falls back to the default model once it is built (its model card is there)', () => {
    writeFileSync(path.join(defaultDir, 'README.md'), '# card\n');
    expect(service(null).modelDir()).toBe(defaultDir);
  });

  it('takes "default" in the setting or --model, and a folder otherwise, --model first', () => {
    expect(service('default').modelDir()).toBe(defaultDir);
    expect(service('models/x').modelDir()).toBe(path.resolve('models/x'));
    expect(service('models/x', 'default').modelDir()).toBe(defaultDir);
    expect(service(null, '/m/y').modelDir()).toBe('/m/y');
  });

  it('refuses to serve a default model whose files do not match its card', async () => {
    writeFileSync(path.join(defaultDir, 'README.md'), '# card without hashes\n');
    await expect(service(null).base()).rejects.toMatchObject({ kind: 'model_invalid', message: expect.stringMatching(/lists no sha256/) });
  });
});
