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
    const t = this.table;
    const idx = this.idx;
    const base = (fmix32(key ^ 0x9e3779b9) & this.blockMask) * BLOCK;
    let bits = fmix32(key ^ 0x7f4a7c15);
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
