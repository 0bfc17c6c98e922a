// How big an evaluation is. `quick` is sized for CI (a tiny model on 2 cores in well under two
// minutes): it checks that every stage runs and reports, not that the figures are good. The full
// setting is what bench/RESULTS.md records, sized for a shared 2-core CPU (about 4 CPU-minutes
// with the default model): enough facts for the recalls to mean something, each fact's record
// repeated so the LoRA memorises it in 150 steps, rows of 64 tokens (a planted fact is ~15; the
// background is cut as training cuts it).

export interface EvalSettings {
  verbatimFacts: number;
  paraphrasedFacts: number;
  /** Background records taken from the datanet (or the demo corpus). */
  backgroundRecords: number;
  training: { steps: number; batch: number; seq: number; rank: number; alpha: number; lr: number };
  /** How many times each planted fact's record is in the fine-tune's data (repeatPlantedFacts.ts); the rest once. */
  factRepeats: number;
  /** Share of the background records whose words are shuffled for the self-influence check. */
  corruptFraction: number;
  /** LDS: how many random subsets are retrained, each holding `ldsFraction` of the records, and how many facts are its queries. */
  ldsSubsets: number;
  ldsFraction: number;
  ldsQueries: number;
  /** Steps of each LDS retraining (fewer than the main run's on half the data: CPU time). */
  ldsSteps: number;
}

export function evalSettings(quick: boolean): EvalSettings {
  return quick
    ? { verbatimFacts: 6, paraphrasedFacts: 6, backgroundRecords: 24, training: { steps: 60, batch: 8, seq: 64, rank: 8, alpha: 16, lr: 3e-3 }, factRepeats: 4, corruptFraction: 0.1, ldsSubsets: 3, ldsFraction: 0.5, ldsQueries: 4, ldsSteps: 40 }
    : { verbatimFacts: 12, paraphrasedFacts: 12, backgroundRecords: 60, training: { steps: 150, batch: 8, seq: 64, rank: 16, alpha: 32, lr: 3e-3 }, factRepeats: 6, corruptFraction: 0.1, ldsSubsets: 3, ldsFraction: 0.5, ldsQueries: 6, ldsSteps: 60 };
}
