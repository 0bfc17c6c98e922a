// A minimal protobuf writer for the parts of onnx.proto an inference graph needs (ModelProto,
// GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto). Field numbers follow
// onnx.proto; repeated scalars are written unpacked, which every protobuf parser accepts.

export type OnnxAttr = { name: string } & ({ f: number } | { i: number } | { ints: number[] } | { t: OnnxTensor });

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: OnnxAttr[];
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  /** ONNX TensorProto.DataType: 1 FLOAT, 7 INT64, 10 FLOAT16. */
  dataType: 1 | 7 | 10;
  raw: Uint8Array;
}

export interface OnnxValueInfo {
  name: string;
  elemType: 1 | 7;
  /** A number is a fixed size, a string a named dynamic dimension. */
  dims: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

class Writer {
  private parts: number[] = [];
  private blobs: Uint8Array[] = [];
  private flushParts() {
    if (this.parts.length) {
      this.blobs.push(Uint8Array.from(this.parts));
      this.parts = [];
    }
  }
  varint(v: number | bigint) {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.parts.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.parts.push(Number(x));
  }
  tag(field: number, wire: number) {
    this.varint((field << 3) | wire);
  }
  int(field: number, v: number) {
    this.tag(field, 0);
    this.varint(v);
  }
  bytes(field: number, b: Uint8Array) {
    this.tag(field, 2);
    this.varint(b.byteLength);
    this.flushParts();
    this.blobs.push(b);
  }
  str(field: number, s: string) {
    this.bytes(field, new TextEncoder().encode(s));
  }
  msg(field: number, build: (w: Writer) => void) {
    const w = new Writer();
    build(w);
    this.bytes(field, w.finish());
  }
  float(field: number, v: number) {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.flushParts();
    this.blobs.push(b);
  }
  finish(): Uint8Array {
    this.flushParts();
    const n = this.blobs.reduce((a, b) => a + b.byteLength, 0);
    const out = new Uint8Array(n);
    let p = 0;
    for (const b of this.blobs) {
      out.set(b, p);
      p += b.byteLength;
    }
    return out;
  }
}

/** Where a tensor's bytes went when they are kept outside the protobuf (ONNX external data). */
export interface ExternalRef {
  location: string;
  offset: number;
  length: number;
}

function tensor(w: Writer, t: OnnxTensor, external?: ExternalRef) {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.str(8, t.name);
  if (!external) {
    w.bytes(9, t.raw);
    return;
  }
  // TensorProto.external_data (13): StringStringEntryProto {key 1, value 2}; data_location (14) EXTERNAL = 1.
  for (const [k, v] of [['location', external.location], ['offset', String(external.offset)], ['length', String(external.length)]] as const)
    w.msg(13, (e) => {
      e.str(1, k);
      e.str(2, v);
    });
  w.int(14, 1);
}

function valueInfo(w: Writer, v: OnnxValueInfo) {
  w.str(1, v.name);
  w.msg(2, (tp) =>
    tp.msg(1, (tt) => {
      tt.int(1, v.elemType);
      tt.msg(2, (shape) => {
        for (const d of v.dims) shape.msg(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.str(2, d)));
      });
    }),
  );
}

function attribute(w: Writer, a: OnnxAttr) {
  w.str(1, a.name);
  // AttributeProto.AttributeType: FLOAT 1, INT 2, TENSOR 4, INTS 7.
  if ('f' in a) {
    w.float(2, a.f);
    w.int(20, 1);
  } else if ('i' in a) {
    w.int(3, a.i);
    w.int(20, 2);
  } else if ('t' in a) {
    w.msg(5, (x) => tensor(x, a.t));
    w.int(20, 4);
  } else {
    for (const v of a.ints) w.int(8, v);
    w.int(20, 7);
  }
}

/**
 * The ModelProto. `external` maps initializer names to where their bytes were written instead
 * (see writeOnnxModel.ts); those initializers carry only a reference.
 */
export function encodeOnnxModel(graph: OnnxGraph, opset: number, external: ReadonlyMap<string, ExternalRef> = new Map(), producer = 'attribution-studio'): Uint8Array {
  const w = new Writer();
  w.int(1, 8); // ir_version 8 (ONNX 1.13+), fine for opset 17
  w.str(2, producer);
  w.msg(7, (g) => {
    graph.nodes.forEach((n, k) =>
      g.msg(1, (x) => {
        for (const i of n.inputs) x.str(1, i);
        for (const o of n.outputs) x.str(2, o);
        x.str(3, `${n.op}_${k}`);
        x.str(4, n.op);
        for (const a of n.attrs ?? []) x.msg(5, (y) => attribute(y, a));
      }),
    );
    g.str(2, graph.name);
    for (const t of graph.initializers) g.msg(5, (x) => tensor(x, t, external.get(t.name)));
    for (const v of graph.inputs) g.msg(11, (x) => valueInfo(x, v));
    for (const v of graph.outputs) g.msg(12, (x) => valueInfo(x, v));
  });
  w.msg(8, (o) => {
    o.str(1, '');
    o.int(2, opset);
  });
  return w.finish();
}
