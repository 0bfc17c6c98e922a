import { ErrorCode, StudioError } from '../api/apiError';
import path from 'node:path';
import type { RecordScore, ResponseAttribution } from '../api/attributionSchemas';
import { modelFingerprint } from '../adapters/modelFingerprint';
import { registeredAdapterFiles } from '../adapters/storeAdapterFolder';
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
  a: { modelDir: string; tokenizer: Tokenizer; adapterArg: string | undefined; datanet: string | undefined; promptIds: readonly number[]; tokens: GeneratedToken[] },
): Promise<{ tokens: (GeneratedToken & { matchLength: number; attribution: { records: RecordScore[]; span: ResponseAttribution['spans'][number] | null } })[]; contributors: ResponseAttribution['contributors']; attribution: Omit<ResponseAttribution, 'tokens' | 'contributors'> }> {
  let explorer: ChainExplorer | null = null;
  try {
    const t = readChainTarget(ctx);
    if (t.devnet && t.deployment) explorer = new ChainExplorer({ rpcUrl: t.devnet.rpcUrl, chainId: t.settings.chainId, contracts: t.contracts });
  } catch {
    // No workspace or no chain tables: the default threshold applies.
  }
  const threshold = await readAttributionThreshold(explorer);
  // The store's fingerprint names the base by its digest (hashed before the workspace is opened).
  const baseDigest = a.adapterArg ? (await modelFingerprint(a.modelDir)).digest : null;
  const r = withExistingReadonlyWorkspace(ctx, (db, _name, root) => {
    const resolved = a.adapterArg ? resolveAttributionAdapter(db, a.adapterArg) : null;
    const adapter = resolved?.record ?? null;
    // A folder's own files, else the registry's copies (the same bytes, so the same store).
    const files = resolved?.dir ?? (adapter ? registeredAdapterFiles(path.join(root, 'artifacts'), adapter) : null);
    return attributeCompletion({
      engine: loadNativeEngine(),
      db,
      workspaceRoot: root,
      tokenizer: a.tokenizer,
      model: adapter?.name ?? 'base',
      adapter,
      datanet: a.datanet,
      tokens: a.tokens.map((t) => ({ id: t.id, text: t.text })),
      promptIds: a.promptIds,
      gradientSource: files && baseDigest ? { baseDir: a.modelDir, baseDigest, adapterFiles: files } : null,
      // Read-only here: the store is built by the job (`studio attribution index NAME --adapter A`,
      // the end of training, or the playground's first use).
      storeMissing: () => `\`studio attribution index ${adapter?.datanet?.split(/\s+/)[0] ?? 'DATANET'} --adapter ${a.adapterArg}\` builds it`,
      threshold,
    });
  });
  if (!r) throw new StudioError(ErrorCode.NotFound, '--attribute needs a workspace with the datanet: this workspace does not exist yet.');
  const { tokens, contributors, ...rest } = r;
  return {
    tokens: a.tokens.map((t, i) => ({
      ...t,
      matchLength: tokens[i]!.matchLength,
      // Both evidences per record beside the combined score (spanScore, gradientScore: null without a store).
      attribution: { records: tokens[i]!.attribution.records, span: tokens[i]!.attribution.span },
    })),
    contributors,
    attribution: rest,
  };
}
