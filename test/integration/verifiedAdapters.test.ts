// Verified loading (OpenLoRA) against a real Anvil devnet and a real served core: adapters
// published in the ModelRegistry serve only when their files hash to the on-chain record; a file
// changed after publishing is refused naming it, on /v1 and in adapters.verify (the playground's
// picker marks); an unpublished adapter serves as before; a stopped chain makes it unverifiable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { ApiClient } from '../../main/api/apiClient';
import type { AdapterRecord, AdapterVerification } from '../../main/api/adaptersSchemas';
import { recordFilesHash } from '../../main/adapters/adapterVerification';
import { modelFingerprint } from '../../main/adapters/modelFingerprint';
import { readModelConfig } from '../../main/engine/modelConfig';
import { createLoraAdapter } from '../../main/engine/peft/createLoraAdapter';
import { savePeftAdapter } from '../../main/engine/peft/savePeftAdapter';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { runStudioInProcess } from '../support/runStudioInProcess';
import { connectClient, startServer } from '../support/startServer';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-verified-adapters-'));
const home = path.join(root, 'home');
const model = path.join(root, 'llama');
let ctx: Awaited<ReturnType<typeof startServer>>;
let client: ApiClient;
let socket: WebSocket;
const records: Record<string, AdapterRecord> = {};

async function statusWhere(pred: (s: { running: boolean; contracts: Record<string, string> }) => boolean): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (pred(await client.call('chain.status', {}))) return;
    if (Date.now() > deadline) throw new Error('the devnet never came up');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function complete(modelName: string): Promise<{ status: number; body: { choices?: { text: string }[]; error?: { message: string; code: string; param: string } } }> {
  const res = await fetch(`http://127.0.0.1:${ctx.server.port}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.server.token}` },
    body: JSON.stringify({ model: modelName, prompt: 'The fox', max_tokens: 3, temperature: 0 }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

const byName = (list: AdapterVerification[]) => Object.fromEntries(list.map((v) => [v.name, v]));

beforeAll(async () => {
  buildTestModel(model, { family: 'llama', seed: 8 });
  const spec = readModelConfig(model);
  for (const [name, seed] of [['trusted', 1], ['tampered', 2], ['plain', 3]] as const) {
    const dir = path.join(root, name);
    savePeftAdapter(dir, createLoraAdapter(spec, { r: 2, alpha: 4, targets: ['q_proj', 'v_proj'], seed, randomB: true, baseModelNameOrPath: model }));
    const r = await runStudioInProcess(home, ['adapters', 'import', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    records[name] = r.json() as AdapterRecord;
  }
  ctx = await startServer({ devnet: 'auto', home });
  ctx.core.setPlaygroundModel(model);
  ({ client, socket } = await connectClient(ctx.server));
  await statusWhere((s) => s.running && 'ModelRegistry' in s.contracts);
}, 240_000);

afterAll(async () => {
  socket?.close();
  await ctx?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('verified loading of published adapters', () => {
  it('marks every adapter unpublished until it is registered; registered ones verify against the chain', async () => {
    expect((await client.call('adapters.verify', {})).map((v) => v.status)).toEqual(['unpublished', 'unpublished', 'unpublished']);
    // Registered as `adapters publish` registers a run's adapter: its files hash under a base model.
    const base = await client.call('publications.publish', { kind: 'model.base', filesHash: `0x${(await modelFingerprint(model)).digest}`, uri: 'studio:model/llama' });
    for (const name of ['trusted', 'tampered']) {
      await client.call('publications.publish', {
        kind: 'model.adapter',
        baseModelId: String(base.result),
        filesHash: recordFilesHash(records[name]!),
        configHash: `0x${'11'.repeat(32)}`,
        datanetVersions: [],
        uri: `studio:adapter/${name}`,
      });
    }
    const v = byName(await client.call('adapters.verify', {}));
    expect(v['trusted']).toMatchObject({ status: 'verified', modelId: String(Number(base.result) + 1), file: null });
    expect(v['tampered']).toMatchObject({ status: 'verified', modelId: String(Number(base.result) + 2) });
    expect(v['plain']).toMatchObject({ status: 'unpublished', modelId: null, entry: null });
    // The registry entry as the chain holds it, the base model's files hash resolved.
    expect(v['trusted']!.entry).toEqual({
      owner: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
      uri: 'studio:adapter/trusted',
      filesHash: recordFilesHash(records['trusted']!),
      trainingConfigHash: `0x${'11'.repeat(32)}`,
      baseModelId: String(base.result),
      baseFilesHash: `0x${(await modelFingerprint(model)).digest}`,
      datanetVersions: [],
    });
    expect(v['trusted']!.localFilesHash).toBe(recordFilesHash(records['trusted']!));
  });

  it('refuses a published adapter whose weights file changed after publishing, naming the file, on /v1 and in adapters.verify', async () => {
    const info = await client.call('workspace.current', {});
    const sha = records['tampered']!.weightsSha256;
    const file = path.join(info.path, 'artifacts', 'sha256', sha.slice(0, 2), sha);
    // One byte of the last tensor's data: the file still parses, only its hash tells.
    fs.chmodSync(file, 0o644);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x40;
    fs.writeFileSync(file, bytes);

    const refused = await complete('tampered');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'adapter_unverified', param: 'model' });
    expect(refused.body.error!.message).toMatch(/Adapter "tampered" is refused: its files do not match model \d+ in the ModelRegistry on chain \d+: adapter_model\.safetensors \(.*\) has sha256 [0-9a-f]{64}, published as [0-9a-f]{64}/);

    const v = byName(await client.call('adapters.verify', { names: ['tampered', 'trusted'] }));
    expect(v['tampered']).toMatchObject({ status: 'mismatch', file: 'adapter_model.safetensors' });
    // Both hashes of the changed file, for the adapter's page.
    expect(v['tampered']!.changed).toEqual([{ file: 'adapter_model.safetensors', path: file, published: sha, actual: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(v['tampered']!.changed[0]!.actual).not.toBe(sha);
    expect(v['tampered']!.localFilesHash).not.toBe(recordFilesHash(records['tampered']!));
    expect(v['trusted']!.status).toBe('verified');

    // The untouched published adapter and the unpublished one serve.
    for (const name of ['trusted', 'plain']) {
      const ok = await complete(name);
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.choices).toHaveLength(1);
    }
  });

  it('studio generate --adapter NAME checks a published adapter against the chain as /v1 does: a changed file is refused, the others run', async () => {
    // Beside the running serve (the CLI reads the workspace without its lock, the devnet from chain/devnet.json).
    const gen = (name: string) => runStudioInProcess(home, ['generate', '--model', model, '--adapter', name, '--prompt', 'The fox', '--max-tokens', '2', '--json']);
    const refused = await gen('tampered');
    expect(refused.code).toBe(1);
    expect((refused.json() as { error: { code: string } }).error.code).toBe('ADAPTER_UNVERIFIED');
    expect(refused.stderr).toMatch(/Adapter "tampered" is refused: its files do not match model \d+ in the ModelRegistry on chain \d+: adapter_model\.safetensors \(.*\) has sha256 [0-9a-f]{64}, published as [0-9a-f]{64}/);
    for (const name of ['trusted', 'plain']) {
      const ok = await gen(name);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.json()).toMatchObject({ adapter: name });
      expect((ok.json() as { warnings?: string[] }).warnings).toBeUndefined();
    }
  });

  it('a published adapter whose chain cannot be read is marked unverifiable', async () => {
    await client.call('chain.stop', {});
    const v = byName(await client.call('adapters.verify', { names: ['trusted', 'plain'] }));
    expect(v['trusted']).toMatchObject({ status: 'unverifiable' });
    expect(v['trusted']!.message).toMatch(/devnet is not running/);
    expect(v['plain']!.status).toBe('unpublished');
    // The CLI runs it with the same warning instead of refusing it.
    const r = await runStudioInProcess(home, ['generate', '--model', model, '--adapter', 'trusted', '--prompt', 'The fox', '--max-tokens', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((r.json() as { warnings: string[] }).warnings).toEqual([expect.stringMatching(/adapter "trusted" is published as model \d+ on chain \d+, which cannot be read now \(the devnet is not running.*its files were not verified/)]);
  });
});
