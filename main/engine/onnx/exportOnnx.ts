// `studio model export --format onnx [--kv-cache]`: the model (optionally with a LoRA adapter
// merged in) as an ONNX graph onnxruntime runs. Default: input_ids int64 [batch, seq] -> logits
// [batch, seq, vocab]. kvCache: the Optimum / transformers.js decoder layout (attention_mask,
// position_ids, past_key_values.{l}.key/.value in, logits and present.{l}.key/.value out; see
// buildOnnxGraph.ts), served on CPU by OnnxDecoder.ts.
// f16 stores 2-D weights as FLOAT16 initializers cast to f32 in the graph (compute stays f32).
import { renameSync, writeFileSync } from 'node:fs';
import { readModelConfig } from '../modelConfig';
import { openModelWeights } from '../safetensors/openModelWeights';
import { checkModelWeights } from '../checkModelWeights';
import { mergeLoraAdapter } from '../peft/mergeLoraAdapter';
import type { LoraAdapter } from '../peft/LoraAdapter';
import { buildOnnxGraph, ONNX_OPSET, type OnnxLoraInputs } from './buildOnnxGraph';
import { encodeOnnxModel } from './encodeOnnxModel';

export interface ExportOnnxOptions {
  dtype: 'F32' | 'F16';
  adapter?: LoraAdapter;
  /** Leave LoRA factors as graph inputs instead of (or on top of) a merged adapter. */
  loraInputs?: OnnxLoraInputs;
  /** The cached decoder graph (attention mask, position ids, past / present keys and values). */
  kvCache?: boolean;
}

export function exportOnnx(modelDir: string, outPath: string, opts: ExportOnnxOptions): void {
  const spec = readModelConfig(modelDir);
  const source = openModelWeights(modelDir);
  checkModelWeights(spec, source);
  let weights = source.loadAll();
  if (opts.adapter) weights = mergeLoraAdapter(weights, opts.adapter);
  const bytes = encodeOnnxModel(buildOnnxGraph(spec, weights, opts.dtype, opts.loraInputs, { kvCache: opts.kvCache === true }), ONNX_OPSET);
  // Protobuf caps a message at 2 GiB; larger models need external data (not written here).
  if (bytes.byteLength >= 2 ** 31) throw new Error(`onnx: the model is ${bytes.byteLength} bytes, above protobuf's 2 GiB limit`);
  const tmp = `${outPath}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, outPath);
}
