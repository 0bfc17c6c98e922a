import { ErrorCode, StudioError } from '../api/apiError';
import type { ResponseAttribution } from '../api/attributionSchemas';
import { attributeCompletion } from '../attribution/attributeCompletion';
import { readAttributionThreshold } from '../attribution/readAttributionThreshold';
import { resolveAttributionAdapter } from '../attribution/resolveAttributionAdapter';
import { ChainExplorer } from '../chain/explorer/chainExplorer';
import type { GeneratedToken } from '../engine/generate';
import { loadNativeEngine } from '../engine/native/index';
import type { Tokenizer } from '../engine/tokenizer/Tokenizer';
import { readChainTarget } from './chainTarget';
import type { CommandContext } from './command';
import { withExistingReadonlyWorkspace } from './withReadonlyWorkspace';

/**
 * `studio generate --attribute`: the generated tokens attributed against the datanet (the
 * adapter's lineage or --datanet), read from the workspace without its lock (it works beside a
 * running `studio serve`); the threshold from the devnet when one runs. Returns what --json adds:
 * each token's `attribution` ({records, span}) and `matchLength`, the response's `contributors`,
 * and the rest of the ResponseAttribution under `attribution`.
 */
export async function attributeGenerated(
  ctx: CommandContext,
  a: { modelDir: string; tokenizer: Tokenizer; adapterArg: string | undefined; datanet: string | undefined; tokens: GeneratedToken[] },
): Promise<{ tokens: (GeneratedToken & { matchLength: number; attribution: { records: { record: string; contributor: string; score: number }[]; span: ResponseAttribution['spans'][number] | null } })[]; contributors: ResponseAttribution['contributors']; attribution: Omit<ResponseAttribution, 'tokens' | 'contributors'> }> {
  let explorer: ChainExplorer | null = null;
  try {
    const t = readChainTarget(ctx);
    if (t.devnet && t.deployment) explorer = new ChainExplorer({ rpcUrl: t.devnet.rpcUrl, chainId: t.settings.chainId, contracts: t.contracts });
  } catch {
    // No workspace or no chain tables: the default threshold applies.
  }
  const threshold = await readAttributionThreshold(explorer);
  const r = withExistingReadonlyWorkspace(ctx, (db, _name, root) => {
    const adapter = a.adapterArg ? resolveAttributionAdapter(db, a.adapterArg).record : null;
    return attributeCompletion({
      engine: loadNativeEngine(),
      db,
      workspaceRoot: root,
      tokenizer: a.tokenizer,
      model: adapter?.name ?? 'base',
      adapter,
      datanet: a.datanet,
      tokens: a.tokens.map((t) => ({ id: t.id, text: t.text })),
      threshold,
    });
  });
  if (!r) throw new StudioError(ErrorCode.NotFound, '--attribute needs a workspace with the datanet: this workspace does not exist yet.');
  const { tokens, contributors, ...rest } = r;
  return {
    tokens: a.tokens.map((t, i) => ({
      ...t,
      matchLength: tokens[i]!.matchLength,
      attribution: { records: tokens[i]!.attribution.records.map(({ record, contributor, score }) => ({ record, contributor, score })), span: tokens[i]!.attribution.span },
    })),
    contributors,
    attribution: rest,
  };
}
