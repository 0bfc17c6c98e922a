import { describe, expect, it } from 'vitest';
import { parsePipelineYaml } from '../parsePipelineYaml';
import { lrSchedulerType, peftJobConfig } from '../peftJobConfig';

// The mapping from a pipeline to the PyTorch job's settings. The script itself (train.py) was
// not run here: this machine has no PyTorch.
const yaml = `pipeline: 1
datanet: { name: qa, version: 2 }
format: { kind: instruction, responseOnlyLoss: true }
lora: { targets: [q, v, gate_proj], rank: 16, alpha: 32, dropout: 0.05, rslora: true }
train: { lr: 0.0003, steps: 120, batch: 8, seq: 512, accumulation: 4, warmup: 10, schedule: constant, weightDecay: 0.01, maxGradNorm: 0.5, seed: 9, evalEvery: 40, checkpointEvery: 20 }
evaluate: { prompts: [Hello], maxTokens: 16 }
adapter: { name: qa-lora }
`;

describe('peftJobConfig', () => {
  const p = parsePipelineYaml(yaml).pipeline!;
  const run = { id: 'r1', configHash: 'ab', steps: 120, arch: 'llama' as const, baseModel: '/models/base', datanet: { name: 'qa', version: 2, merkleRoot: '0x01' }, hasEval: true };

  it('maps LoRA, optimizer, schedule, masking and data to transformers + PEFT names', () => {
    expect(peftJobConfig(p, run)).toEqual({
      run: { id: 'r1', configHash: 'ab' },
      base_model: '/models/base',
      datanet: { name: 'qa', version: 2, merkle_root: '0x01' },
      data: { train: 'data/train.jsonl', eval: 'data/eval.jsonl', format: 'instruction', response_only_loss: true },
      lora: { r: 16, lora_alpha: 32, lora_dropout: 0.05, target_modules: ['q_proj', 'v_proj', 'gate_proj'], use_rslora: true, fan_in_fan_out: false, bias: 'none', task_type: 'CAUSAL_LM' },
      training: {
        learning_rate: 0.0003, max_steps: 120, per_device_train_batch_size: 8, gradient_accumulation_steps: 4, warmup_steps: 10,
        lr_scheduler_type: 'constant_with_warmup', weight_decay: 0.01, max_grad_norm: 0.5, seed: 9, max_seq_length: 512,
        eval_steps: 40, save_steps: 20, adam_beta1: 0.9, adam_beta2: 0.999, adam_epsilon: 1e-8,
      },
      evaluate: { prompts: ['Hello'], max_new_tokens: 16 },
    });
  });

  it('keeps GPT-2 module names, marks its Conv1D layout and defaults the targets as the engine does', () => {
    const gpt2 = peftJobConfig({ ...p, lora: { ...p.lora, targets: undefined } }, { ...run, arch: 'gpt2' });
    expect(gpt2.lora).toMatchObject({ target_modules: ['c_attn'], fan_in_fan_out: true });
    expect(peftJobConfig({ ...p, lora: { ...p.lora, targets: undefined } }, run).lora.target_modules).toEqual(['q_proj', 'v_proj']);
  });

  it('names the engine schedules as transformers does', () => {
    expect([lrSchedulerType('constant', 0), lrSchedulerType('linear', 5), lrSchedulerType('cosine', 0)]).toEqual(['constant', 'linear', 'cosine']);
  });
});
