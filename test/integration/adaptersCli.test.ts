import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { readModelConfig } from '../../main/engine/modelConfig';
import { createLoraAdapter } from '../../main/engine/peft/createLoraAdapter';
import { loadPeftAdapter } from '../../main/engine/peft/loadPeftAdapter';
import { savePeftAdapter } from '../../main/engine/peft/savePeftAdapter';

/**
 * The adapter registry through the built CLI (`npm run build:node` first), as a user drives it: a
 * trained adapter registers itself with its run and base hashes; PEFT folders import (or are
 * refused with the reason); generate takes a registered name like a folder; merge, export, remove.
 */
const bin = path.resolve('bin/studio.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-adapters-cli-'));
const home = path.join(root, 'home');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function studio(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

const dirs = { gpt2: path.join(root, 'gpt2'), gpt2Other: path.join(root, 'gpt2-other'), llama: path.join(root, 'llama') };
const data = path.join(root, 'data.jsonl');
const PROMPT = 'Who keeps the data?';

beforeAll(() => {
  buildTestModel(dirs.gpt2, { family: 'gpt2', seed: 3 });
  // Same shapes, other weights: "another checkpoint of the base".
  buildTestModel(dirs.gpt2Other, { family: 'gpt2', seed: 4 });
  buildTestModel(dirs.llama, { family: 'llama', seed: 3 });
  fs.writeFileSync(data, ['{"prompt":"Who keeps the data?","response":" The curators."}', '{"text":"Training runs here."}'].join('\n') + '\n');
  // PEFT folders as another tool would hand them over.
  const gpt2Spec = readModelConfig(dirs.gpt2);
  savePeftAdapter(path.join(root, 'peft-style'), createLoraAdapter(gpt2Spec, { r: 4, alpha: 8, targets: ['c_attn', 'c_fc'], seed: 7, randomB: true, baseModelNameOrPath: dirs.gpt2 }));
  savePeftAdapter(path.join(root, 'peft-tone'), createLoraAdapter(gpt2Spec, { r: 2, alpha: 2, targets: ['c_attn'], seed: 8, randomB: true }));
  savePeftAdapter(path.join(root, 'for-llama'), createLoraAdapter(readModelConfig(dirs.llama), { r: 4, alpha: 8, targets: ['q_proj'], seed: 9, randomB: true }));
  fs.cpSync(path.join(root, 'peft-style'), path.join(root, 'corrupt'), { recursive: true });
  const w = path.join(root, 'corrupt', 'adapter_model.safetensors');
  fs.truncateSync(w, fs.statSync(w).size - 16);
});

describe('studio adapters', () => {
  it('a trained adapter is registered with its run, base hashes, rank and size', () => {
    const out = path.join(root, 'support-v1');
    const t = studio('train', '--model', dirs.gpt2, '--data', data, '--out', out, '--rank', '4', '--alpha', '8', '--steps', '3', '--batch', '2', '--seq', '16', '--json');
    expect(t.code, t.stderr).toBe(0);
    expect(t.json().registeredAs).toBe('support-v1');
    const list = studio('adapters', 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    const [a] = list.json();
    expect(a).toMatchObject({ name: 'support-v1', source: 'trained', rank: 4, alpha: 8, targets: ['c_attn'], run: t.json().runDir, base: { path: dirs.gpt2, arch: 'gpt2' } });
    expect(Object.keys(a.base.files)).toEqual(['config.json', 'model.safetensors']);
    expect(a.size).toBe(fs.statSync(path.join(out, 'adapter_model.safetensors')).size + fs.statSync(path.join(out, 'adapter_config.json')).size);
    // Its files are artifacts: the store's verification covers them.
    expect(studio('artifacts', 'list', '--json').json().map((x: { name: string }) => x.name)).toContain('support-v1/adapter_model.safetensors');
    expect(studio('artifacts', 'verify').code).toBe(0);
  });

  it('imports PEFT folders checked against the base; refuses another shape or a corrupt file with the reason', () => {
    const imported = studio('adapters', 'import', path.join(root, 'peft-style'), '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json()).toMatchObject({ name: 'peft-style', source: 'imported', rank: 4, modules: 4, importedFrom: path.join(root, 'peft-style') });
    expect(studio('adapters', 'import', path.join(root, 'peft-tone'), '--base', dirs.gpt2, '--name', 'tone').code).toBe(0);

    const noBase = studio('adapters', 'import', path.join(root, 'peft-tone'));
    expect(noBase.code).not.toBe(0);
    expect(noBase.stderr).toMatch(/base_model_name_or_path does not name a local model folder.*--base DIR/);

    const wrong = studio('adapters', 'import', path.join(root, 'for-llama'), '--base', dirs.gpt2, '--json');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/ADAPTER_INVALID|cannot serve/);
    expect(wrong.stderr).toMatch(/module "model\.layers\.0\.self_attn\.q_proj" does not exist in the gpt2 base model/);

    const corrupt = studio('adapters', 'import', path.join(root, 'corrupt'), '--name', 'broken');
    expect(corrupt.code).not.toBe(0);
    expect(corrupt.stderr).toMatch(/adapter_model\.safetensors/);
    // Nothing half-registered.
    expect(studio('adapters', 'list', '--json').json().map((a: { name: string }) => a.name).sort()).toEqual(['peft-style', 'support-v1', 'tone']);
  });

  it('list --query searches; show prints the lineage', () => {
    expect(studio('adapters', 'list', '--query', 'imported c_fc', '--json').json().map((a: { name: string }) => a.name)).toEqual(['peft-style']);
    expect(studio('adapters', 'list', '--query', 'trained', '--json').json().map((a: { name: string }) => a.name)).toEqual(['support-v1']);
    expect(studio('adapters', 'list', '--query', 'nothing-like-this', '--json').json()).toEqual([]);
    const show = studio('adapters', 'show', 'peft-style');
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/LoRA r=4 alpha=8 on c_attn, c_fc/);
    expect(show.stdout).toMatch(/model\.safetensors [0-9a-f]{64}/);
    const missing = studio('adapters', 'show', 'nope');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/No adapter named "nope"/);
  });

  it('generate --adapter takes a registered name as it takes the folder; another base checkpoint serves with a warning', () => {
    const args = ['generate', '--model', dirs.gpt2, '--prompt', PROMPT, '--max-tokens', '6', '--json'];
    const byDir = studio(...args, '--adapter', path.join(root, 'peft-style'));
    const byName = studio(...args, '--adapter', 'peft-style');
    const plain = studio(...args);
    expect(byName.code, byName.stderr).toBe(0);
    expect(byName.json().tokens).toEqual(byDir.json().tokens);
    expect(byName.json().adapter).toBe('peft-style');
    expect(byName.json().warnings).toBeUndefined();
    expect(byName.json().tokens).not.toEqual(plain.json().tokens);

    const other = studio('generate', '--model', dirs.gpt2Other, '--prompt', PROMPT, '--max-tokens', '2', '--json', '--adapter', 'peft-style');
    expect(other.code, other.stderr).toBe(0);
    expect(other.json().warnings[0]).toMatch(/recorded against another base checkpoint/);
    expect(other.stderr).toMatch(/warning: adapter "peft-style" was recorded against another base checkpoint/);

    const unknown = studio(...args, '--adapter', 'no-such-adapter');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no folder .* and no adapter named "no-such-adapter"/);
  });

  it('merge (cat) with a zero weight serves what the kept parent serves; lineage lists both parents', () => {
    const m = studio('adapters', 'merge', '--out', 'mix', 'peft-style:1', 'tone:0', '--json');
    expect(m.code, m.stderr).toBe(0);
    expect(m.json()).toMatchObject({ name: 'mix', source: 'merged', rank: 6, parents: [{ name: 'peft-style', weight: 1 }, { name: 'tone', weight: 0 }] });
    // The merge options are part of the lineage, as stored (read back by show), not only as returned.
    expect(studio('adapters', 'show', 'mix', '--json').json().merge).toEqual({ method: 'cat', density: null, seed: null });
    expect(studio('adapters', 'show', 'peft-style', '--json').json().merge).toBeNull();
    const args = ['generate', '--model', dirs.gpt2, '--prompt', PROMPT, '--max-tokens', '6', '--json'];
    const merged = studio(...args, '--adapter', 'mix').json().tokens as { id: number; logprob: number }[];
    const parent = studio(...args, '--adapter', 'peft-style').json().tokens as { id: number; logprob: number }[];
    expect(merged.map((t) => t.id)).toEqual(parent.map((t) => t.id));
    merged.forEach((t, i) => expect(Math.abs(t.logprob - parent[i]!.logprob)).toBeLessThan(1e-4));

    expect(studio('adapters', 'merge', '--out', 'mix', 'peft-style:1', 'tone:1').stderr).toMatch(/"mix" exists already/);
    expect(studio('adapters', 'merge', '--out', 'bad', 'peft-style:1', 'tone:1', '--combination', 'linear').stderr).toMatch(/equal ranks/);
    expect(studio('adapters', 'merge', '--out', 'bad', 'peft-style:x').stderr).toMatch(/at least two|NAME:WEIGHT/);
  });

  it('merge --method ties --density: a servable adapter of the same rank, lineage listing every parent; no density refused', () => {
    const tied = studio('adapters', 'merge', '--out', 'tied', 'peft-style:1', 'support-v1:0.5', '--method', 'ties', '--density', '0.5', '--json');
    expect(tied.code, tied.stderr).toBe(0);
    expect(tied.json()).toMatchObject({ name: 'tied', source: 'merged', rank: 4, parents: [{ name: 'peft-style', weight: 1 }, { name: 'support-v1', weight: 0.5 }] });
    expect(studio('adapters', 'show', 'tied', '--json').json().merge).toEqual({ method: 'ties', density: 0.5, seed: null });
    expect(studio('adapters', 'show', 'tied').stdout).toMatch(/^ {2}merge: ties, density 0\.5$/m);
    const gen = studio('generate', '--model', dirs.gpt2, '--prompt', PROMPT, '--max-tokens', '3', '--json', '--adapter', 'tied');
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.json().adapter).toBe('tied');
    expect(studio('adapters', 'merge', '--out', 'bad', 'peft-style:1', 'support-v1:1', '--method', 'ties').stderr).toMatch(/ties merging needs a density \(--density/);
  });

  it('merge --method dare_ties: the same --seed drops the same entries, another seed others; bad options refused before any work', () => {
    const dare = (out: string, seed: string) => studio('adapters', 'merge', '--out', out, 'peft-style:1', 'support-v1:1', '--method', 'dare_ties', '--density', '0.3', '--seed', seed, '--json');
    const d1 = dare('dare-a', '3');
    const d2 = dare('dare-b', '3');
    const d3 = dare('dare-c', '4');
    expect(d1.code, d1.stderr).toBe(0);
    expect(d2.json().weightsSha256).toBe(d1.json().weightsSha256);
    expect(d3.json().weightsSha256).not.toBe(d1.json().weightsSha256);
    // The seed that decided the drop is in each one's lineage.
    expect(studio('adapters', 'show', 'dare-c', '--json').json().merge).toEqual({ method: 'dare_ties', density: 0.3, seed: 4 });
    expect(studio('adapters', 'show', 'dare-a').stdout).toMatch(/^ {2}merge: dare_ties, density 0\.3, seed 3$/m);

    expect(studio('adapters', 'merge', '--out', 'bad', 'peft-style:1', 'support-v1:1', '--method', 'ties', '--density', '2').stderr).toMatch(/--density: "2" is not a number in \(0, 1\]/);
    expect(studio('adapters', 'merge', '--out', 'bad', 'peft-style:1', 'support-v1:1', '--method', 'magic').stderr).toMatch(/--method: "magic" is not one of cat, linear, ties, dare_linear, dare_ties/);
    expect(studio('adapters', 'list', '--json').json().map((a: { name: string }) => a.name)).not.toContain('bad');
  });

  it('export --for vllm writes a loadable PEFT folder and the launch command; remove forgets the name', () => {
    const out = path.join(root, 'export-vllm');
    const e = studio('adapters', 'export', 'peft-style', '--for', 'vllm', '--out', out, '--json');
    expect(e.code, e.stderr).toBe(0);
    expect(e.json().command).toBe(`vllm serve ${dirs.gpt2} --enable-lora --max-lora-rank 8 --lora-modules peft-style=${path.join(out, 'peft-style')}`);
    expect(fs.readFileSync(path.join(out, 'launch.sh'), 'utf8')).toContain(e.json().command);
    const back = loadPeftAdapter(path.join(out, 'peft-style'), readModelConfig(dirs.gpt2));
    expect(back.config).toMatchObject({ r: 4, baseModelNameOrPath: dirs.gpt2 });
    const lorax = studio('adapters', 'export', 'peft-style', '--for', 'lorax', '--out', path.join(root, 'export-lorax'), '--json');
    expect(lorax.json().command).toMatch(/ghcr\.io\/predibase\/lorax.*adapter_source": "local"/s);
    expect(studio('adapters', 'export', 'peft-style', '--for', 'vllm', '--out', out).stderr).toMatch(/exists already/);

    expect(studio('adapters', 'remove', 'tone').code).toBe(0);
    expect(studio('adapters', 'list', '--json').json().map((a: { name: string }) => a.name)).not.toContain('tone');
    // The merge's lineage still names its removed parent with the parent's file hashes.
    expect(studio('adapters', 'show', 'mix', '--json').json().parents[1]).toMatchObject({ name: 'tone', weight: 0 });
  });
});
