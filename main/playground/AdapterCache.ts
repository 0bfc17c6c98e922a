import type { LoraAdapter } from '../engine/peft/LoraAdapter';
import { loraScaling } from '../engine/peft/LoraAdapter';
import { PEFT_PREFIX } from '../engine/peft/savePeftAdapter';

/** An adapter ready for the serving slot: each module's factors padded to the slot's rank. */
export interface ResidentAdapter {
  key: string;
  /** PEFT tensor names -> data, as setLoraTensors takes them. */
  tensors: Record<string, Float32Array>;
  bytes: number;
  /** Rows using it; a pinned adapter is never evicted. */
  pins: number;
  warning: string | null;
}

/**
 * Loaded adapters within a memory budget, least recently used evicted first. The model has one
 * LoRA slot of rank `slotRank` over every adaptable module, with scaling 1 (alpha = rank); an
 * adapter of rank r <= slotRank is stored padded: A gains zero rows, B zero columns and carries the
 * adapter's own scaling, so B' A' x = s B A x up to rounding (the zeros add exact zeros). Padding
 * once on load keeps an adapter switch to a copy of its tensors into the slot.
 */
export class AdapterCache {
  private readonly resident = new Map<string, ResidentAdapter>(); // insertion order = LRU order
  loads = 0;
  evictions = 0;

  constructor(
    readonly budgetBytes: number,
    readonly slotRank: number,
    private readonly load: (key: string) => { adapter: LoraAdapter; warning: string | null },
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
   * The adapter, loaded if needed, pinned for the caller (unpin when its row leaves). Returns
   * null when it does not fit beside the pinned ones right now (the caller retries after a row
   * leaves); throws for an adapter that cannot be served at all.
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
    if (adapter.config.r > this.slotRank) throw new Error(`adapter "${key}" has rank ${adapter.config.r}; the serving slot holds rank ${this.slotRank} at most (setting playground.maxAdapterRank)`);
    const bytes = paddedBytes(adapter, this.slotRank);
    if (bytes > this.budgetBytes) throw new Error(`adapter "${key}" needs ${bytes} bytes resident; the adapter memory budget is ${this.budgetBytes} bytes (setting playground.adapterMemoryMB)`);
    let free = this.budgetBytes - this.residentBytes;
    for (const [k, a] of this.resident) {
      if (free >= bytes) break;
      if (a.pins > 0) continue;
      this.resident.delete(k);
      this.evictions++;
      free += a.bytes;
    }
    if (free < bytes) return null;
    const entry: ResidentAdapter = { key, tensors: padAdapter(adapter, this.slotRank), bytes, pins: 1, warning };
    this.resident.set(key, entry);
    this.loads++;
    return entry;
  }

  release(a: ResidentAdapter): void {
    a.pins = Math.max(0, a.pins - 1);
  }
}

function paddedBytes(a: LoraAdapter, R: number): number {
  let n = 0;
  for (const { A, B } of a.modules.values()) n += R * A.shape[1]! + B.shape[0]! * R;
  return n * 4;
}

export function padAdapter(a: LoraAdapter, R: number): Record<string, Float32Array> {
  const s = loraScaling(a.config);
  const r = a.config.r;
  const out: Record<string, Float32Array> = {};
  for (const [module, { A, B }] of a.modules) {
    const inp = A.shape[1]!;
    const rows = B.shape[0]!;
    const pA = new Float32Array(R * inp);
    pA.set(A.data); // rows r..R-1 stay zero
    const pB = new Float32Array(rows * R);
    for (let o = 0; o < rows; o++) for (let k = 0; k < r; k++) pB[o * R + k] = s * B.data[o * r + k]!;
    out[`${PEFT_PREFIX}${module}.lora_A.weight`] = pA;
    out[`${PEFT_PREFIX}${module}.lora_B.weight`] = pB;
  }
  return out;
}
