/** Seeded PRNG for the random-stream generator: splitmix64 over BigInt, so a
 * seed names one exact program on every machine. */
export class Rng {
  private state: bigint;
  constructor(seed: number) {
    // hash the seed first: with state = seed·γ, seed s+1 would replay seed s shifted by one draw
    this.state = BigInt(seed);
    this.state = this.u64() ^ 0x5851f42d4c957f2dn;
  }

  u64(): bigint {
    this.state = BigInt.asUintN(64, this.state + 0x9e3779b97f4a7c15n);
    let z = this.state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }
  /** integer in [0, n) */
  int(n: number): number { return Number(this.u64() % BigInt(n)); }
  /** integer in [lo, hi] */
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  chance(p: number): boolean { return this.int(1_000_000) < p * 1_000_000; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  /** weighted choice over [weight, value] pairs */
  weighted<T>(xs: readonly (readonly [number, T])[]): T {
    let r = this.int(xs.reduce((s, [w]) => s + w, 0));
    for (const [w, v] of xs) { if (r < w) return v; r -= w; }
    return xs[xs.length - 1][1];
  }
}
