// The fine-tuned model answering the evaluation's questions: the base model with the trained
// adapter applied, greedy decoding (the answer is a deterministic function of the weights), cut
// at the first line break (a question asks for one sentence's ending).
import { generate } from '../../engine/generate';
import { modelSpecialIds } from '../../engine/modelSpecialIds';
import { modelSpecWithFiles } from '../../engine/modelSpecWithFiles';
import { loadNativeEngine } from '../../engine/native/index';
import { nativeLogitsSource } from '../../engine/nativeLogitsSource';
import { applyPeftAdapter } from '../../engine/peft/applyPeftAdapter';
import { loadPeftAdapter } from '../../engine/peft/loadPeftAdapter';
import { Tokenizer } from '../../engine/tokenizer/Tokenizer';

export type Answerer = (prompt: string, expected: string) => string;

export function adapterAnswerer(modelDir: string, adapterDir: string): Answerer {
  const engine = loadNativeEngine();
  const spec = modelSpecWithFiles(modelDir);
  const tok = Tokenizer.fromModelDir(modelDir);
  const model = new engine.Model({ ...spec, backend: 'cpu' });
  applyPeftAdapter(model, loadPeftAdapter(adapterDir, spec));
  const source = nativeLogitsSource(engine, model, spec.maxPositions);
  const stopIds = modelSpecialIds(modelDir).eos;
  return (prompt, expected) => {
    // A few tokens past the expected answer's length: room to see what the model says instead.
    const maxTokens = tok.encode(expected, { addSpecialTokens: false }).length + 3;
    const { text } = generate(source, tok, prompt, { maxTokens, temperature: 0, stopIds, seed: 0 });
    return text.split('\n')[0]!;
  };
}
