import type { ChainExplorer } from '../chain/explorer/chainExplorer';
import { findAdapter } from '../adapters/adaptersRepository';
import { attributeCompletion, tokensOfText } from '../attribution/attributeCompletion';
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
 * attributes it against the datanet (its span index built on first use) and reads the threshold
 * from the devnet when it runs. The inference is not recorded here (settlement does that).
 */
export function attributionHandlers(deps: { db: () => Db; root: () => string; playground: () => PlaygroundService; explorer: () => ChainExplorer | null }): Pick<Handlers, AttributionMethod> {
  return {
    'attribution.attribute': async (p) => {
      const playground = deps.playground();
      const base = await playground.base();
      const adapterName = playground.resolveModel(base, p.model);
      const adapter = adapterName ? (findAdapter(deps.db(), adapterName) ?? null) : null;
      const threshold = await readAttributionThreshold(deps.explorer());
      return attributeCompletion({
        engine: loadNativeEngine(),
        db: deps.db(),
        workspaceRoot: deps.root(),
        tokenizer: base.tokenizer,
        model: p.model,
        adapter,
        datanet: p.datanet,
        tokens: tokensOfText(base.tokenizer, p.completion, base.tokenizer.encode(p.prompt, { addSpecialTokens: false })),
        threshold,
      });
    },
  };
}
