// The demo workspace's pipeline (resources/demo.pipeline.yaml): a LoRA fine-tune of the default
// model on the demo datanet, small enough for a first start on 2 CPU cores. Found beside the
// default model's folder, which already knows where resources/ is from sources and bundles alike.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultModelDir } from '../engine/defaultModel/defaultModelRecipe';

export function demoPipelineFile(): string {
  return path.join(path.dirname(defaultModelDir()), 'demo.pipeline.yaml');
}

export function readDemoPipeline(): { yaml: string; baseDir: string } {
  const file = demoPipelineFile();
  return { yaml: readFileSync(file, 'utf8'), baseDir: path.dirname(file) };
}
