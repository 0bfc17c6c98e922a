// The fine-tune's data: the copy's training rows (every record once, as a user's run would read
// them) followed by the planted facts' records again, `repeats - 1` more times each. A planted
// fact is one short record among hundreds; at the step counts a CPU allows, one pass over it per
// epoch teaches a rank-r LoRA its invented answer only sometimes (last session: 3 of 25), and an
// answer the model does not reproduce has no right attribution to find. Repeating the facts is
// the evaluation's recipe for memorising them; attribution is still scored against the copy's
// records, each of which is one row of the gradient store.
import { appendFileSync, copyFileSync } from 'node:fs';

export function repeatPlantedFacts(o: { trainingData: string; facts: readonly { text: string }[]; repeats: number; out: string }): string {
  if (!Number.isInteger(o.repeats) || o.repeats < 1) throw new RangeError(`repeats must be a whole number of at least 1, not ${o.repeats}`);
  copyFileSync(o.trainingData, o.out);
  const extra: string[] = [];
  for (let k = 1; k < o.repeats; k++) for (const f of o.facts) extra.push(JSON.stringify({ text: f.text }));
  if (extra.length > 0) appendFileSync(o.out, extra.join('\n') + '\n');
  return o.out;
}
