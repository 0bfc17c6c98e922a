import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import { inspectModel, type ModelInspection } from '../../engine/inspectModel';
import { readModelConfig } from '../../engine/modelConfig';
import { loadPeftAdapter } from '../../engine/peft/loadPeftAdapter';
import { exportGguf } from '../../engine/gguf/exportGguf';
import { exportOnnx, isOnnxFilePath } from '../../engine/onnx/exportOnnx';
import { exportHfModel } from '../../engine/exportHfModel';
import { resolveModelArgument } from '../../engine/defaultModel/resolveModelArgument';
import { UsageError, type Command } from '../command';

// Model commands read a folder and write files the user names: no workspace, so no lock.

/** Engine errors (a bad config.json, a truncated safetensors) are the user's input at fault. */
function asModelError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StudioError) throw err;
    throw new StudioError('MODEL_INVALID', err instanceof Error ? err.message : String(err));
  }
}

export const modelInspect: Command = {
  path: ['model', 'inspect'],
  usage: 'studio model inspect (DIR|default | --model DIR|default) [--json]',
  summary: 'Architecture, sizes, dtype and tokenizer of a Hugging Face model folder (default: the built-in model, files checked)',
  // --model as generate and train spell it, besides the positional folder.
  options: { model: { type: 'string' } },
  async run(ctx) {
    const dir = ctx.positionals[0] ?? (typeof ctx.values.model === 'string' ? ctx.values.model : undefined);
    if (!dir) throw new UsageError('model inspect needs a model folder DIR (or default)');
    return asModelError(() => inspectModel(resolveModelArgument(dir)));
  },
  human: (m: ModelInspection) =>
    [
      `${m.dir}`,
      `  ${m.modelType} (${m.spec.arch}): ${m.spec.numLayers} layers, hidden ${m.spec.hiddenSize}, ${m.spec.numHeads} heads (${m.spec.numKvHeads} kv), vocab ${m.spec.vocabSize}, context ${m.spec.maxPositions}`,
      `  ${m.parameterCount.toLocaleString('en-US')} parameters, ${m.dtype}, ${m.shards.join(', ')}`,
      m.tokenizer ? `  tokenizer ${m.tokenizer.kind}, ${m.tokenizer.vocabSize} tokens, BOS ${m.tokenizer.bosToken ?? '-'}, EOS ${m.tokenizer.eosToken ?? '-'}${m.tokenizer.chatTemplate ? ', chat template' : ''}` : '  no tokenizer.json',
    ].join('\n'),
};

const FORMATS = ['hf', 'gguf', 'onnx'] as const;

export interface ModelExportResult {
  format: (typeof FORMATS)[number];
  out: string;
  dtype: 'f32' | 'f16';
  adapter: string | null;
  /** ONNX only: the graph takes attention_mask, position_ids and past keys / values. */
  kvCache: boolean;
  /** ONNX only: the weights are in `model.onnx_data` beside the graph (models over ~2 GiB). */
  externalData: boolean;
  /** Everything written, external data included. */
  bytes: number;
}

export const modelExport: Command = {
  path: ['model', 'export'],
  usage: 'studio model export DIR|default --format hf|gguf|onnx --out PATH [--adapter DIR] [--dtype f32|f16] [--kv-cache] [--force]',
  summary: 'Export a model (an adapter merged in) as a Hugging Face folder, GGUF or ONNX',
  options: { format: { type: 'string' }, out: { type: 'string' }, adapter: { type: 'string' }, dtype: { type: 'string' }, 'kv-cache': { type: 'boolean' }, force: { type: 'boolean' } },
  async run(ctx) {
    const [dirArg] = ctx.positionals;
    if (!dirArg) throw new UsageError('model export needs a model folder DIR');
    const format = ctx.values.format as string | undefined;
    if (!format || !(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}${format ? `, got "${format}"` : ''}`);
    if (typeof ctx.values.out !== 'string') throw new UsageError('--out: give the file (gguf; onnx: a path ending in .onnx) or folder (hf; onnx: a transformers.js model folder) to write');
    const dtype = (ctx.values.dtype as string | undefined) ?? 'f32';
    if (dtype !== 'f32' && dtype !== 'f16') throw new UsageError(`--dtype: expected f32 or f16, got "${dtype}"`);
    // --kv-cache: the ONNX graph with attention_mask, position_ids and past / present tensors.
    const kvCache = ctx.values['kv-cache'] === true;
    if (kvCache && format !== 'onnx') throw new UsageError('--kv-cache applies to --format onnx only');
    const dir = asModelError(() => resolveModelArgument(dirArg));
    const out = path.resolve(ctx.values.out);
    // The writers replace what is there; only on request, since a typo could name a real folder.
    if (existsSync(out) && ctx.values.force !== true) throw new StudioError(ErrorCode.Conflict, `--out: ${out} already exists (add --force to replace it)`);
    const adapterDir = typeof ctx.values.adapter === 'string' ? path.resolve(ctx.values.adapter) : null;
    let externalData = false;
    asModelError(() => {
      const adapter = adapterDir ? loadPeftAdapter(adapterDir, readModelConfig(dir)) : undefined;
      const d = dtype === 'f32' ? 'F32' : 'F16';
      ctx.info(`Exporting ${dir}${adapterDir ? ` with ${adapterDir} merged` : ''} as ${format} (${dtype}${kvCache ? ', KV cache' : ''})`);
      if (format === 'gguf') exportGguf(dir, out, { dtype: d, adapter });
      else if (format === 'onnx') externalData = exportOnnx(dir, out, { dtype: d, adapter, kvCache }).externalData;
      else exportHfModel(dir, out, { dtype: d, adapter });
    });
    const written = externalData && isOnnxFilePath(out) ? [out, `${out}_data`] : [out];
    const result: ModelExportResult = { format: format as ModelExportResult['format'], out, dtype, adapter: adapterDir, kvCache, externalData, bytes: written.reduce((a, p) => a + sizeOf(p), 0) };
    return result;
  },
  human: (r: ModelExportResult) =>
    `Exported ${r.format} (${r.dtype}${r.adapter ? ', adapter merged' : ''}${r.kvCache ? ', KV cache' : ''}${r.externalData ? ', external data' : ''}) to ${r.out}: ${r.bytes.toLocaleString('en-US')} bytes`,
};

function sizeOf(p: string): number {
  const s = statSync(p);
  if (!s.isDirectory()) return s.size;
  return readdirSync(p).reduce((a, f) => a + sizeOf(path.join(p, f)), 0);
}
