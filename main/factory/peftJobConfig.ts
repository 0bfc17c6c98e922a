// A run as a job for PyTorch (transformers + PEFT, accelerate for several GPUs): the settings the
// engine trained with, in the names those libraries use. Pure, so a test checks the mapping
// without PyTorch; the script (peftJobScript.ts) reads exactly this JSON.
import type { Pipeline } from '../api/pipelineSchemas';

export interface PeftJobConfig {
  run: { id: string; configHash: string };
  base_model: string;
  datanet: { name: string; version: number; merkle_root: string };
  data: { train: string; eval: string | null; format: Pipeline['format']['kind']; response_only_loss: boolean };
  lora: { r: number; lora_alpha: number; lora_dropout: number; target_modules: string[]; use_rslora: boolean; fan_in_fan_out: boolean; bias: 'none'; task_type: 'CAUSAL_LM' };
  training: {
    learning_rate: number;
    max_steps: number;
    per_device_train_batch_size: number;
    gradient_accumulation_steps: number;
    warmup_steps: number;
    lr_scheduler_type: string;
    weight_decay: number;
    max_grad_norm: number;
    seed: number;
    max_seq_length: number;
    eval_steps: number | null;
    save_steps: number;
    adam_beta1: number;
    adam_beta2: number;
    adam_epsilon: number;
  };
  evaluate: { prompts: string[]; max_new_tokens: number };
}

/** The engine's short target names as PEFT module names (llama q -> q_proj; gpt2 names stay). */
export function peftTargetModules(arch: 'llama' | 'gpt2', targets: string[] | undefined): string[] {
  const t = targets ?? (arch === 'gpt2' ? ['c_attn'] : ['q', 'v']);
  return [...new Set(t.map((x) => (arch === 'gpt2' ? x.split('.').pop()! : x.endsWith('_proj') ? x : `${x}_proj`)))];
}

/**
 * The engine's schedules: linear warmup to lr, then constant / linear to 0 / cosine to 0. The
 * transformers names for the same curves ('constant' has no warmup there).
 */
export function lrSchedulerType(schedule: Pipeline['train']['schedule'], warmup: number): string {
  if (schedule === 'constant') return warmup > 0 ? 'constant_with_warmup' : 'constant';
  return schedule;
}

export function peftJobConfig(p: Pipeline, run: { id: string; configHash: string; steps: number; arch: 'llama' | 'gpt2'; baseModel: string; datanet: { name: string; version: number; merkleRoot: string }; hasEval: boolean }): PeftJobConfig {
  return {
    run: { id: run.id, configHash: run.configHash },
    base_model: run.baseModel,
    datanet: { name: run.datanet.name, version: run.datanet.version, merkle_root: run.datanet.merkleRoot },
    data: { train: 'data/train.jsonl', eval: run.hasEval ? 'data/eval.jsonl' : null, format: p.format.kind, response_only_loss: p.format.kind !== 'text' && p.format.responseOnlyLoss },
    lora: { r: p.lora.rank, lora_alpha: p.lora.alpha, lora_dropout: p.lora.dropout, target_modules: peftTargetModules(run.arch, p.lora.targets), use_rslora: p.lora.rslora, fan_in_fan_out: run.arch === 'gpt2', bias: 'none', task_type: 'CAUSAL_LM' },
    training: {
      learning_rate: p.train.lr,
      max_steps: run.steps,
      per_device_train_batch_size: p.train.batch,
      gradient_accumulation_steps: p.train.accumulation,
      warmup_steps: p.train.warmup,
      lr_scheduler_type: lrSchedulerType(p.train.schedule, p.train.warmup),
      weight_decay: p.train.weightDecay,
      max_grad_norm: p.train.maxGradNorm,
      seed: p.train.seed,
      max_seq_length: p.train.seq,
      eval_steps: p.train.evalEvery ?? null,
      save_steps: p.train.checkpointEvery,
      // The engine's AdamW (native/src/adamw.h).
      adam_beta1: 0.9,
      adam_beta2: 0.999,
      adam_epsilon: 1e-8,
    },
    evaluate: { prompts: p.evaluate.prompts, max_new_tokens: p.evaluate.maxTokens },
  };
}
