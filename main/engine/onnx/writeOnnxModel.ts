// Writes an ONNX graph to disk, with its large initializers in an external data file when the
// model would not fit one protobuf message (2 GiB: a 1B-parameter Llama in f16 does not). The
// layout is ONNX's and Optimum's: `model.onnx` beside `model.onnx_data`, each external tensor
// referenced by location / offset / length; offsets are 4 KiB-aligned so onnxruntime can map the
// file. Both files are written under temporary names and renamed into place, data first, so a
// crash never leaves a model that names missing or half-written data.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { encodeOnnxModel, type ExternalRef, type OnnxGraph } from './encodeOnnxModel';

/** Above this many bytes of initializers the weights go to external data (protobuf's limit is 2 GiB). */
export const EXTERNAL_DATA_ABOVE = 1.8 * 2 ** 30;
/** Initializers this small stay inline (onnx's own size_threshold). */
const INLINE_BELOW = 1024;
const ALIGN = 4096;

export interface WriteOnnxOptions {
  /** Force external data on or off; by default it is used only when the weights need it. */
  externalData?: boolean;
}

export interface WrittenOnnx {
  /** The files written: the model, then its external data if any. */
  files: string[];
  externalData: boolean;
}

export function writeOnnxModel(graph: OnnxGraph, opset: number, modelPath: string, opts: WriteOnnxOptions = {}): WrittenOnnx {
  const weightBytes = graph.initializers.reduce((a, t) => a + t.raw.byteLength, 0);
  const external = opts.externalData ?? weightBytes > EXTERNAL_DATA_ABOVE;
  const tmp = (p: string) => `${p}.tmp-${process.pid}`;
  const dataPath = `${modelPath}_data`;
  const refs = new Map<string, ExternalRef>();
  try {
    if (external) {
      const location = basename(dataPath);
      const fd = openSync(tmp(dataPath), 'w');
      try {
        let offset = 0;
        for (const t of graph.initializers) {
          if (t.raw.byteLength < INLINE_BELOW) continue;
          const start = Math.ceil(offset / ALIGN) * ALIGN;
          if (start > offset) writeSync(fd, new Uint8Array(start - offset));
          writeAll(fd, t.raw);
          refs.set(t.name, { location, offset: start, length: t.raw.byteLength });
          offset = start + t.raw.byteLength;
        }
      } finally {
        closeSync(fd);
      }
    }
    const bytes = encodeOnnxModel(graph, opset, refs);
    if (bytes.byteLength >= 2 ** 31) throw new Error(`onnx: the graph is ${bytes.byteLength} bytes, above protobuf's 2 GiB limit even with external data`);
    const fd = openSync(tmp(modelPath), 'w');
    try {
      writeAll(fd, bytes);
    } finally {
      closeSync(fd);
    }
    if (external) renameSync(tmp(dataPath), dataPath);
    else rmSync(dataPath, { force: true }); // a stale data file from an earlier export would mislead
    renameSync(tmp(modelPath), modelPath);
    return { files: external ? [modelPath, dataPath] : [modelPath], externalData: external };
  } catch (e) {
    rmSync(tmp(dataPath), { force: true });
    rmSync(tmp(modelPath), { force: true });
    throw e;
  }
}

// writeSync may write less than asked for large buffers; 1 GiB slices keep each call well-defined.
function writeAll(fd: number, data: Uint8Array): void {
  for (let at = 0; at < data.byteLength; ) at += writeSync(fd, data, at, Math.min(data.byteLength - at, 2 ** 30));
}
