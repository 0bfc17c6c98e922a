import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AdapterRecord } from '../api/adaptersSchemas';
import { ErrorCode, StudioError } from '../api/apiError';
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS } from '../engine/peft/savePeftAdapter';
import { registeredAdapterFiles } from './storeAdapterFolder';

export type ExportTarget = 'vllm' | 'lorax';

/**
 * Writes a registered adapter for a multi-LoRA server on a GPU cluster: `OUT/<name>/` in PEFT
 * layout (base_model_name_or_path set to the base folder recorded with it), and `OUT/launch.sh`
 * with the command that serves the base with this adapter, which is also returned. Both servers
 * read PEFT folders unchanged; they differ only in how the adapter is named to them. The folder
 * is built beside OUT and renamed into place, so a failure leaves nothing half-written.
 */
export function exportAdapter(artifactsRoot: string, a: AdapterRecord, target: ExportTarget, out: string): { dir: string; adapterDir: string; command: string } {
  const dir = path.resolve(out);
  if (existsSync(dir)) throw new StudioError(ErrorCode.Conflict, `${dir} exists already; export writes a new folder.`, { out: dir });
  const files = registeredAdapterFiles(artifactsRoot, a);
  const base = a.base.path ?? 'BASE_MODEL_FOLDER';
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const adapterDir = path.join(tmp, a.name);
  mkdirSync(adapterDir, { recursive: true });
  try {
    const config = JSON.parse(readFileSync(files.config, 'utf8')) as Record<string, unknown>;
    config.base_model_name_or_path = base;
    writeFileSync(path.join(adapterDir, ADAPTER_CONFIG), `${JSON.stringify(config, null, 2)}\n`);
    copyFileSync(files.weights, path.join(adapterDir, ADAPTER_WEIGHTS));
    const finalAdapterDir = path.join(dir, a.name);
    const command = launchCommand(target, base, a, finalAdapterDir);
    writeFileSync(
      path.join(tmp, 'launch.sh'),
      `#!/bin/sh\n# ${a.name}: LoRA r=${a.rank} on ${base} (base sha256 digest ${a.base.digest}).\n# Exported by Attribution Studio for ${target}.\n${command}\n`,
      { mode: 0o755 },
    );
    renameSync(tmp, dir);
    return { dir, adapterDir: finalAdapterDir, command };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

function launchCommand(target: ExportTarget, base: string, a: AdapterRecord, adapterDir: string): string {
  if (target === 'vllm') {
    // vLLM names adapters with --lora-modules NAME=PATH and must be told the largest rank.
    return `vllm serve ${quote(base)} --enable-lora --max-lora-rank ${Math.max(8, a.rank)} --lora-modules ${quote(`${a.name}=${adapterDir}`)}`;
  }
  // LoRAX loads adapters per request (adapter_id + adapter_source "local"); the folder is mounted.
  return `docker run --gpus all --shm-size 1g -p 8080:80 -v ${quote(`${path.dirname(base)}:/models`)} -v ${quote(`${path.dirname(adapterDir)}:/adapters`)} ghcr.io/predibase/lorax:main --model-id ${quote(`/models/${path.basename(base)}`)}\n# then: {"inputs": "...", "parameters": {"adapter_id": "/adapters/${a.name}", "adapter_source": "local"}} to POST /generate`;
}

function quote(s: string): string {
  return /^[A-Za-z0-9_./=:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
