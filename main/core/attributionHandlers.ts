import path from 'node:path';
import type { ChainExplorer } from '../chain/explorer/chainExplorer';
import { findAdapter } from '../adapters/adaptersRepository';
import { registeredAdapterFiles } from '../adapters/storeAdapterFolder';
import type { GradientStoreBuilds } from '../attribution/GradientStoreBuilds';
import { attributeCompletion, tokensOfText } from '../attribution/attributeCompletion';
import { recordInference } from '../attribution/inferenceLedger';
import { readAttributionThreshold } from '../attribution/readAttributionThreshold';
import { loadNativeEngine } from '../engine/native/index';
import type { PlaygroundService } from '../playground/PlaygroundService';
import type { Db } from '../workspace/openDatabase';
import type { Handlers } from './handlers';

// Settlement's attribution.* methods are settlementHandlers'.
type AttributionMethod = Extract<keyof Handlers, 'attribution.attribute'>;

/**
 * Proof of Attribution's methods. `attribution.attribute` re-tokenises the completion with the
 * served base's tokenizer (after the prompt, so each token's text is what streaming showed),
 * attributes it against the datanet (its span index built on first use) with the adapter's
 * gradient evidence when its store exists (when it does not, the store's job is started and this
 * answer gets exact spans only, saying so), and reads the threshold from the devnet when it runs.
 * With `record` (the default) the inference goes into the open epoch with its fee split by the
 * shares after the threshold (`recordInference`, settled later by `attribution.settle`); previews
 * and evaluation pass `record: false`.
 */
export function attributionHandlers(deps: {
  db: () => Db;
  root: () => string;
  playground: () => PlaygroundService;
  gradientStores: () => GradientStoreBuilds;
  explorer: () => ChainExplorer | null;
}): Pick<Handlers, AttributionMethod> {
  return {
    'attribution.attribute': async (p) => {
      const playground = deps.playground();
      const base = await playground.base();
      const adapterName = playground.resolveModel(base, p.model);
      const adapter = adapterName ? (findAdapter(deps.db(), adapterName) ?? null) : null;
      const threshold = await readAttributionThreshold(deps.explorer());
      const promptIds = base.tokenizer.encode(p.prompt, { addSpecialTokens: false });
      const result = attributeCompletion({
        engine: loadNativeEngine(),
        db: deps.db(),
        workspaceRoot: deps.root(),
        tokenizer: base.tokenizer,
        model: p.model,
        adapter,
        datanet: p.datanet,
        tokens: tokensOfText(base.tokenizer, p.completion, promptIds),
        promptIds,
        gradientSource: adapter ? { baseDir: base.dir, baseDigest: base.digest, adapterFiles: registeredAdapterFiles(path.join(deps.root(), 'artifacts'), adapter) } : null,
        storeMissing: () => {
          const job = deps.gradientStores().ensure(adapter!.name, base.dir);
          return job ? `job ${job.id} is building it; answers after it finishes use both evidences` : null;
        },
        threshold,
      });
      if (!p.record) return result;
      // No contributor above the threshold means nobody to pay: nothing is recorded (null).
      const inference = recordInference(deps.db(), { model: p.model, adapter: adapter?.name ?? null, datanet: result.datanet, contributors: result.contributors });
      return { ...result, inference };
    },
  };
}
