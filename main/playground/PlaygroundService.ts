import path from 'node:path';
import { checkAdapterFilesAgainstRegistry, findAdapterPublication, readPublishedFilesHash, type RegistryFilesHashReader } from '../adapters/adapterVerification';
import { findAdapter, listAdapters } from '../adapters/adaptersRepository';
import { baseMismatchWarning } from '../adapters/baseMismatchWarning';
import { modelFingerprint } from '../adapters/modelFingerprint';
import { registeredAdapterFiles } from '../adapters/storeAdapterFolder';
import type { Settings } from '../api/schemas';
import type { ModelSpec } from '../engine/modelConfig';
import { checkedDefaultModelDir, DEFAULT_MODEL_ARGUMENT, defaultModelFolder, defaultModelIsBuilt } from '../engine/defaultModel/resolveModelArgument';
import { modelSpecWithFiles } from '../engine/modelSpecWithFiles';
import { modelSpecialIds } from '../engine/modelSpecialIds';
import { loadNativeEngine } from '../engine/native/index';
import { inspectPeftAdapter } from '../engine/peft/inspectPeftAdapter';
import { readTokenizerConfig, type TokenizerConfig } from '../engine/tokenizer/renderChatTemplate';
import { Tokenizer } from '../engine/tokenizer/Tokenizer';
import type { Db } from '../workspace/openDatabase';
import { ServingCore } from './ServingCore';

/** The served base: its folder, spec, tokenizer and what generation needs from its files. */
export interface ServedBase {
  dir: string;
  /** What `model` names the base as: "base" always, and the folder's name. */
  id: string;
  spec: ModelSpec;
  tokenizer: Tokenizer;
  tokenizerConfig: TokenizerConfig | null;
  eosIds: number[];
  digest: string;
  core: ServingCore;
}

export class PlaygroundError extends Error {
  constructor(
    readonly kind: 'no_model' | 'model_not_found' | 'model_invalid' | 'adapter_unverified',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The playground's serving side for one workspace: the base model from `studio serve --model` or
 * the playground.model setting, loaded on first use into one ServingCore, whose adapters are the
 * registry's (checked against this base when loaded; another base checkpoint serves with the
 * warning). Both the /v1 endpoint and (later) the workbench's playground use it.
 */
export class PlaygroundService {
  private served: Promise<ServedBase> | null = null;
  private servedDir: string | null = null;
  /** Per published adapter, what its files must hash to when they are next read from disk (set
   * by prepareAdapter just before its request; read by the core's synchronous adapter load). */
  private readonly registryRecords = new Map<string, { chainId: number; modelId: string; filesHash: string } | { unverifiable: string }>();

  constructor(
    private readonly deps: {
      db: () => Db;
      root: () => string;
      settings: () => Settings['playground'];
      /** `studio serve --model DIR`: wins over the setting. */
      modelOverride?: string;
      /** Reads a published adapter's files hash from the ModelRegistry (verified loading). */
      readRegistry?: RegistryFilesHashReader;
    },
  ) {}

  /** The served base's folder: `--model`, else the setting, else the built-in default model when it
   * is built, so a first start's playground and /v1 answer without any setup. "default" in either
   * place means the default model too (its files are checked against the model card on load). */
  modelDir(): string | null {
    const set = this.deps.modelOverride ?? this.deps.settings().model;
    if (set) return set === DEFAULT_MODEL_ARGUMENT ? defaultModelFolder() : path.resolve(set);
    return defaultModelIsBuilt() ? defaultModelFolder() : null;
  }

  base(): Promise<ServedBase> {
    const dir = this.modelDir();
    if (!dir) return Promise.reject(new PlaygroundError('no_model', 'No base model is set: start `studio serve --model DIR` or set playground.model in the workspace settings.'));
    if (this.served && this.servedDir === dir) return this.served;
    // Another folder set since: the old core's rows are ended and a new one loads.
    void this.served?.then((b) => b.core.close(), () => undefined);
    this.servedDir = dir;
    this.served = this.load(dir);
    this.served.catch(() => {
      if (this.servedDir === dir) this.served = null; // a fixed folder is retried on the next request
    });
    return this.served;
  }

  /** The adapter name a request's `model` means, or null for the base; unknown names throw. */
  resolveModel(base: ServedBase, model: string): string | null {
    if (model === 'base' || model === base.id) return null;
    if (!findAdapter(this.deps.db(), model)) throw new PlaygroundError('model_not_found', `The model \`${model}\` does not exist: it is neither the base ("base" or "${base.id}") nor a registered adapter.`);
    return model;
  }

  adapters() {
    return listAdapters(this.deps.db());
  }

  /**
   * Verified loading, before a request for `adapter` is served: when the adapter is published in
   * the ModelRegistry, its on-chain files hash is read now (the chain read is async, the core's
   * adapter load is not), and the load compares the bytes it reads with it; a mismatch refuses the
   * request naming the file. A published adapter whose chain cannot be read serves with a warning.
   */
  async prepareAdapter(adapter: string | null): Promise<void> {
    if (adapter === null) return;
    const record = findAdapter(this.deps.db(), adapter);
    const onChain = record && this.deps.readRegistry ? await readPublishedFilesHash(adapter, findAdapterPublication(this.deps.db(), record), this.deps.readRegistry) : undefined;
    if (onChain) this.registryRecords.set(adapter, onChain);
    else this.registryRecords.delete(adapter);
  }

  close(): void {
    void this.served?.then((b) => b.core.close(), () => undefined);
    this.served = null;
  }

  private async load(dir: string): Promise<ServedBase> {
    let spec, tokenizer;
    try {
      // The default model's shipped files are checked against its model card before loading.
      if (dir === defaultModelFolder()) checkedDefaultModelDir(dir);
      spec = modelSpecWithFiles(dir);
      tokenizer = Tokenizer.fromModelDir(dir);
    } catch (err) {
      throw new PlaygroundError('model_invalid', `The base model ${dir} cannot be served: ${(err as Error).message}`);
    }
    const digest = (await modelFingerprint(dir)).digest;
    const engine = loadNativeEngine();
    const settings = this.deps.settings();
    const core = new ServingCore(engine, new engine.Model(spec), spec, tokenizer, {
      adapterBudgetBytes: settings.adapterMemoryMB * 1024 * 1024,
      maxRank: settings.maxAdapterRank,
      loadAdapter: (name) => {
        const record = findAdapter(this.deps.db(), name);
        if (!record) throw new PlaygroundError('model_not_found', `The model \`${name}\` does not exist.`);
        const onChain = this.registryRecords.get(name);
        try {
          const files = registeredAdapterFiles(path.join(this.deps.root(), 'artifacts'), record);
          if (onChain && 'filesHash' in onChain) {
            const problem = checkAdapterFilesAgainstRegistry(name, files, record, onChain);
            if (problem) throw new PlaygroundError('adapter_unverified', problem.message);
          }
          const adapter = inspectPeftAdapter(files, spec);
          const warnings = [baseMismatchWarning(name, record.base, digest, dir), onChain && 'unverifiable' in onChain ? onChain.unverifiable : null].filter((w) => w !== null);
          return { adapter, warning: warnings.length > 0 ? warnings.join('; ') : null };
        } catch (err) {
          if (err instanceof PlaygroundError) throw err;
          throw new PlaygroundError('model_invalid', `Adapter "${name}" cannot be loaded: ${(err as Error).message}`);
        }
      },
      // The factors are read into the bank after the checks above (one copy from the file): a
      // file changed in between is the same bad adapter to the client.
      adapterLoadError: (name, err) => new PlaygroundError('model_invalid', `Adapter "${name}" cannot be loaded: ${err.message}`),
    });
    return { dir, id: path.basename(dir), spec, tokenizer, tokenizerConfig: readTokenizerConfig(dir), eosIds: modelSpecialIds(dir).eos, digest, core };
  }
}
