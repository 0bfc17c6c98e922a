import { existsSync } from 'node:fs';
import { INPUT_LIMITS, readInputText, readJsonFile } from '../files/readInputFile';
import path from 'node:path';
import { ErrorCode, StudioError } from '../api/apiError';
import { EngineTrainParamsSchema, type EngineTrainParams } from '../api/engineSchemas';
import { readRunConfig } from '../engine/training/runTraining';
import { DEFAULT_MODEL_ARGUMENT, resolveModelArgument } from '../engine/defaultModel/resolveModelArgument';
import { resolveResumeDir } from '../jobs/kinds/trainingPaths';
import type { CommandContext, OptionSpec } from './command';

/**
 * `studio train`'s settings: flags in kebab-case, the same settings in a JSON config file under
 * the camelCase of the flag names (`--max-grad-norm` is `maxGradNorm`). Flags win over the file.
 * Both are checked by the job's own schema, so errors name the field (and, for a file, its line).
 */
const NUMBERS = ['rank', 'alpha', 'dropout', 'steps', 'lr', 'warmup', 'batch', 'seq', 'accumulation', 'weight-decay', 'max-grad-norm', 'seed', 'checkpoint-every', 'threads'];
const STRINGS = ['model', 'data', 'eval', 'out', 'targets', 'schedule', 'device', 'mode'];
const PATHS = ['model', 'data', 'eval', 'out'];

export const trainOptions: OptionSpec = {
  config: { type: 'string' },
  resume: { type: 'string' },
  rslora: { type: 'boolean' },
  'gradient-checkpointing': { type: 'boolean' },
  // After training: build the adapter's gradient store for attribution and wait (waitForGradientStore).
  'gradient-store': { type: 'boolean' },
  datanet: { type: 'string' },
  ...Object.fromEntries([...NUMBERS, ...STRINGS].map((name) => [name, { type: 'string' as const }])),
};

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** "q,v" and ["q", "v"] both mean two targets. */
function normaliseTargets(v: unknown): unknown {
  return typeof v === 'string' ? v.split(',').map((t) => t.trim()).filter(Boolean) : v;
}

/** 1-based line of a byte offset in text. */
function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function readConfigFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new StudioError(ErrorCode.InvalidRequest, `--config: ${file} does not exist`);
  let json: unknown;
  try {
    json = readJsonFile(file, INPUT_LIMITS.smallJson);
  } catch (e) {
    // The message names the file, line and column, never the file's text.
    throw new StudioError(ErrorCode.InvalidRequest, `--config: ${(e as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new StudioError(ErrorCode.InvalidRequest, `${file}: the config must be a JSON object`);
  const out: Record<string, unknown> = { ...(json as Record<string, unknown>) };
  // Paths in a config file are relative to the file, so a run's config can travel with its data.
  for (const key of PATHS) if (typeof out[key] === 'string') out[key] = key === 'model' && out[key] === DEFAULT_MODEL_ARGUMENT ? out[key] : path.resolve(path.dirname(file), out[key] as string);
  return out;
}

/** Errors of a config file point at the line that sets the field. */
function explain(issues: { path: PropertyKey[]; message: string }[], file: string | null): string {
  const text = file ? readInputText(file, INPUT_LIMITS.smallJson) : '';
  return issues
    .map((i) => {
      const key = String(i.path[0] ?? '');
      if (!file) return `--${kebab(key)}: ${i.message}`;
      const at = text.indexOf(`"${key}"`);
      return `${at >= 0 ? `${file}:${lineAt(text, at)}` : file}: ${i.path.map(String).join('.') || '(config)'}: ${i.message}`;
    })
    .join('; ');
}

/**
 * The job params for `studio train`. `runsDir` resolves `--resume NAME` (a run under the
 * workspace's runs/); a resumed run starts from its run.json and takes only flags given now.
 */
export function trainParamsFromCli(ctx: CommandContext, runsDir: string): EngineTrainParams {
  const v = ctx.values;
  const configFile = typeof v.config === 'string' ? path.resolve(v.config) : null;
  let base: Record<string, unknown> = {};
  let resume: string | undefined;
  if (typeof v.resume === 'string') {
    resume = resolveResumeDir(runsDir, v.resume);
    base = { ...readRunConfig(resume) };
  }
  if (configFile) base = { ...base, ...readConfigFile(configFile) };
  const flags: Record<string, unknown> = {};
  for (const name of NUMBERS) if (typeof v[name] === 'string') flags[camel(name)] = Number(v[name]);
  for (const name of STRINGS) if (typeof v[name] === 'string') flags[camel(name)] = PATHS.includes(name) && !(name === 'model' && v[name] === DEFAULT_MODEL_ARGUMENT) ? path.resolve(v[name] as string) : v[name];
  if (v.rslora === true) flags.rslora = true;
  if (v['gradient-checkpointing'] === true) flags.gradientCheckpointing = true;
  const raw: Record<string, unknown> = { ...base, ...flags, ...(resume ? { resume } : {}) };
  // `default`: the built-in model, its files checked against the model card before the job starts.
  if (raw.model === DEFAULT_MODEL_ARGUMENT) {
    try {
      raw.model = resolveModelArgument(DEFAULT_MODEL_ARGUMENT);
    } catch (err) {
      throw new StudioError('MODEL_INVALID', `--model default: ${(err as Error).message}`);
    }
  }
  if (raw.targets !== undefined) raw.targets = normaliseTargets(raw.targets);
  const parsed = EngineTrainParamsSchema.safeParse(raw);
  if (!parsed.success) {
    // Blame the file only for fields the flags did not set.
    const fromFile = parsed.error.issues.filter((i) => configFile && !(String(i.path[0]) in flags));
    const fromFlags = parsed.error.issues.filter((i) => !fromFile.includes(i));
    const parts = [fromFile.length ? explain(fromFile, configFile) : '', fromFlags.length ? explain(fromFlags, null) : ''].filter(Boolean);
    throw new StudioError(ErrorCode.InvalidRequest, parts.join('; '), { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  return parsed.data;
}
