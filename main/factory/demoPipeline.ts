// The demo workspace's pipeline (resources/demo.pipeline.yaml): a LoRA fine-tune of the default
// model on the demo datanet, small enough for a first start on 2 CPU cores. Found beside the
// default model's folder, which already knows where resources/ is from sources and bundles alike.
// STUDIO_DEMO_PIPELINE names another file: the tests' first starts train a few steps only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { defaultModelDir } from '../engine/defaultModel/defaultModelRecipe';

export function demoPipelineFile(): string {
  return process.env.STUDIO_DEMO_PIPELINE ? path.resolve(process.env.STUDIO_DEMO_PIPELINE) : path.join(path.dirname(defaultModelDir()), 'demo.pipeline.yaml');
}

export function readDemoPipeline(): { yaml: string; baseDir: string; adapter: string; name: string } {
  const file = demoPipelineFile();
  const yaml = readFileSync(file, 'utf8');
  // The adapter the run registers (the first start looks for it to know the fine-tune is done) and
  // the run's name (to find a demo run a killed start left, and resume it).
  const doc = parse(yaml) as { name?: unknown; adapter?: { name?: unknown } } | null;
  const adapter = doc?.adapter?.name;
  if (typeof adapter !== 'string' || adapter === '') throw new Error(`${file}: adapter.name: the demo pipeline must name its adapter`);
  return { yaml, baseDir: path.dirname(file), adapter, name: typeof doc?.name === 'string' ? doc.name : adapter };
}
