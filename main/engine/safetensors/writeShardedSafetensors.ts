// Writes tensors as HF-style shards `model-0000i-of-0000n.safetensors` plus the index file,
// splitting greedily in name order once a shard passes `maxShardBytes`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors, type WriteSafetensorsOptions } from './writeSafetensors';
import { INDEX_FILE } from './openModelWeights';
import type { Tensor } from '../tensor';

export function writeShardedSafetensors(dir: string, tensors: ReadonlyMap<string, Tensor>, maxShardBytes: number, opts: WriteSafetensorsOptions = {}): string[] {
  const names = [...tensors.keys()].sort();
  const width = (name: string) => ((opts.dtypeOf?.(name) ?? opts.dtype ?? 'F32') === 'F32' ? 4 : 2);
  const groups: string[][] = [[]];
  let size = 0;
  let total = 0;
  for (const n of names) {
    const bytes = tensors.get(n)!.data.length * width(n);
    if (size > 0 && size + bytes > maxShardBytes) {
      groups.push([]);
      size = 0;
    }
    groups[groups.length - 1]!.push(n);
    size += bytes;
    total += bytes;
  }
  const pad = (i: number) => String(i).padStart(5, '0');
  const weightMap: Record<string, string> = {};
  const files: string[] = [];
  groups.forEach((g, i) => {
    const file = `model-${pad(i + 1)}-of-${pad(groups.length)}.safetensors`;
    writeSafetensors(join(dir, file), new Map(g.map((n) => [n, tensors.get(n)!])), { ...opts, metadata: { format: 'pt', ...opts.metadata } });
    for (const n of g) weightMap[n] = file;
    files.push(file);
  });
  writeFileSync(join(dir, INDEX_FILE), JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 2));
  return files;
}
