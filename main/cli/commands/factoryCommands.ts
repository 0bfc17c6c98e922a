import path from 'node:path';
import { StudioError, ErrorCode } from '../../api/apiError';
import type { FactoryEstimate, FactoryValidateResult, PipelineError } from '../../api/pipelineSchemas';
import { runsCommands } from './runsCommands';
import { INPUT_LIMITS, readInputText } from '../../files/readInputFile';
import { callCore } from '../callCore';
import { UsageError, type Command } from '../command';
import { withCore } from '../withCore';

const WS = '[--workspace NAME] [--json]';

/** "FILE:LINE: node.field: message", the form editors and terminals link to. */
export function formatPipelineErrors(file: string, errors: PipelineError[]): string {
  return errors.map((e) => `${file}${e.line ? `:${e.line}` : ''}: ${e.node}${e.field ? `.${e.field}` : ''}: ${e.message}`).join('\n');
}

export function readPipelineFile(file: string): { text: string; baseDir: string } {
  const resolved = path.resolve(file);
  try {
    return { text: readInputText(resolved, INPUT_LIMITS.smallJson), baseDir: path.dirname(resolved) };
  } catch (err) {
    throw new StudioError(ErrorCode.InvalidRequest, `--config: ${(err as Error).message}`);
  }
}

/** A pipeline's errors as the CLI's failure: the message lists them, details keep them whole. */
export function pipelineInvalid(file: string, errors: PipelineError[]): StudioError {
  return new StudioError('PIPELINE_INVALID', `${file} is not a valid pipeline:\n${formatPipelineErrors(file, errors)}`, { errors });
}

export const pipelineValidate: Command = {
  path: ['pipeline', 'validate'],
  usage: `studio pipeline validate FILE.pipeline.yaml ${WS}`,
  summary: "Check a pipeline file against its schema, its base model and the workspace's datanet; errors name the node, field and line",
  async run(ctx) {
    const file = ctx.positionals[0];
    if (!file) throw new UsageError('usage: studio pipeline validate FILE.pipeline.yaml');
    const { text, baseDir } = readPipelineFile(file);
    return withCore(ctx, async (core) => {
      const r = await callCore(core, 'factory.validate', { yaml: text, baseDir });
      if (r.errors.length > 0) throw pipelineInvalid(file, r.errors);
      return r;
    });
  },
  human: (r: FactoryValidateResult) => `Valid pipeline${r.pipeline?.name ? ` "${r.pipeline.name}"` : ''}: datanet ${r.pipeline?.datanet.name}, base ${r.pipeline?.model.base}, adapter ${r.pipeline?.adapter.name}`,
};

export const pipelineEstimate: Command = {
  path: ['pipeline', 'estimate'],
  usage: `studio pipeline estimate FILE.pipeline.yaml ${WS}`,
  summary: 'Where the pipeline would train and the memory it needs (weights, activations, optimizer), with a batch that fits when it does not',
  async run(ctx) {
    const file = ctx.positionals[0];
    if (!file) throw new UsageError('usage: studio pipeline estimate FILE.pipeline.yaml');
    const { text, baseDir } = readPipelineFile(file);
    return withCore(ctx, (core) => callCore(core, 'factory.estimate', { yaml: text, baseDir }));
  },
  human: (e: FactoryEstimate) => {
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
    return [
      `${e.backend.name}${e.backend.threads ? `, ${e.backend.threads} threads` : ''}: ${e.parameters} parameters, ${e.trainableParameters} trained`,
      `  weights ${mib(e.bytes.weights)}, activations ${mib(e.bytes.activations)}, optimizer ${mib(e.bytes.optimizer)}, gradients ${mib(e.bytes.gradients)}: ${mib(e.bytes.total)} of ${mib(e.available)}`,
      ...(e.warning ? [`  warning: ${e.warning}`] : []),
    ].join('\n');
  },
};

export const factoryCommands: Command[] = [pipelineValidate, pipelineEstimate, ...runsCommands];
