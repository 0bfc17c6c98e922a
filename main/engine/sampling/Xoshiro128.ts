// xoshiro128** 1.0 (Blackman & Vigna), written from its published definition: 128-bit state,
// 32-bit outputs, period 2^128 - 1. Seeded from one integer through a SplitMix-style mixer
// (the authors advise against seeding the state directly with small numbers). The state can be
// saved and restored, which exact resume of training and generation needs.
const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

export class Xoshiro128 {
  private s: Uint32Array;

  constructor(seed: number | Uint32Array) {
    if (seed instanceof Uint32Array) {
      if (seed.length !== 4 || seed.every((w) => w === 0)) throw new Error('xoshiro128 state must be 4 words, not all zero');
      this.s = Uint32Array.from(seed);
      return;
    }
    let z = seed >>> 0;
    this.s = new Uint32Array(4);
    for (let i = 0; i < 4; i++) {
      z = (z + 0x9e3779b9) >>> 0;
      let x = z;
      x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
      x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
      this.s[i] = (x ^ (x >>> 16)) >>> 0;
    }
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  /** Next 32-bit unsigned output. */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal sample (Box-Muller; one of the pair is discarded to keep state simple). */
  nextNormal(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  getState(): Uint32Array {
    return Uint32Array.from(this.s);
  }
}
