// Runs a GGUF through llama.cpp (node-llama-cpp, CPU) and returns, per input position, the
// next-token natural-log probabilities llama.cpp reports (its probabilities list, best first).
import { getLlama, LlamaLogLevel, type ControlledEvaluateInputItem, type Llama, type Token } from 'node-llama-cpp';

let llama: Promise<Llama> | undefined;

export async function llamaCppLogprobs(modelPath: string, ids: number[], contextSize: number): Promise<Map<number, number>[]> {
  llama ??= getLlama({ gpu: false, logLevel: LlamaLogLevel.error, build: 'never' });
  const model = await (await llama).loadModel({ modelPath });
  try {
    // An f32 KV cache keeps llama.cpp's rounding (f16 by default) out of the comparison.
    const ctx = await model.createContext({ contextSize, batchSize: contextSize, threads: 2, experimentalKvCacheKeyType: 'F32', experimentalKvCacheValueType: 'F32', flashAttention: false });
    const seq = ctx.getSequence();
    // node-llama-cpp brands token ids; ours are plain numbers from the same vocabulary.
    const input: ControlledEvaluateInputItem[] = ids.map((t) => [t as Token, { generateNext: { probabilities: true } }]);
    const res = await seq.controlledEvaluate(input);
    await ctx.dispose();
    return ids.map((_, t) => {
      const probs = res[t]?.next.probabilities;
      if (!probs) throw new Error(`llama.cpp returned no probabilities for position ${t}`);
      return new Map([...probs].map(([id, p]) => [id, Math.log(p)]));
    });
  } finally {
    await model.dispose();
  }
}
