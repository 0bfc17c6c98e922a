import { attributionSettlement } from './attributionSettlement';
import { attributionGradients } from './attributionGradients';
import { attributionQuery } from './attributionQuery';
import { attributionSpans } from './attributionSpans';
import { attributionEvalDiagnostic } from './attributionEvalDiagnostic';
import { chainGas } from './chainGas';
import { datanetFreeze } from './datanetFreeze';
import { datanetImport } from './datanetImport';
import { datanetStageCommit } from './datanetStageCommit';
import { datanetScale } from './datanetScale';
import { decodeVsLlama } from './decodeVsLlama';
import { engineGenerate } from './engineGenerate';
import { engineTrain } from './engineTrain';
import { engineTrainFull } from './engineTrainFull';
import { openlora } from './openlora';
import { openloraAdapters } from './openloraAdapters';
import { openloraEndpoint } from './openloraEndpoint';
import { factoryChartFrames } from './factoryChartFrames';
import { factoryDemo } from './factoryDemo';
import { apiRoundTrip } from './foundation/apiRoundTrip';
import { bundleSize } from './foundation/bundleSize';
import { serveColdStart } from './foundation/serveColdStart';

export interface Bench {
  run(): Promise<unknown>;
  /** Part of a plain `npm run bench`. */
  default: boolean;
}

/** Every benchmark by name. Capabilities add theirs here. */
export const benches: Record<string, Bench> = {
  'serve-cold-start': { run: serveColdStart, default: true },
  'api-round-trip': { run: apiRoundTrip, default: true },
  'bundle-size': { run: bundleSize, default: true },
  // Devnet cold start, deploy time and gas per protocol operation (needs contracts/generated).
  'chain-gas': { run: chainGas, default: false },
  // Native engine: LoRA step vs forward at GPT-2-124M shape (minutes on 2 cores).
  'engine-train': { run: () => engineTrain(), default: false },
  // Native engine: full-parameter step (every weight) vs forward at the same shape.
  'engine-train-full': { run: () => engineTrainFull(), default: false },
  // Native engine vs llama.cpp, batch-1 generation tokens/s on the same GPT-2-small weights.
  'engine-generate': { run: () => engineGenerate(), default: false },
  // Batch-1 decode vs llama.cpp at 1 and 2 threads, rounds interleaved, with the engine's per-token
  // profile and the thread pool's previous region ending as reference.
  'decode-vs-llama': { run: () => decodeVsLlama(), default: false },
  // Datanet import of ~1 KB JSONL records with every signal, then a version freeze
  // (DATANET_BENCH_RECORDS, default 1,000,000: many minutes on 2 cores).
  datanetImport: { run: datanetImport, default: false },
  // The import's stage and commit halves in-process on 10,000 records (DATANET_BENCH_RECORDS): CPU per record.
  datanetStageCommit: { run: datanetStageCommit, default: false },
  // A version freeze of N accepted records (default 100,000), its parts before and after session 8.
  datanetFreeze: { run: datanetFreeze, default: false },
  // A datanet at a million records after import (fixture built once, then kept): listings under
  // every filter and sort, bulk review, version freeze, table scroll frames in Chromium
  // (DATANET_SCALE_RECORDS, default 1,000,000).
  'datanet-scale': { run: datanetScale, default: false },
  // OpenLoRA: 8 requests on 8 adapters batched (segmented LoRA) vs one after another with swapping.
  openlora: { run: () => openlora(), default: false },
  // OpenLoRA adapter operations at SmolLM-135M shape: load from disk, switch among resident, registry
  // and LRU at 1,000 adapters.
  'openlora-adapters': { run: () => openloraAdapters(), default: false },
  // OpenLoRA: /v1/completions (JSON and streaming) of a real serve process vs ServingCore directly.
  'openlora-endpoint': { run: () => openloraEndpoint(), default: false },
  // Settlement gas per attributed inference (pay, post, claim) at 1, 100 and 10,000 inferences an epoch.
  'attribution-settlement': { run: attributionSettlement, default: false },
  // Attribution by gradients: store build, query gradients and DataInf/TracIn scoring of a 256-token
  // response against 100,000 records at the default model's shape; span vs exact quality (tiny model).
  'attribution-gradients': { run: attributionGradients, default: false },
  // The product's query side on the real default model: query gradients of a 256-token response
  // (exact, per span, context cut), DataInf scoring against 100,000 rows, and each shortcut's
  // quality against exact per-token gradients on responses that reproduce a record.
  'attribution-query': { run: attributionQuery, default: false },
  // Exact-span attribution: suffix-table build tokens/s on 2 threads, bytes per token, and a
  // 256-token response against the index (ATTRIBUTION_BENCH_TOKENS, default 10,000,000).
  'attribution-spans': { run: attributionSpans, default: false },
  // `studio eval attribution`'s demo setup trained once into a cache (ATTR_DIAG_DIR), then the
  // answers scored per fact by the product's scorers and BM25: compares attribution rules in
  // seconds on one adapter (minutes the first time).
  'attribution-eval-diagnostic': { run: attributionEvalDiagnostic, default: false },
  // Factory: the run page's charts in Chromium while a real run streams factory.metrics (frame times).
  'factory-chart-frames': { run: factoryChartFrames, default: false },
  // The Factory's demo pipeline through `studio train --config` (the default model, or a stand-in of its shape).
  'factory-demo': { run: factoryDemo, default: false },
};
