import path from 'node:path';
import { z } from 'zod';
import { ErrorCode, StudioError, formatZodIssues } from '../../api/apiError';
import { DeviceChoiceSchema } from '../../api/schemas';
import { DatanetVersionRefSchema } from '../../api/attributionSchemas';
import { attributeGenerated } from '../attributeGenerated';
import { generate, type GenerateResult } from '../../engine/generate';
import { modelSpecWithFiles } from '../../engine/modelSpecWithFiles';
import { modelSpecialIds } from '../../engine/modelSpecialIds';
import { loadNativeEngine } from '../../engine/native/index';
import { nativeLogitsSource } from '../../engine/nativeLogitsSource';
import { applyPeftAdapter } from '../../engine/peft/applyPeftAdapter';
import { loadPeftAdapter, type PeftAdapterFiles } from '../../engine/peft/loadPeftAdapter';
import { AdapterNameSchema, type AdapterRecord } from '../../api/adaptersSchemas';
import { findAdapter } from '../../adapters/adaptersRepository';
import { findAdapterPublication, type AdapterPublication } from '../../adapters/adapterVerification';
import type { Network } from '../../api/networkSchemas';
import { listNetworks } from '../../chain/networks/networksRepository';
import { verifyPublishedAdapter } from '../verifyPublishedAdapter';
import { baseMismatchWarning } from '../../adapters/baseMismatchWarning';
import { modelFingerprint } from '../../adapters/modelFingerprint';
import { registeredAdapterFiles } from '../../adapters/storeAdapterFolder';
import { existsSync, statSync } from 'node:fs';
import { withExistingReadonlyWorkspace } from '../withReadonlyWorkspace';
import { Tokenizer } from '../../engine/tokenizer/Tokenizer';
import { resolveModelArgument } from '../../engine/defaultModel/resolveModelArgument';
import type { Command, CommandContext } from '../command';
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
    datanet: DatanetVersionRefSchema.or(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a datanet: NAME or NAME@VERSION')).optional(),
  })
  .strict();

const NUMBERS = ['max-tokens', 'temperature', 'top-k', 'top-p', 'repetition-penalty', 'seed', 'alternatives', 'threads'];

export const generateCommand: Command = {
  path: ['generate'],
  usage:
    'studio generate --model DIR|default [--adapter NAME|DIR] [--workspace NAME] --prompt TEXT [--max-tokens N] [--temperature T ...] [--device auto|cpu|cuda] [--attribute [--datanet NAME[@V]]] [--json]',
  summary:
    'Generate text on the native engine (--model default: the built-in model); --json gives each token with its logprob and top alternatives; --attribute adds each token\'s records and contributors and the response\'s contributor shares',
  options: { ...Object.fromEntries(['model', 'adapter', 'prompt', 'device', 'datanet', ...NUMBERS].map((n) => [n, { type: 'string' as const }])), attribute: { type: 'boolean' as const } },
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
    const attribute = ctx.values.attribute === true;
    if (f.datanet && !attribute) throw new StudioError(ErrorCode.InvalidRequest, '--datanet names the datanet to attribute against: add --attribute.');
    const backend = f.device ?? workspaceDevice(ctx);
    let dir: string;
    try {
      dir = resolveModelArgument(f.model);
    } catch (err) {
      throw new StudioError('MODEL_INVALID', err instanceof Error ? err.message : String(err));
    }
    const adapter = f.adapter ? resolveAdapterArg(ctx, f.adapter) : null;
    const warnings: string[] = [];
    if (adapter?.record) {
      // A published adapter runs only when its files still match the ModelRegistry, as on /v1.
      const unverified = await verifyPublishedAdapter(ctx, { ...adapter, record: adapter.record, files: adapter.files as PeftAdapterFiles });
      const base = baseMismatchWarning(adapter.record.name, adapter.record.base, (await modelFingerprint(dir)).digest, dir);
      for (const w of [base, unverified]) {
        if (!w) continue;
        warnings.push(w);
        ctx.info(`warning: ${w}`);
      }
    }
    let engine, model, tok, spec;
    try {
      engine = loadNativeEngine();
      if (f.threads) engine.setThreads(f.threads);
      spec = modelSpecWithFiles(dir);
      tok = Tokenizer.fromModelDir(dir);
      model = new engine.Model({ ...spec, backend });
      if (adapter) applyPeftAdapter(model, loadPeftAdapter(adapter.files, spec));
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
    const out = { ...result, device, ...(adapter?.record ? { adapter: adapter.record.name } : {}), ...(warnings.length ? { warnings } : {}) };
    if (!attribute) return out;
    return { ...out, ...(await attributeGenerated(ctx, { modelDir: dir, tokenizer: tok, adapterArg: f.adapter, datanet: f.datanet, promptIds: tok.encode(f.prompt), tokens: result.tokens })) };
  },
  // The text was streamed already; runCli ends it with a newline.
  human: () => '',
};

/**
 * `--adapter` names a folder (PEFT layout) when one exists at that path, else a registered
 * adapter of the workspace (read without its lock, so it works beside a running `studio serve`).
 * A folder is not a registered adapter, so it has no publication to verify against.
 */
function resolveAdapterArg(
  ctx: CommandContext,
  arg: string,
): { files: string | PeftAdapterFiles; record: AdapterRecord | null; publication: AdapterPublication | undefined; networks: Network[] } {
  const dir = path.resolve(arg);
  if (existsSync(dir) && statSync(dir).isDirectory()) return { files: dir, record: null, publication: undefined, networks: [] };
  if (!AdapterNameSchema.safeParse(arg).success) throw new StudioError(ErrorCode.NotFound, `--adapter: ${arg} is neither a folder nor a registered adapter name.`);
  const found = withExistingReadonlyWorkspace(ctx, (db, _name, root) => {
    const record = findAdapter(db, arg);
    // Its publication and the configured networks are read here, while the workspace is open.
    return record
      ? { record, files: registeredAdapterFiles(path.join(root, 'artifacts'), record), publication: findAdapterPublication(db, record), networks: listNetworks(db) }
      : undefined;
  });
  if (!found) throw new StudioError(ErrorCode.NotFound, `--adapter: no folder ${dir} and no adapter named "${arg}" in the workspace; \`studio adapters list\` shows them.`);
  return found;
}
