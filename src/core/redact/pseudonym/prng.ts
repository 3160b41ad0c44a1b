/**
 * A small deterministic PRNG (sfc32) seeded from a digest. Not for secrets: the digest is already keyed,
 * this only spreads it into the many small choices a fake value needs.
 */
export class Prng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: Uint8Array) {
    const word = (i: number) =>
      ((seed[i] ?? 0) | ((seed[i + 1] ?? 0) << 8) | ((seed[i + 2] ?? 0) << 16) | ((seed[i + 3] ?? 0) << 24)) >>> 0;
    this.#a = word(0);
    this.#b = word(4);
    this.#c = word(8);
    this.#d = word(12);
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A uniform integer in [0, n), 1 <= n <= 2^32, without modulo bias. */
  int(n: number): number {
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    let x = this.next();
    while (x >= limit) x = this.next();
    return x % n;
  }

  /** A uniform integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  digit(): string {
    return String(this.int(10));
  }

  bool(): boolean {
    return (this.next() & 1) === 1;
  }
}
