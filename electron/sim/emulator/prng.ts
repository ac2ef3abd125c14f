// Seeded pseudo-random numbers for everything the simulated guest and workload choose, so one
// seed always gives the same addresses and the same event stream. Simulator side; pure.

/** SplitMix32 step: spreads a seed (or a seed plus a stream label) into well-mixed state. */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Small Fast Counting generator (sfc32): 32-bit arithmetic only, so it stays fast in JavaScript
 * (no BigInt on the hot path) and passes PractRand far beyond the lengths a session produces.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 0x100000000) >>> 0;
    this.a = splitmix32(lo ^ 0x243f6a88);
    this.b = splitmix32(hi ^ 0x85a308d3);
    this.c = splitmix32((stream >>> 0) ^ 0x13198a2e);
    this.d = 1;
    // Discard the first outputs, as the generator's authors recommend after seeding.
    for (let i = 0; i < 15; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 0x100000000;
  }

  /** Uniform integer in [0, n), n <= 2^32. */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.below(items.length)] as T;
  }

  /** Picks by weight: `weights[i]` is the relative weight of index i. */
  weighted(weights: readonly number[], total: number): number {
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  u64(): bigint {
    return (BigInt(this.nextU32()) << 32n) | BigInt(this.nextU32());
  }

  /** An independent generator for one purpose, so adding draws elsewhere changes nothing here. */
  fork(stream: number): Prng {
    return new Prng(this.nextU32() * 0x1000 + (stream & 0xfff), stream);
  }
}
