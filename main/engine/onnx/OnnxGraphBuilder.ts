// Small helper to write ONNX graphs as code: each op call appends a node and returns the name of
// its output, constants become initializers.
import { f32ToF16Bits } from '../safetensors/convertDtype';
import type { OnnxAttr, OnnxGraph, OnnxNode, OnnxTensor, OnnxValueInfo } from './encodeOnnxModel';

export class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private n = 0;

  constructor(private readonly weightType: 'F32' | 'F16' = 'F32') {}

  private fresh(hint: string): string {
    return `${hint}_${this.n++}`;
  }

  op(op: string, inputs: string[], attrs: OnnxAttr[] = [], outputs = 1): string[] {
    const outs = Array.from({ length: outputs }, () => this.fresh(op.toLowerCase()));
    this.nodes.push({ op, inputs, outputs: outs, attrs });
    return outs;
  }

  /** One-output op. */
  o(op: string, inputs: string[], attrs: OnnxAttr[] = []): string {
    return this.op(op, inputs, attrs)[0]!;
  }

  /** A float32 weight, optionally stored as f16 and cast back to f32 in the graph. */
  weight(name: string, dims: number[], data: Float32Array): string {
    if (this.weightType === 'F32' || dims.length < 2) {
      this.initializers.push({ name, dims, dataType: 1, raw: f32Bytes(data) });
      return name;
    }
    const raw = new Uint8Array(data.length * 2);
    const dv = new DataView(raw.buffer);
    for (let i = 0; i < data.length; i++) dv.setUint16(i * 2, f32ToF16Bits(data[i]!), true);
    this.initializers.push({ name: `${name}.f16`, dims, dataType: 10, raw });
    return this.o('Cast', [`${name}.f16`], [{ name: 'to', i: 1 }]);
  }

  f32(values: number[], dims: number[] = [values.length]): string {
    const name = this.fresh('const_f');
    this.initializers.push({ name, dims, dataType: 1, raw: f32Bytes(Float32Array.from(values)) });
    return name;
  }

  i64(values: number[], dims: number[] = [values.length]): string {
    const name = this.fresh('const_i');
    const raw = new Uint8Array(values.length * 8);
    const dv = new DataView(raw.buffer);
    values.forEach((v, i) => dv.setBigInt64(i * 8, BigInt(v), true));
    this.initializers.push({ name, dims, dataType: 7, raw });
    return name;
  }

  graph(name: string, inputs: OnnxValueInfo[], outputs: OnnxValueInfo[]): OnnxGraph {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs, outputs };
  }
}

function f32Bytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) dv.setFloat32(i * 4, data[i]!, true);
  return out;
}
