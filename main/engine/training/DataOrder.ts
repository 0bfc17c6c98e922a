// Which record comes next: a seeded shuffle per epoch (Fisher-Yates with xoshiro128**), and a
// position (epoch, index) that can be saved and restored for exact resume.
import { Xoshiro128 } from '../sampling/Xoshiro128';

export interface DataPosition {
  epoch: number;
  index: number;
}

export class DataOrder {
  private order: number[] = [];
  private pos: DataPosition = { epoch: 0, index: 0 };

  constructor(
    private readonly count: number,
    private readonly seed: number,
    position?: DataPosition,
  ) {
    if (count <= 0) throw new Error('no records to order');
    this.seek(position ?? { epoch: 0, index: 0 });
  }

  /** The permutation of an epoch depends only on (seed, epoch). */
  static permutation(count: number, seed: number, epoch: number): number[] {
    const rng = new Xoshiro128((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
    const p = Array.from({ length: count }, (_, i) => i);
    for (let i = count - 1; i > 0; i--) {
      const j = rng.nextU32() % (i + 1);
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
    return p;
  }

  seek(p: DataPosition): void {
    this.pos = { ...p };
    this.order = DataOrder.permutation(this.count, this.seed, p.epoch);
  }

  position(): DataPosition {
    return { ...this.pos };
  }

  next(): number {
    if (this.pos.index >= this.count) this.seek({ epoch: this.pos.epoch + 1, index: 0 });
    return this.order[this.pos.index++]!;
  }
}
