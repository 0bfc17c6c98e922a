// The forward pass of GPT-2 and the Llama family as an ONNX graph (opset 17), same semantics as
// reference/referenceForward.ts. Two variants:
// - default (kvCache false): input_ids int64 [batch, seq] -> logits float [batch, seq, vocab], full
//   causal attention, no mask, no cache (right-padded batches only).
// - kvCache true, the decoder layout Hugging Face Optimum / transformers.js use: inputs input_ids
//   [batch, seq], attention_mask int64 [batch, past+seq] (1 real, 0 padding; left padding works),
//   position_ids int64 [batch, seq] (required: the caller computes them, HF-style
//   cumsum(mask)-1 clamped at 0, see OnnxDecoder.ts), past_key_values.{l}.key / .value float
//   [batch, num_kv_heads, past, head_dim] (past may be 0); outputs logits [batch, seq, vocab] and
//   present.{l}.key / .value [batch, num_kv_heads, past+seq, head_dim] (past and new keys
//   concatenated, RoPE applied). A key slot j is visible to query slot past+i when j <= past+i and
//   attention_mask[j] is 1; a query always sees its own slot (as the native engine does), so a
//   padding row stays finite; hidden keys get -1e9, not -inf.
// Both also output last_hidden_state [batch, seq, hidden] (the final norm's output), for
// embeddings (onnxEmbeddings.ts).
// Attention shapes: q [B, KV, rep, T, D] against k [B, KV, 1, D, P+T], so grouped-query heads
// share k/v by broadcasting instead of copying.
import type { ModelSpec } from '../modelConfig';
import type { Tensor } from '../tensor';
import { ropeInvFreq } from '../reference/referenceOps';
import { OnnxGraphBuilder } from './OnnxGraphBuilder';
import type { OnnxGraph, OnnxValueInfo } from './encodeOnnxModel';
import { adaptableModules, isTargeted } from '../peft/adaptableModules';

/**
 * LoRA factors as graph inputs: each targeted module gets inputs "<module>.lora_A" [r, in] and
 * "<module>.lora_B" [out, r], plus one "lora_scaling" [1] (alpha / r, or alpha / sqrt(r)), so one
 * exported graph serves any adapter of that rank and those targets (zeros for absent modules).
 */
export interface OnnxLoraInputs {
  r: number;
  targets: string[];
}

export const ONNX_OPSET = 17;

export interface OnnxGraphOptions {
  /** The cached decoder layout (attention_mask, position_ids, past_key_values / present). */
  kvCache?: boolean;
}

/** Names of the cached graph's per-layer past inputs and present outputs. */
export const pastKeyName = (l: number, kind: 'key' | 'value') => `past_key_values.${l}.${kind}`;
export const presentKeyName = (l: number, kind: 'key' | 'value') => `present.${l}.${kind}`;

function transpose(t: Tensor): Tensor {
  const [r, c] = t.shape as [number, number];
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = t.data[i * c + j]!;
  return { shape: [c, r], data: out };
}

export function buildOnnxGraph(spec: ModelSpec, weights: ReadonlyMap<string, Tensor>, dtype: 'F32' | 'F16', lora?: OnnxLoraInputs, opts: OnnxGraphOptions = {}): OnnxGraph {
  const g = new OnnxGraphBuilder(dtype);
  const kvCache = opts.kvCache === true;
  const loraModules = lora ? adaptableModules(spec).filter((m) => isTargeted(m.name, lora.targets)) : [];
  if (lora && loraModules.length === 0) throw new Error(`onnx: LoRA targets ${JSON.stringify(lora.targets)} match no module`);
  const loraInputs: OnnxValueInfo[] = [];
  for (const m of loraModules) {
    loraInputs.push({ name: `${m.name}.lora_A`, elemType: 1, dims: [lora!.r, m.in] });
    loraInputs.push({ name: `${m.name}.lora_B`, elemType: 1, dims: [m.out, lora!.r] });
  }
  if (lora) loraInputs.push({ name: 'lora_scaling', elemType: 1, dims: [1] });
  const targeted = new Set(loraModules.map((m) => m.name));
  /** y + scaling * (x A^T) B^T when the module is a LoRA target. */
  const withLora = (y: string, x: string, module: string) => {
    if (!targeted.has(module)) return y;
    const tA = g.o('Transpose', [`${module}.lora_A`], [{ name: 'perm', ints: [1, 0] }]);
    const tB = g.o('Transpose', [`${module}.lora_B`], [{ name: 'perm', ints: [1, 0] }]);
    return g.o('Add', [y, g.o('Mul', [g.o('MatMul', [g.o('MatMul', [x, tA]), tB]), 'lora_scaling'])]);
  };
  const get = (n: string) => {
    const t = weights.get(n) ?? (spec.arch === 'gpt2' ? weights.get(n.replace(/^transformer\./, '')) : undefined);
    if (!t) throw new Error(`onnx: model weights lack "${n}"`);
    return t;
  };
  const w = (n: string, t: Tensor = get(n)) => g.weight(n, t.shape, t.data);
  /** nn.Linear weight [out, in] stored transposed so that y = x @ W^T is one MatMul. */
  const linT = (n: string) => g.weight(`${n}.T`, [get(n).shape[1]!, get(n).shape[0]!], transpose(get(n)).data);
  const H = spec.numHeads;
  const KV = spec.numKvHeads;
  const D = spec.headDim;
  const rep = H / KV;

  const shape = g.o('Shape', ['input_ids']);
  const T = g.o('Gather', [shape, g.i64([1], [])], [{ name: 'axis', i: 0 }]);
  // bias: added to the scores [B, KV, rep, T, P+T]; positions: what embeds / rotates each token.
  let bias: string;
  let positions: string;
  if (!kvCache) {
    // The causal bias [T, T]: 0 on and below the diagonal, -1e9 above.
    const T1 = g.o('Unsqueeze', [T, g.i64([0])]);
    const ones = g.o('ConstantOfShape', [g.o('Concat', [T1, T1], [{ name: 'axis', i: 0 }])], [{ name: 'value', t: { name: 'one', dims: [1], dataType: 1, raw: new Uint8Array(new Float32Array([1]).buffer) } }]);
    const lower = g.o('Trilu', [ones], [{ name: 'upper', i: 0 }]);
    bias = g.o('Mul', [g.o('Sub', [lower, g.f32([1], [])]), g.f32([1e9], [])]);
    positions = g.o('Range', [g.i64([0], []), T, g.i64([1], [])]);
  } else {
    // P from the first layer's past; key slots 0..P+T-1, query slots P..P+T-1.
    const P = g.o('Gather', [g.o('Shape', [pastKeyName(0, 'key')]), g.i64([2], [])], [{ name: 'axis', i: 0 }]);
    const total = g.o('Add', [P, T]);
    const kSlot = g.o('Unsqueeze', [g.o('Range', [g.i64([0], []), total, g.i64([1], [])]), g.i64([0])]); // [1, P+T]
    const qSlot = g.o('Unsqueeze', [g.o('Range', [P, total, g.i64([1], [])]), g.i64([1])]); // [T, 1]
    const causalOk = g.o('LessOrEqual', [kSlot, qSlot]); // [T, P+T]
    const maskOk = g.o('Unsqueeze', [g.o('Equal', ['attention_mask', g.i64([1], [])]), g.i64([1])]); // [B, 1, P+T], bool
    const visible = g.o('Or', [g.o('And', [causalOk, maskOk]), g.o('Equal', [kSlot, qSlot])]); // [B, T, P+T]
    bias = g.o('Unsqueeze', [g.o('Where', [visible, g.f32([0], []), g.f32([-1e9], [])]), g.i64([1, 2])]); // [B, 1, 1, T, P+T]
    positions = 'position_ids';
  }
  const presents: OnnxValueInfo[] = [];
  const pastInputs: OnnxValueInfo[] = [];
  /** With the cache: past ++ new along the sequence axis, also emitted as present.{l}.{kind}. */
  const cached = (l: number, kind: 'key' | 'value', t4: string) => {
    if (!kvCache) return t4;
    pastInputs.push({ name: pastKeyName(l, kind), elemType: 1, dims: ['batch', KV, 'past', D] });
    presents.push({ name: presentKeyName(l, kind), elemType: 1, dims: ['batch', KV, 'total', D] });
    const all = g.o('Concat', [pastKeyName(l, kind), t4], [{ name: 'axis', i: 2 }]);
    g.nodes.push({ op: 'Identity', inputs: [all], outputs: [presentKeyName(l, kind)] });
    return all;
  };

  const attend = (q4: string, k4: string, v4: string) => {
    // q4 [B, H, T, D], k4/v4 [B, KV, P+T, D] (RoPE already applied).
    const q5 = g.o('Reshape', [q4, g.i64([0, KV, rep, -1, D])]);
    const k5 = g.o('Unsqueeze', [k4, g.i64([2])]);
    const v5 = g.o('Unsqueeze', [v4, g.i64([2])]);
    const kT = g.o('Transpose', [k5], [{ name: 'perm', ints: [0, 1, 2, 4, 3] }]);
    const scores = g.o('Add', [g.o('Mul', [g.o('MatMul', [q5, kT]), g.f32([1 / Math.sqrt(D)], [])]), bias]);
    const probs = g.o('Softmax', [scores], [{ name: 'axis', i: -1 }]);
    const ctx = g.o('Reshape', [g.o('MatMul', [probs, v5]), g.i64([0, H, -1, D])]);
    // [B, H, T, D] -> [B, T, H*D]
    return g.o('Reshape', [g.o('Transpose', [ctx], [{ name: 'perm', ints: [0, 2, 1, 3] }]), g.i64([0, 0, H * D])]);
  };
  const heads = (x: string, n: number) => g.o('Transpose', [g.o('Reshape', [x, g.i64([0, 0, n, D])])], [{ name: 'perm', ints: [0, 2, 1, 3] }]);

  /** Gives the output of the node just added a fixed name (graph outputs are named). */
  const named = (out: string, name: string) => {
    const node = g.nodes[g.nodes.length - 1]!;
    node.outputs = node.outputs.map((o) => (o === out ? name : o));
    return name;
  };
  let x: string;
  if (spec.arch === 'gpt2') {
    const C = spec.hiddenSize;
    x = g.o('Add', [g.o('Gather', [w('transformer.wte.weight'), 'input_ids']), g.o('Gather', [w('transformer.wpe.weight'), positions])]);
    const ln = (inp: string, p: string) => g.o('LayerNormalization', [inp, w(`${p}.weight`), w(`${p}.bias`)], [{ name: 'axis', i: -1 }, { name: 'epsilon', f: spec.normEps }]);
    const conv = (inp: string, p: string) => withLora(g.o('Add', [g.o('MatMul', [inp, w(`${p}.weight`)]), w(`${p}.bias`)]), inp, p);
    const geluNew = (v: string) => {
      const cube = g.o('Mul', [g.o('Mul', [v, v]), v]);
      const inner = g.o('Mul', [g.o('Add', [v, g.o('Mul', [cube, g.f32([0.044715], [])])]), g.f32([Math.sqrt(2 / Math.PI)], [])]);
      return g.o('Mul', [g.o('Mul', [v, g.f32([0.5], [])]), g.o('Add', [g.o('Tanh', [inner]), g.f32([1], [])])]);
    };
    for (let l = 0; l < spec.numLayers; l++) {
      const p = `transformer.h.${l}`;
      const qkv = conv(ln(x, `${p}.ln_1`), `${p}.attn.c_attn`);
      const [q, k, v] = g.op('Split', [qkv, g.i64([C, C, C])], [{ name: 'axis', i: -1 }], 3) as [string, string, string];
      const att = attend(heads(q, H), cached(l, 'key', heads(k, KV)), cached(l, 'value', heads(v, KV)));
      x = g.o('Add', [x, conv(att, `${p}.attn.c_proj`)]);
      x = g.o('Add', [x, conv(geluNew(conv(ln(x, `${p}.ln_2`), `${p}.mlp.c_fc`)), `${p}.mlp.c_proj`)]);
    }
    x = named(ln(x, 'transformer.ln_f'), 'last_hidden_state');
    const head = spec.tieWordEmbeddings ? get('transformer.wte.weight') : get('lm_head.weight');
    g.o('MatMul', [x, g.weight('lm_head.T', [head.shape[1]!, head.shape[0]!], transpose(head).data)]);
  } else {
    x = g.o('Gather', [w('model.embed_tokens.weight'), 'input_ids']);
    // RoPE tables [T, D] (or [B, 1, T, D] from position_ids [B, T]): angle = position * inv_freq,
    // duplicated over both halves (rotate_half).
    const invFreq = ropeInvFreq(D, spec.ropeTheta, spec.ropeScaling);
    const angles = g.o('Mul', [g.o('Unsqueeze', [g.o('Cast', [positions], [{ name: 'to', i: 1 }]), g.i64([-1])]), g.f32([...invFreq], [1, D / 2])]);
    const concat = g.o('Concat', [angles, angles], [{ name: 'axis', i: -1 }]);
    const emb = kvCache ? g.o('Unsqueeze', [concat, g.i64([1])]) : concat;
    const cos = g.o('Cos', [emb]);
    const sin = g.o('Sin', [emb]);
    const rope = (t4: string) => {
      const [a, b] = g.op('Split', [t4, g.i64([D / 2, D / 2])], [{ name: 'axis', i: -1 }], 2) as [string, string];
      const rotated = g.o('Concat', [g.o('Neg', [b]), a], [{ name: 'axis', i: -1 }]);
      return g.o('Add', [g.o('Mul', [t4, cos]), g.o('Mul', [rotated, sin])]);
    };
    const rms = (inp: string, n: string) => {
      const ms = g.o('ReduceMean', [g.o('Mul', [inp, inp])], [{ name: 'axes', ints: [-1] }, { name: 'keepdims', i: 1 }]);
      return g.o('Mul', [w(n), g.o('Div', [inp, g.o('Sqrt', [g.o('Add', [ms, g.f32([spec.normEps], [])])])])]);
    };
    const lin = (inp: string, n: string, bias?: string) => {
      const y = g.o('MatMul', [inp, linT(`${n}.weight`)]);
      return withLora(bias ? g.o('Add', [y, w(bias)]) : y, inp, n);
    };
    for (let l = 0; l < spec.numLayers; l++) {
      const p = `model.layers.${l}`;
      const a = rms(x, `${p}.input_layernorm.weight`);
      const b = (n: string) => (spec.attentionBias ? `${p}.self_attn.${n}.bias` : undefined);
      const q = rope(heads(lin(a, `${p}.self_attn.q_proj`, b('q_proj')), H));
      const k = cached(l, 'key', rope(heads(lin(a, `${p}.self_attn.k_proj`, b('k_proj')), KV)));
      const v = cached(l, 'value', heads(lin(a, `${p}.self_attn.v_proj`, b('v_proj')), KV));
      x = g.o('Add', [x, lin(attend(q, k, v), `${p}.self_attn.o_proj`)]);
      const m = rms(x, `${p}.post_attention_layernorm.weight`);
      const gate = lin(m, `${p}.mlp.gate_proj`);
      const act = g.o('Mul', [g.o('Mul', [gate, g.o('Sigmoid', [gate])]), lin(m, `${p}.mlp.up_proj`)]);
      x = g.o('Add', [x, lin(act, `${p}.mlp.down_proj`)]);
    }
    x = named(rms(x, 'model.norm.weight'), 'last_hidden_state');
    const head = spec.tieWordEmbeddings ? get('model.embed_tokens.weight') : get('lm_head.weight');
    g.o('MatMul', [x, g.weight('lm_head.T', [head.shape[1]!, head.shape[0]!], transpose(head).data)]);
  }
  // The last node's output is the logits; rename it to the graph output.
  g.nodes[g.nodes.length - 1]!.outputs = ['logits'];
  const logits: OnnxValueInfo = { name: 'logits', elemType: 1, dims: ['batch', 'seq', spec.vocabSize] };
  // The final norm's output, for embeddings (onnxEmbeddings.ts); logits = last_hidden_state · headᵀ.
  const hidden: OnnxValueInfo = { name: 'last_hidden_state', elemType: 1, dims: ['batch', 'seq', spec.hiddenSize] };
  const inputIds: OnnxValueInfo = { name: 'input_ids', elemType: 7, dims: ['batch', 'seq'] };
  if (!kvCache) return g.graph(`${spec.arch}-forward`, [inputIds, ...loraInputs], [logits, hidden]);
  const cacheInputs: OnnxValueInfo[] = [
    { name: 'attention_mask', elemType: 7, dims: ['batch', 'total'] },
    { name: 'position_ids', elemType: 7, dims: ['batch', 'seq'] },
  ];
  // HF's order: input_ids, attention_mask, position_ids, past_key_values.* (then our LoRA inputs).
  return g.graph(`${spec.arch}-forward-kv-cache`, [inputIds, ...cacheInputs, ...pastInputs, ...loraInputs], [logits, ...presents, hidden]);
}
