// How big an evaluation is. `quick` is sized for CI (a tiny model on 2 cores in well under two
// minutes): it checks that every stage runs and reports, not that the figures are good. The full
// setting is what bench/RESULTS.md records: enough facts for the recalls to mean something and
// enough steps for a LoRA to memorise them.

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
    : { verbatimFacts: 25, paraphrasedFacts: 25, backgroundRecords: 200, training: { steps: 300, batch: 8, seq: 96, rank: 16, alpha: 32, lr: 3e-3 }, factRepeats: 8, corruptFraction: 0.1, ldsSubsets: 3, ldsFraction: 0.5, ldsQueries: 10, ldsSteps: 100 };
}
