import path from 'node:path';
import { MergeCombinationSchema, type AdapterRecord } from '../../api/adaptersSchemas';
import { callCore } from '../callCore';
import { UsageError, type Command } from '../command';
import { formatTable } from '../formatTable';
import { runJobToEnd } from '../runJobToEnd';
import { withCore } from '../withCore';
import { withReadonlyWorkspace } from '../withReadonlyWorkspace';
import { getAdapter, listAdapters } from '../../adapters/adaptersRepository';

const WS = '[--workspace NAME] [--json]';

export const adaptersList: Command = {
  path: ['adapters', 'list'],
  usage: `studio adapters list [--query WORDS] ${WS}`,
  summary: 'List the registered LoRA adapters with rank, size and base; --query searches name, base, run, targets',
  options: { query: { type: 'string' } },
  // Read without the workspace lock (as `artifacts list`), so it works beside a running `studio serve`.
  run: async (ctx) => withReadonlyWorkspace(ctx, (db) => listAdapters(db, ctx.values.query ? String(ctx.values.query) : undefined)),
  human: (list: AdapterRecord[]) =>
    list.length === 0
      ? 'No adapters yet: train one (studio train) or import a PEFT folder (studio adapters import DIR).'
      : formatTable(
          ['NAME', 'SOURCE', 'RANK', 'TARGETS', 'SIZE', 'BASE'],
          list.map((a) => [a.name, a.source, a.rank, a.targets.join(','), formatBytes(a.size), `${a.base.path ? path.basename(a.base.path) : '?'} ${a.base.digest.slice(0, 8)}`]),
        ),
};

export const adaptersShow: Command = {
  path: ['adapters', 'show'],
  usage: `studio adapters show NAME ${WS}`,
  summary: "One adapter's shape and lineage: base model hashes, run, import folder, merge parents and options",
  run: async (ctx) => {
    const name = positional(ctx.positionals, 'adapters show NAME');
    return withReadonlyWorkspace(ctx, (db) => getAdapter(db, name));
  },
  human: (a: AdapterRecord) =>
    [
      `${a.name} (${a.source}, ${a.createdAt})`,
      `  LoRA r=${a.rank} alpha=${a.alpha}${a.rslora ? ' rsLoRA' : ''} on ${a.targets.join(', ')}: ${a.modules} modules, ${a.parameters} parameters, ${formatBytes(a.size)}`,
      `  base: ${a.base.path ?? '?'} (${a.base.arch ?? '?'}), digest ${a.base.digest}`,
      ...Object.entries(a.base.files).map(([f, sha]) => `    ${f} ${sha}`),
      ...(a.run ? [`  run: ${a.run}`] : []),
      ...(a.datanet ? [`  datanet: ${a.datanet}`] : []),
      ...(a.importedFrom ? [`  imported from: ${a.importedFrom}`] : []),
      ...a.parents.map((p) => `  parent: ${p.name} x ${p.weight}`),
      ...(a.merge ? [`  merge: ${[a.merge.method, ...(a.merge.density !== null ? [`density ${a.merge.density}`] : []), ...(a.merge.seed !== null ? [`seed ${a.merge.seed}`] : [])].join(', ')}`] : []),
      `  files: adapter_config.json ${a.configSha256}, adapter_model.safetensors ${a.weightsSha256}`,
    ].join('\n'),
};

export const adaptersImport: Command = {
  path: ['adapters', 'import'],
  usage: `studio adapters import DIR [--name NAME] [--base MODEL_DIR] ${WS}`,
  summary: 'Copy a PEFT adapter folder into the registry after checking its shapes against its base model',
  options: { name: { type: 'string' }, base: { type: 'string' } },
  async run(ctx) {
    const dir = positional(ctx.positionals, 'adapters import DIR');
    const params = {
      dir: path.resolve(dir),
      ...(ctx.values.name ? { name: String(ctx.values.name) } : {}),
      ...(ctx.values.base ? { base: path.resolve(String(ctx.values.base)) } : {}),
    };
    return withCore(ctx, async (core) => (await runJobToEnd(core, 'adapters.import', params, ctx.info)).result as AdapterRecord);
  },
  human: (a: AdapterRecord) => `Registered ${a.name}: r=${a.rank}, ${a.modules} modules, ${formatBytes(a.size)}`,
};

export const adaptersRemove: Command = {
  path: ['adapters', 'remove'],
  usage: `studio adapters remove NAME ${WS}`,
  summary: 'Forget a registered adapter (its files stay in the artifact store)',
  run: async (ctx) => withCore(ctx, (core) => callCore(core, 'adapters.remove', { name: positional(ctx.positionals, 'adapters remove NAME') })),
  human: (a: AdapterRecord) => `Removed ${a.name}.`,
};

export const adaptersMerge: Command = {
  path: ['adapters', 'merge'],
  usage: `studio adapters merge --out NAME A:WEIGHT B:WEIGHT [...] [--method cat|linear|ties|dare_linear|dare_ties] [--density D] [--seed S] ${WS}`,
  summary: "Weighted merge of registered adapters into a new one (cat: the exact weighted sum; linear, ties, dare_linear, dare_ties: PEFT's)",
  // --combination is the earlier name of --method (PEFT's word), still accepted.
  options: { out: { type: 'string' }, method: { type: 'string' }, combination: { type: 'string' }, density: { type: 'string' }, seed: { type: 'string' } },
  async run(ctx) {
    if (!ctx.values.out) throw new UsageError('adapters merge needs --out NAME');
    if (ctx.positionals.length < 2) throw new UsageError('adapters merge needs at least two NAME:WEIGHT arguments');
    const parents = ctx.positionals.map((arg) => {
      const m = /^(.+):([-+0-9.eE]+)$/.exec(arg);
      const weight = m ? Number(m[2]) : NaN;
      if (!m || !Number.isFinite(weight)) throw new UsageError(`"${arg}" is not NAME:WEIGHT (e.g. support:0.7)`);
      return { name: m[1]!, weight };
    });
    const given = ctx.values.method ?? ctx.values.combination;
    const method = MergeCombinationSchema.safeParse(given === undefined ? 'cat' : String(given));
    if (!method.success) throw new UsageError(`--method: "${String(given)}" is not one of ${MergeCombinationSchema.options.join(', ')}`);
    const density = ctx.values.density === undefined ? undefined : Number(ctx.values.density);
    if (density !== undefined && !(density > 0 && density <= 1)) throw new UsageError(`--density: "${String(ctx.values.density)}" is not a number in (0, 1]`);
    const seed = ctx.values.seed === undefined ? undefined : Number(ctx.values.seed);
    if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) throw new UsageError(`--seed: "${String(ctx.values.seed)}" is not an integer from 0 to 4294967295`);
    const params = { out: String(ctx.values.out), parents, combination: method.data, ...(density !== undefined ? { density } : {}), ...(seed !== undefined ? { seed } : {}) };
    return withCore(ctx, async (core) => (await runJobToEnd(core, 'adapters.merge', params, ctx.info)).result as AdapterRecord);
  },
  human: (a: AdapterRecord) => `Merged into ${a.name}: r=${a.rank} from ${a.parents.map((p) => `${p.name} x ${p.weight}`).join(', ')}`,
};

export const adaptersExport: Command = {
  path: ['adapters', 'export'],
  usage: `studio adapters export NAME --for vllm|lorax --out DIR ${WS}`,
  summary: 'Write the adapter as a PEFT folder with the launch command for vLLM or LoRAX (multi-LoRA GPU servers)',
  options: { for: { type: 'string' }, out: { type: 'string' } },
  async run(ctx) {
    const name = positional(ctx.positionals, 'adapters export NAME');
    const target = ctx.values.for;
    if (target !== 'vllm' && target !== 'lorax') throw new UsageError('adapters export needs --for vllm or --for lorax');
    if (!ctx.values.out) throw new UsageError('adapters export needs --out DIR');
    return withCore(ctx, (core) => callCore(core, 'adapters.export', { name, for: target, out: path.resolve(String(ctx.values.out)) }));
  },
  human: (r: { dir: string; command: string }) => `Wrote ${r.dir}\n${r.command}`,
};

function positional(positionals: string[], usage: string): string {
  const [first, ...rest] = positionals;
  if (!first || rest.length > 0) throw new UsageError(`usage: studio ${usage}`);
  return first;
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
