// Learning rate for an optimizer step, as transformers' schedulers compute it
// (get_constant_schedule_with_warmup, get_linear_schedule_with_warmup,
// get_cosine_schedule_with_warmup with num_cycles 0.5): linear warmup from 0, then constant,
// linear decay to 0, or half a cosine down to minLrRatio * lr (0 in transformers).
// `step` counts optimizer steps from 0, as the scheduler's last_epoch does.
export interface LrSchedule {
  lr: number;
  kind: 'constant' | 'linear' | 'cosine';
  warmupSteps: number;
  totalSteps: number;
  /** Floor of the cosine schedule as a fraction of lr (transformers: 0). */
  minLrRatio?: number;
}

export function learningRateAt(step: number, s: LrSchedule): number {
  if (step < s.warmupSteps) return (s.lr * step) / Math.max(1, s.warmupSteps);
  if (s.kind === 'constant') return s.lr;
  const progress = (step - s.warmupSteps) / Math.max(1, s.totalSteps - s.warmupSteps);
  if (s.kind === 'linear') return s.lr * Math.max(0, 1 - progress);
  const floor = s.minLrRatio ?? 0;
  const cosine = Math.max(0, 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
  return s.lr * (floor + (1 - floor) * cosine);
}
