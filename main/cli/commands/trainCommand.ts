import { ApiCallError } from '../../api/apiClient';
import { StudioError } from '../../api/apiError';
import type { TrainingRunSummary } from '../../engine/training/runTraining';
import type { Command } from '../command';
import { runJobToEnd } from '../runJobToEnd';
import { trainOptions, trainParamsFromCli } from '../trainParamsFromCli';
import { withCore } from '../withCore';

export const trainCommand: Command = {
  path: ['train'],
  // Every setting (rank, alpha, targets, steps, lr, batch, seq, seed, eval, ...) is in trainParamsFromCli.ts.
  usage: 'studio train (--config FILE | --model DIR|default --data FILE.jsonl --out DIR [--rank R ...]) [--mode lora|full] [--gradient-checkpointing] [--device auto|cpu|cuda] [--resume RUN] [--json]',
  summary: 'Train a LoRA adapter (or with --mode full every weight, CPU only, writing a whole model) on the native engine (a workspace job; checkpoints under runs/)',
  options: trainOptions,
  async run(ctx) {
    return withCore(ctx, async (core) => {
      const params = trainParamsFromCli(ctx, core.workspace.layout.runs);
      try {
        return (await runJobToEnd(core, 'engine.train', params, ctx.info)).result as TrainingRunSummary;
      } catch (err) {
        // Keep the job's own error code (TRAINING_FAILED, CANCELLED) rather than a generic one.
        if (err instanceof ApiCallError) throw new StudioError(err.code, err.message, err.details);
        throw err;
      }
    });
  },
  human: (s: TrainingRunSummary) =>
    [
      `${s.mode === 'full' ? 'Model' : 'Adapter'} written to ${s.adapter}`,
      `  steps ${s.resumedFromStep > 0 ? `${s.resumedFromStep + 1}-` : ''}${s.steps}, loss ${s.firstLoss?.toFixed(4) ?? '-'} -> ${s.finalLoss?.toFixed(4) ?? '-'}, ${s.tokensPerSecond} tokens/s`,
      ...(s.evalLoss !== null ? [`  eval loss ${s.evalLoss.toFixed(4)}, perplexity ${s.evalPerplexity!.toFixed(3)}`] : []),
      `  device ${s.device.kind === 'cuda' ? (s.device.name ?? 'cuda') : 'cpu'}${s.device.fallbackReason ? ` (no GPU: ${s.device.fallbackReason})` : ''}`,
      `  run folder ${s.runDir} (resume with --resume ${s.runDir})`,
    ].join('\n'),
};
