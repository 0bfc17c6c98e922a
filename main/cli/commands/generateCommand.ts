import path from 'node:path';
import { z } from 'zod';
import { ErrorCode, StudioError, formatZodIssues } from '../../api/apiError';
import { DeviceChoiceSchema } from '../../api/schemas';
import { generate, type GenerateResult } from '../../engine/generate';
import { modelSpecWithFiles } from '../../engine/modelSpecWithFiles';
import { modelSpecialIds } from '../../engine/modelSpecialIds';
import { loadNativeEngine } from '../../engine/native/index';
import { nativeLogitsSource } from '../../engine/nativeLogitsSource';
import { applyPeftAdapter } from '../../engine/peft/applyPeftAdapter';
import { loadPeftAdapter } from '../../engine/peft/loadPeftAdapter';
import { Tokenizer } from '../../engine/tokenizer/Tokenizer';
import { resolveModelArgument } from '../../engine/defaultModel/resolveModelArgument';
import type { Command } from '../command';
import { workspaceDevice } from '../workspaceDevice';

// Flag names as keys, so a bad value is reported as "--top-p: ...".
const Flags = z
  .object({
    model: z.string().min(1),
    adapter: z.string().min(1).optional(),
    prompt: z.string().min(1),
    'max-tokens': z.number().int().min(1).max(100_000).default(32),
    temperature: z.number().min(0).max(100).default(0),
    'top-k': z.number().int().min(0).optional(),
    'top-p': z.number().gt(0).max(1).optional(),
    'repetition-penalty': z.number().positive().optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
    alternatives: z.number().int().min(0).max(100).default(5),
    threads: z.number().int().min(1).max(1024).optional(),
    device: DeviceChoiceSchema.optional(),
  })
  .strict();

const NUMBERS = ['max-tokens', 'temperature', 'top-k', 'top-p', 'repetition-penalty', 'seed', 'alternatives', 'threads'];

export const generateCommand: Command = {
  path: ['generate'],
  usage: 'studio generate --model DIR|default [--adapter DIR] --prompt TEXT [--max-tokens N] [--temperature T ...] [--device auto|cpu|cuda] [--json]',
  summary: 'Generate text on the native engine (--model default: the built-in model); --json gives each token with its logprob and top alternatives',
  options: Object.fromEntries(['model', 'adapter', 'prompt', 'device', ...NUMBERS].map((n) => [n, { type: 'string' as const }])),
  async run(ctx) {
    const raw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(ctx.values)) {
      if (typeof v !== 'string' || !(k in Flags.shape)) continue;
      raw[k] = NUMBERS.includes(k) ? Number(v) : v;
    }
    const parsed = Flags.safeParse(raw);
    if (!parsed.success) {
      throw new StudioError(ErrorCode.InvalidRequest, formatZodIssues(parsed.error).replace(/(^|; )([a-z-]+):/g, '$1--$2:'));
    }
    const f = parsed.data;
    const backend = f.device ?? workspaceDevice(ctx);
    let engine, model, tok, spec, dir;
    try {
      dir = resolveModelArgument(f.model);
      engine = loadNativeEngine();
      if (f.threads) engine.setThreads(f.threads);
      spec = modelSpecWithFiles(dir);
      tok = Tokenizer.fromModelDir(dir);
      model = new engine.Model({ ...spec, backend });
      if (f.adapter) applyPeftAdapter(model, loadPeftAdapter(path.resolve(f.adapter), spec));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // --device cuda where there is none is not the model's fault.
      if (backend === 'cuda' && /backend 'cuda' is not available/.test(message)) throw new StudioError('DEVICE_UNAVAILABLE', message);
      throw new StudioError('MODEL_INVALID', message);
    }
    const result: GenerateResult = generate(nativeLogitsSource(engine, model, spec.maxPositions), tok, f.prompt, {
      maxTokens: f['max-tokens'],
      temperature: f.temperature,
      topK: f['top-k'],
      topP: f['top-p'],
      repetitionPenalty: f['repetition-penalty'],
      topAlternatives: f.alternatives,
      seed: f.seed,
      stopIds: modelSpecialIds(dir).eos,
      // Without --json the text streams as it comes; with it stdout holds only the document.
      onToken: ctx.json ? undefined : (t) => process.stdout.write(t.text),
    });
    const b = model.info().backend;
    const device = { kind: b.kind, ...(b.device ? { name: b.device } : {}), ...(b.fallbackReason ? { fallbackReason: b.fallbackReason } : {}) };
    return { ...result, device };
  },
  // The text was streamed already; runCli ends it with a newline.
  human: () => '',
};
