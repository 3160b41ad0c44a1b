import { fmix32 } from './hash.js';

/** Counters per block: one 64-byte cache line, split into `depth` lanes (one per row). */
const BLOCK = 16;
const MAX_COUNT = 0xffffffff;

/**
 * A count-min sketch of document frequencies: how many records contain each n-gram key (callers add a
 * key at most once per record). Blocked layout: a key's `depth` counters share one 64-byte block (one
 * cache miss per update instead of `depth`), each row in its own lane of the block. Conservative update
 * keeps the over-count small; sketches built with the same width and depth merge by adding their
 * tables, and the merged estimate is still an upper bound. Memory: `width × depth × 4` bytes.
 */
export class DfSketch {
  readonly width: number;
  readonly depth: number;
  readonly table: Uint32Array;
  private readonly blockMask: number;
  private readonly laneBits: number;
  private readonly lane: number;
  private readonly idx: Int32Array;
  /** Scratch for `addAll`. */
  private bases = new Int32Array(1024);
  private bits = new Int32Array(1024);
  /** Where `addAll`'s early reads go (a public field, so that they are not optimised away). */
  touched = 0;

  constructor(width: number, depth: number, table?: Uint32Array) {
    if (width < BLOCK || (width & (width - 1)) !== 0) {
      throw new RangeError(`DfSketch width must be a power of two ≥ ${BLOCK}`);
    }
    if (depth !== 1 && depth !== 2 && depth !== 4 && depth !== 8)
      throw new RangeError('DfSketch depth must be 1, 2, 4 or 8');
    this.width = width;
    this.depth = depth;
    this.table = table ?? new Uint32Array(width * depth);
    if (this.table.length !== width * depth) throw new RangeError('DfSketch table does not match width × depth');
    this.blockMask = (width * depth) / BLOCK - 1;
    this.lane = BLOCK / depth;
    this.laneBits = Math.log2(this.lane);
    this.idx = new Int32Array(depth);
  }

  /** One more record contains `key` (conservative update). */
  add(key: number): void {
    this.addAt((fmix32(key ^ 0x9e3779b9) & this.blockMask) * BLOCK, fmix32(key ^ 0x7f4a7c15));
  }

  /**
   * `add` for `keys[0..n)` in order (the same table as adding them one by one): the hashes first, then
   * the updates in a tight loop, whose cache misses the processor can overlap.
   */
  addAll(keys: Uint32Array, n: number): void {
    if (this.bases.length < n) {
      this.bases = new Int32Array(Math.max(n, this.bases.length * 2));
      this.bits = new Int32Array(this.bases.length);
    }
    const bases = this.bases;
    const bits = this.bits;
    const mask = this.blockMask;
    const t = this.table;
    // Reading each key's block here, in a loop whose iterations do not depend on each other, lets the
    // processor fetch many blocks at once (a prefetch); the updates below then mostly hit the cache.
    let touched = 0;
    for (let k = 0; k < n; k++) {
      const key = keys[k] as number;
      const base = (fmix32(key ^ 0x9e3779b9) & mask) * BLOCK;
      bases[k] = base;
      bits[k] = fmix32(key ^ 0x7f4a7c15);
      touched ^= t[base] as number;
    }
    this.touched = touched;
    for (let k = 0; k < n; k++) this.addAt(bases[k] as number, bits[k] as number);
  }

  private addAt(base: number, laneBits: number): void {
    const t = this.table;
    const idx = this.idx;
    let bits = laneBits;
    const laneMask = this.lane - 1;
    let min = MAX_COUNT;
    for (let r = 0; r < this.depth; r++) {
      const i = base + r * this.lane + (bits & laneMask);
      bits >>>= this.laneBits;
      idx[r] = i;
      const v = t[i];
      if (v < min) min = v;
    }
    if (min === MAX_COUNT) return;
    const next = min + 1;
    for (let r = 0; r < this.depth; r++) if (t[idx[r]] < next) t[idx[r]] = next;
  }

  /** Records containing `key`: never less than the truth. */
  estimate(key: number): number {
    const t = this.table;
    const base = (fmix32(key ^ 0x9e3779b9) & this.blockMask) * BLOCK;
    let bits = fmix32(key ^ 0x7f4a7c15);
    const laneMask = this.lane - 1;
    let min = MAX_COUNT;
    for (let r = 0; r < this.depth; r++) {
      const v = t[base + r * this.lane + (bits & laneMask)];
      bits >>>= this.laneBits;
      if (v < min) min = v;
    }
    return min;
  }

  /** Adds another sketch's table (same width and depth), saturating at 2^32 - 1. */
  merge(table: Uint32Array): void {
    if (table.length !== this.table.length) throw new RangeError('DfSketch.merge: tables differ in size');
    for (let i = 0; i < table.length; i++) this.table[i] = Math.min(this.table[i] + table[i], MAX_COUNT);
  }
}
