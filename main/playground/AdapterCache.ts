import type { PeftAdapterLayout } from '../engine/peft/inspectPeftAdapter';
import type { LoraAdapter } from '../engine/peft/LoraAdapter';
import { readPeftAdapter } from '../engine/peft/loadPeftAdapter';
import { peftBankSources, type BankTensorSource } from '../engine/peft/peftBankSources';
import { peftTensors } from '../engine/peft/peftTensors';

/** An adapter held on the model for per-row serving (its id in the model's LoRA bank). */
export interface ResidentAdapter {
  key: string;
  bankId: number;
  bytes: number;
  /** Rows using it; a pinned adapter is never evicted. */
  pins: number;
  warning: string | null;
}

/** The model's LoRA bank as the cache uses it (NativeModel.loraBankAdd / loraBankLoad / loraBankRemove). */
export interface LoraBank {
  loraBankAdd(tensors: Record<string, Float32Array>, options: { rank: number; alpha: number; rslora?: boolean }): number;
  loraBankLoad(path: string, tensors: BankTensorSource[], options: { rank: number; alpha: number; rslora?: boolean }): number;
  loraBankRemove(id: number): void;
}

/**
 * What a load gives the cache: an adapter in memory, or one checked on disk (inspectPeftAdapter)
 * whose factors the bank reads from its file itself, the serving path's single copy.
 */
export type CacheableAdapter = LoraAdapter | PeftAdapterLayout;

/**
 * Adapters loaded just in time into the model's LoRA bank within a memory budget (the factors'
 * bytes), least recently used evicted first. An adapter in use by a row is pinned.
 */
export class AdapterCache {
  private readonly resident = new Map<string, ResidentAdapter>(); // insertion order = LRU order
  loads = 0;
  evictions = 0;
  /** Milliseconds spent putting adapters into the bank (the load after reading from disk). */
  bankMs = 0;

  constructor(
    readonly budgetBytes: number,
    readonly maxRank: number,
    private readonly bank: LoraBank,
    private readonly load: (key: string) => { adapter: CacheableAdapter; warning: string | null },
    private readonly bankError: (key: string, err: Error) => Error = (_key, err) => err,
  ) {}

  get residentBytes(): number {
    let n = 0;
    for (const a of this.resident.values()) n += a.bytes;
    return n;
  }

  residentKeys(): string[] {
    return [...this.resident.keys()];
  }

  /**
   * The adapter, loaded if needed, pinned for the caller (release it when its row leaves). Null
   * when it does not fit beside the pinned ones right now (retry after a row leaves); throws for
   * an adapter that cannot be served at all.
   */
  acquire(key: string): ResidentAdapter | null {
    const hit = this.resident.get(key);
    if (hit) {
      this.resident.delete(key);
      this.resident.set(key, hit);
      hit.pins++;
      return hit;
    }
    const { adapter, warning } = this.load(key);
    if (adapter.config.r > this.maxRank) throw new Error(`adapter "${key}" has rank ${adapter.config.r}; this server serves rank ${this.maxRank} at most (setting playground.maxAdapterRank)`);
    const bytes = adapterBytes(adapter);
    if (bytes > this.budgetBytes) throw new Error(`adapter "${key}" needs ${bytes} bytes resident; the adapter memory budget is ${this.budgetBytes} bytes (setting playground.adapterMemoryMB)`);
    let free = this.budgetBytes - this.residentBytes;
    for (const [k, a] of this.resident) {
      if (free >= bytes) break;
      if (a.pins > 0) continue;
      this.resident.delete(k);
      this.bank.loraBankRemove(a.bankId);
      this.evictions++;
      free += a.bytes;
    }
    if (free < bytes) return null;
    const t0 = performance.now();
    let bankId: number;
    try {
      bankId = bankAdapter(this.bank, adapter);
    } catch (err) {
      throw this.bankError(key, err instanceof Error ? err : new Error(String(err)));
    }
    this.bankMs += performance.now() - t0;
    const entry: ResidentAdapter = { key, bankId, bytes, pins: 1, warning };
    this.resident.set(key, entry);
    this.loads++;
    return entry;
  }

  release(a: ResidentAdapter): void {
    a.pins = Math.max(0, a.pins - 1);
  }
}

/** The adapter's bytes in the bank (f32 factors), from its shapes. */
export function adapterBytes(a: CacheableAdapter): number {
  let n = 0;
  for (const { A, B } of a.modules.values()) n += A.shape.reduce((x, y) => x * y, 1) + B.shape.reduce((x, y) => x * y, 1);
  return n * 4;
}

/** Puts the adapter into the bank: read from its file natively when it is on disk in a float dtype. */
export function bankAdapter(bank: LoraBank, adapter: CacheableAdapter): number {
  const options = { rank: adapter.config.r, alpha: adapter.config.alpha, rslora: adapter.config.useRslora };
  if ('file' in adapter) {
    const sources = peftBankSources(adapter);
    if (sources) return bank.loraBankLoad(adapter.file.path, sources, options);
    return bank.loraBankAdd(peftTensors(readPeftAdapter(adapter)), options);
  }
  return bank.loraBankAdd(peftTensors(adapter), options);
}
