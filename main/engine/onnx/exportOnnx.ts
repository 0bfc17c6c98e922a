// `studio model export --format onnx [--kv-cache]`: the model (optionally with a LoRA adapter
// merged in) as an ONNX graph onnxruntime runs. Default: input_ids int64 [batch, seq] -> logits
// [batch, seq, vocab]. kvCache: the Optimum / transformers.js decoder layout (attention_mask,
// position_ids, past_key_values.{l}.key/.value in, logits and present.{l}.key/.value out; see
// buildOnnxGraph.ts), served on CPU by OnnxDecoder.ts.
// f16 stores 2-D weights as FLOAT16 initializers cast to f32 in the graph (compute stays f32).
//
// An out path ending in .onnx gets that one file (plus `.onnx_data` when the weights need
// external data). Any other path becomes a model folder in the layout transformers.js and
// Optimum load: config.json and the tokenizer files copied, the graph in onnx/model.onnx. The
// graph's inputs and outputs are float32 whatever the weight dtype, so it is the "fp32" file name
// transformers.js looks for. The folder is written under a temporary name and renamed into place.
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModelConfig } from '../modelConfig';
import { openModelWeights } from '../safetensors/openModelWeights';
import { checkModelWeights } from '../checkModelWeights';
import { HF_SIDE_FILES } from '../exportHfModel';
import { mergeLoraAdapter } from '../peft/mergeLoraAdapter';
import type { LoraAdapter } from '../peft/LoraAdapter';
import { buildOnnxGraph, ONNX_OPSET, type OnnxLoraInputs } from './buildOnnxGraph';
import { writeOnnxModel } from './writeOnnxModel';

export interface ExportOnnxOptions {
  dtype: 'F32' | 'F16';
  adapter?: LoraAdapter;
  /** Leave LoRA factors as graph inputs instead of (or on top of) a merged adapter. */
  loraInputs?: OnnxLoraInputs;
  /** The cached decoder graph (attention mask, position ids, past / present keys and values). */
  kvCache?: boolean;
  /** Weights in an external data file: by default only when they would not fit 2 GiB. */
  externalData?: boolean;
}

export interface ExportedOnnx {
  /** The .onnx file written (inside the folder for a folder export). */
  modelPath: string;
  externalData: boolean;
}

/** Whether exportOnnx writes a single file (true) or a model folder for `outPath`. */
export const isOnnxFilePath = (outPath: string): boolean => outPath.toLowerCase().endsWith('.onnx');

export function exportOnnx(modelDir: string, outPath: string, opts: ExportOnnxOptions): ExportedOnnx {
  const spec = readModelConfig(modelDir);
  const source = openModelWeights(modelDir);
  checkModelWeights(spec, source);
  let weights = source.loadAll();
  if (opts.adapter) weights = mergeLoraAdapter(weights, opts.adapter);
  const graph = buildOnnxGraph(spec, weights, opts.dtype, opts.loraInputs, { kvCache: opts.kvCache === true });
  if (isOnnxFilePath(outPath)) {
    const written = writeOnnxModel(graph, ONNX_OPSET, outPath, { externalData: opts.externalData });
    return { modelPath: outPath, externalData: written.externalData };
  }
  const tmp = `${outPath}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'onnx'), { recursive: true });
  try {
    const written = writeOnnxModel(graph, ONNX_OPSET, join(tmp, 'onnx', 'model.onnx'), { externalData: opts.externalData });
    const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    // transformers.js reads onnx/model.onnx_data only when the config says the model has it.
    if (written.externalData) config['transformers.js_config'] = { ...(config['transformers.js_config'] as object | undefined), use_external_data_format: true };
    writeFileSync(join(tmp, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    for (const f of HF_SIDE_FILES) if (existsSync(join(modelDir, f))) copyFileSync(join(modelDir, f), join(tmp, f));
    rmSync(outPath, { recursive: true, force: true });
    renameSync(tmp, outPath);
    return { modelPath: join(outPath, 'onnx', 'model.onnx'), externalData: written.externalData };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
