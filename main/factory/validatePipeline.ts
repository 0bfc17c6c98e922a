// factory.validate: a pipeline's text checked against its schema and then against what it names
// (the base model's architecture, context and tokenizer; the datanet version's schema and size).
// Every error is placed on its node, with the YAML line, so the graph marks the node and the CLI
// prints file:line. What it resolves (model folder, datanet version, split sizes) is what a run
// then starts from, so validation and the run cannot disagree.
import path from 'node:path';
import type { Datanet } from '../api/datanetSchemas';
import type { FactoryValidateResult, Pipeline, PipelineError } from '../api/pipelineSchemas';
import { getDatanet } from '../datanets/datanetsRepository';
import { getVersionRow, versionRecords } from '../datanets/versionsRepository';
import { DEFAULT_MODEL_ARGUMENT, resolveModelArgument } from '../engine/defaultModel/resolveModelArgument';
import { inspectModel, type ModelInspection } from '../engine/inspectModel';
import type { Db } from '../workspace/openDatabase';
import { FORMAT_READS } from './formatRecord';
import { errorAt, parsePipelineYaml } from './parsePipelineYaml';
import { evalIndexes } from './splitRecords';

/** Modules LoRA can adapt, per architecture (short and PEFT names both accepted). */
export const LORA_TARGETS: Record<ModelInspection['spec']['arch'], readonly string[]> = {
  llama: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'],
  gpt2: ['c_attn', 'c_proj', 'c_fc'],
};

export function targetKnown(arch: ModelInspection['spec']['arch'], target: string): boolean {
  const short = arch === 'gpt2' ? target.split('.').pop()! : target.replace(/_proj$/, '');
  return LORA_TARGETS[arch].includes(short);
}

export interface ResolvedPipeline {
  pipeline: Pipeline;
  modelDir: string;
  model: ModelInspection;
  datanet: Datanet;
  version: { id: number; version: number; merkleRoot: string; records: number };
  trainRecords: number;
  evalRecords: number;
  /** train.steps, or the epochs as whole steps over the training split. */
  steps: number;
}

export function stepsOf(p: Pipeline, trainRecords: number): number {
  if (p.train.steps !== undefined) return p.train.steps;
  return Math.max(1, Math.ceil(((p.train.epochs ?? 1) * trainRecords) / (p.train.batch * p.train.accumulation)));
}

export function resolvePipeline(db: Db | null, yaml: string, baseDir: string): { result: FactoryValidateResult; resolved: ResolvedPipeline | null } {
  const parsed = parsePipelineYaml(yaml);
  if (!parsed.pipeline) return { result: { pipeline: null, errors: parsed.errors }, resolved: null };
  const p = parsed.pipeline;
  const errors: PipelineError[] = [];
  const fail = (pathParts: (string | number)[], message: string) => errors.push({ ...errorAt(pathParts), message, line: parsed.lineOf(pathParts) });

  let modelDir: string | null = null;
  let model: ModelInspection | null = null;
  try {
    modelDir = p.model.base === DEFAULT_MODEL_ARGUMENT ? resolveModelArgument(DEFAULT_MODEL_ARGUMENT) : path.resolve(baseDir, p.model.base);
    model = inspectModel(modelDir);
  } catch (err) {
    fail(['model', 'base'], `${p.model.base}: ${(err as Error).message}`);
  }
  if (model) {
    if (p.train.seq > model.spec.maxPositions) fail(['train', 'seq'], `${p.train.seq} tokens is longer than the model's context (${model.spec.maxPositions} positions)`);
    (p.lora.targets ?? []).forEach((t, i) => {
      if (!targetKnown(model.spec.arch, t)) fail(['lora', 'targets', i], `the ${model.spec.arch} architecture has no module "${t}" (it has ${LORA_TARGETS[model.spec.arch].join(', ')})`);
    });
    if (p.format.kind === 'chat' && !model.tokenizer?.chatTemplate) fail(['format', 'kind'], `the model's tokenizer has no chat template (tokenizer_config.json chat_template); use 'instruction' or 'text'`);
    for (const [i, prompt] of p.evaluate.prompts.entries()) if (prompt.length > model.spec.maxPositions * 8) fail(['evaluate', 'prompts', i], 'the prompt is longer than the model can read');
  }

  let resolved: ResolvedPipeline | null = null;
  if (db) {
    try {
      const datanet = getDatanet(db, p.datanet.name);
      const row = getVersionRow(db, datanet.id, datanet.name, p.datanet.version);
      if (!FORMAT_READS[p.format.kind].includes(datanet.schema)) {
        fail(['format', 'kind'], `datanet ${datanet.name} holds ${datanet.schema} records, which format '${p.format.kind}' cannot use (it reads ${FORMAT_READS[p.format.kind].join(', ')})`);
      }
      const contributors = [...versionRecords(db, row.id)].map((r) => r.contributor);
      const held = evalIndexes(contributors, p.split).size;
      const train = contributors.length - held;
      if (p.split.evalFraction > 0 && held === 0) {
        fail(['split', p.split.by === 'contributor' ? 'by' : 'evalFraction'], p.split.by === 'contributor' && new Set(contributors).size < 2
          ? `datanet ${datanet.name} v${row.version} has one contributor: holding out by contributor leaves nothing to train on or nothing to evaluate`
          : `the eval split is empty: ${p.split.evalFraction} of ${contributors.length} records rounds to 0`);
      }
      if (train === 0) fail(['split', 'evalFraction'], `the training split is empty (${contributors.length} records, all held out)`);
      if (p.train.evalEvery !== undefined && (held === 0 || !p.evaluate.evalLoss) && p.evaluate.prompts.length === 0) fail(['train', 'evalEvery'], 'nothing to evaluate: no eval split and no evaluate.prompts');
      if (model && modelDir && errors.length === 0) {
        resolved = {
          pipeline: p, modelDir, model, datanet,
          version: { id: row.id, version: row.version, merkleRoot: row.merkle_root, records: row.records },
          trainRecords: train, evalRecords: held, steps: stepsOf(p, train),
        };
        if (p.train.warmup >= resolved.steps && p.train.warmup > 0) fail(['train', 'warmup'], `warmup (${p.train.warmup}) must be shorter than the run (${resolved.steps} steps)`);
      }
    } catch (err) {
      fail(['datanet', p.datanet.version === undefined ? 'name' : 'version'], (err as Error).message);
    }
  }
  if (errors.length > 0) return { result: { pipeline: null, errors }, resolved: null };
  return { result: { pipeline: p, errors: [] }, resolved };
}
