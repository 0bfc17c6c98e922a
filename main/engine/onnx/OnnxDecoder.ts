// The CPU serving path for the ONNX export: the cached graph (exportOnnx with kvCache: true,
// `studio model export --format onnx --kv-cache`) run by onnxruntime-node with its KV cache kept
// between calls. prefill() left-pads a batch of prompts, step() appends one token per row; both
// return each row's last-position logits. Masks and positions follow Hugging Face for left
// padding: attention_mask 1 on real tokens, position_ids = cumsum(mask) - 1 clamped at 0 (so each
// row's first real token is position 0 and padding never shifts a prompt), and a step's position
// is the number of real tokens before it. Each row therefore gets the logits it would get alone.
import * as ort from 'onnxruntime-node';

export interface OnnxDecoderOptions {
  /** The id written into left-padding slots (masked out, so any valid id). Default 0. */
  padTokenId?: number;
  /** Fed to every run as they are: the LoRA inputs of a graph exported with loraInputs. */
  extraInputs?: Record<string, ort.Tensor>;
  sessionOptions?: ort.InferenceSession.SessionOptions;
}

/** One forward call in the graph's own terms: every row the same length. */
export interface OnnxDecoderInputs {
  inputIds: number[][];
  /** [batch][past + seq], 1 for a real token, 0 for padding. */
  attentionMask: number[][];
  positionIds: number[][];
}

const PAST = /^past_key_values\.(\d+)\.key$/;

export class OnnxDecoder {
  /** The present tensors of the last run, fed back as the next past; null before prefill. */
  private past: Map<string, ort.Tensor> | null = null;
  private mask: number[][] = [];

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly numLayers: number,
    readonly numKvHeads: number,
    readonly headDim: number,
    readonly vocabSize: number | null,
    private readonly opts: OnnxDecoderOptions,
  ) {}

  static async create(modelPath: string, opts: OnnxDecoderOptions = {}): Promise<OnnxDecoder> {
    const session = await ort.InferenceSession.create(modelPath, opts.sessionOptions ?? {});
    const missing = ['input_ids', 'attention_mask', 'position_ids', 'past_key_values.0.key'].filter((n) => !session.inputNames.includes(n));
    if (missing.length) {
      await session.release();
      throw new Error(`OnnxDecoder: ${modelPath} is not a KV-cache export (no input ${missing.join(', ')}); export it with --kv-cache`);
    }
    const numLayers = session.inputNames.filter((n) => PAST.test(n)).length;
    const meta = session.inputMetadata.find((m) => m.name === 'past_key_values.0.key');
    const shape = meta?.isTensor ? meta.shape : [];
    const [kv, d] = [shape[1], shape[3]];
    if (typeof kv !== 'number' || typeof d !== 'number') {
      await session.release();
      throw new Error(`OnnxDecoder: ${modelPath}: past_key_values.0.key has no fixed [batch, kv_heads, past, head_dim] shape`);
    }
    const logits = session.outputMetadata.find((m) => m.name === 'logits');
    const vocab = logits?.isTensor && typeof logits.shape[2] === 'number' ? logits.shape[2] : null;
    return new OnnxDecoder(session, numLayers, kv, d, vocab, opts);
  }

  /** Rows in the cache (0 before prefill). */
  get batchSize(): number {
    return this.mask.length;
  }

  /** Slots in the cache, padding included (0 before prefill). */
  get pastLength(): number {
    return this.mask[0]?.length ?? 0;
  }

  /** Starts over with these prompts (left-padded to the longest); each row's last-token logits. */
  async prefill(prompts: number[][]): Promise<Float32Array[]> {
    if (prompts.length === 0) throw new Error('OnnxDecoder.prefill: no prompts');
    prompts.forEach((p, b) => {
      if (p.length === 0) throw new Error(`OnnxDecoder.prefill: prompt ${b} is empty`);
    });
    const len = Math.max(...prompts.map((p) => p.length));
    const pad = this.opts.padTokenId ?? 0;
    const inputIds = prompts.map((p) => [...Array<number>(len - p.length).fill(pad), ...p]);
    const attentionMask = prompts.map((p) => Array.from({ length: len }, (_, t) => (t >= len - p.length ? 1 : 0)));
    const positionIds = attentionMask.map((row) => OnnxDecoder.positionsFromMask(row));
    this.reset();
    return (await this.forward({ inputIds, attentionMask, positionIds })).map((rows) => rows.at(-1)!);
  }

  /** One more token per row; each row's logits for the next position. */
  async step(tokens: number[]): Promise<Float32Array[]> {
    if (!this.past) throw new Error('OnnxDecoder.step: call prefill first');
    if (tokens.length !== this.batchSize) throw new Error(`OnnxDecoder.step: ${tokens.length} tokens for a batch of ${this.batchSize} rows`);
    const positionIds = this.mask.map((row) => [row.reduce((a, m) => a + m, 0)]);
    const attentionMask = this.mask.map((row) => [...row, 1]);
    return (await this.forward({ inputIds: tokens.map((t) => [t]), attentionMask, positionIds })).map((rows) => rows[0]!);
  }

  /**
   * One run on top of the cache (empty after reset): logits [batch][seq] of length vocab. The
   * inputs are checked first (shapes against the cache, mask values, ids), so a mistake is named
   * here rather than as an onnxruntime shape error. The cache then holds past + seq slots.
   */
  async forward(inputs: OnnxDecoderInputs): Promise<Float32Array[][]> {
    const { inputIds, attentionMask, positionIds } = inputs;
    const B = inputIds.length;
    const S = inputIds[0]?.length ?? 0;
    const P = this.past ? this.pastLength : 0;
    if (B === 0 || S === 0) throw new Error('OnnxDecoder: input_ids is empty');
    if (this.past && B !== this.batchSize) throw new Error(`OnnxDecoder: input_ids has ${B} rows, the cache ${this.batchSize}`);
    if (attentionMask.length !== B || positionIds.length !== B) throw new Error(`OnnxDecoder: input_ids has ${B} rows, attention_mask ${attentionMask.length}, position_ids ${positionIds.length}`);
    for (let b = 0; b < B; b++) {
      if (inputIds[b]!.length !== S) throw new Error(`OnnxDecoder: input_ids row ${b} has ${inputIds[b]!.length} tokens, row 0 ${S}`);
      if (attentionMask[b]!.length !== P + S) throw new Error(`OnnxDecoder: attention_mask row ${b} has length ${attentionMask[b]!.length}, expected past + seq = ${P} + ${S} = ${P + S}`);
      if (positionIds[b]!.length !== S) throw new Error(`OnnxDecoder: position_ids row ${b} has length ${positionIds[b]!.length}, expected seq = ${S}`);
      for (const m of attentionMask[b]!) if (m !== 0 && m !== 1) throw new Error(`OnnxDecoder: attention_mask row ${b} holds ${m}, expected 0 or 1`);
      for (const p of positionIds[b]!) if (!Number.isInteger(p) || p < 0) throw new Error(`OnnxDecoder: position_ids row ${b} holds ${p}, expected an integer >= 0`);
      for (const id of inputIds[b]!) {
        if (!Number.isInteger(id) || id < 0 || (this.vocabSize !== null && id >= this.vocabSize)) throw new Error(`OnnxDecoder: token id ${id} outside the vocabulary [0, ${this.vocabSize ?? '?'})`);
      }
    }
    const i64 = (rows: number[][], width: number) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [B, width]);
    const feeds: Record<string, ort.Tensor> = { ...this.opts.extraInputs, input_ids: i64(inputIds, S), attention_mask: i64(attentionMask, P + S), position_ids: i64(positionIds, S) };
    const empty = new ort.Tensor('float32', new Float32Array(0), [B, this.numKvHeads, 0, this.headDim]);
    for (let l = 0; l < this.numLayers; l++) {
      for (const kind of ['key', 'value'] as const) feeds[`past_key_values.${l}.${kind}`] = this.past?.get(`present.${l}.${kind}`) ?? empty;
    }
    const out = await this.session.run(feeds);
    const logits = out['logits'] as ort.Tensor;
    const V = logits.dims[2]!;
    const data = logits.data as Float32Array;
    const past = new Map<string, ort.Tensor>();
    for (let l = 0; l < this.numLayers; l++) for (const kind of ['key', 'value'] as const) past.set(`present.${l}.${kind}`, out[`present.${l}.${kind}`] as ort.Tensor);
    this.past = past;
    this.mask = attentionMask.map((row) => [...row]);
    return Array.from({ length: B }, (_, b) => Array.from({ length: S }, (_, t) => data.subarray((b * S + t) * V, (b * S + t + 1) * V)));
  }

  /** Drops the cache; the next forward starts from an empty past. */
  reset(): void {
    this.past = null;
    this.mask = [];
  }

  /** Hugging Face's position_ids for a (left-)padded row: cumsum(mask) - 1, clamped at 0. */
  static positionsFromMask(mask: readonly number[]): number[] {
    let seen = 0;
    return mask.map((m) => {
      seen += m;
      return Math.max(seen - 1, 0);
    });
  }

  async release(): Promise<void> {
    this.reset();
    await this.session.release();
  }
}
