// One LoRA fine-tune of the evaluation (the copy, or an LDS subset) with the engine's own
// training run (runTraining), on the CPU, every projection of every layer targeted: a rank-r
// update of the attention alone memorises planted facts slowly.
import { modelSpecWithFiles } from '../../engine/modelSpecWithFiles';
import { runTraining, type TrainingRunSummary } from '../../engine/training/runTraining';
import type { EvalSettings } from './evalSettings';

export function evalTargets(modelDir: string): string[] {
  return modelSpecWithFiles(modelDir).arch === 'gpt2' ? ['c_attn', 'c_proj', 'c_fc'] : ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];
}

export function trainEvalAdapter(o: { modelDir: string; data: string; out: string; runDir: string; training: EvalSettings['training']; seed: number; log?: (m: string) => void }): Promise<TrainingRunSummary> {
  const t = o.training;
  const spec = modelSpecWithFiles(o.modelDir);
  return runTraining(
    {
      model: o.modelDir, data: o.data, out: o.out, rank: t.rank, alpha: t.alpha, targets: evalTargets(o.modelDir), dropout: 0, rslora: false, steps: t.steps, lr: t.lr,
      schedule: 'cosine', warmup: Math.min(10, Math.floor(t.steps / 10)), batch: t.batch, seq: Math.min(t.seq, spec.maxPositions), accumulation: 1, weightDecay: 0,
      maxGradNorm: 1, seed: o.seed, checkpointEvery: t.steps, device: 'cpu',
    },
    o.runDir,
    false,
    { progress: () => {}, log: (_level, m) => o.log?.(m), betweenChunks: async () => false },
  );
}
