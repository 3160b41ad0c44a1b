import { fmix32 } from './hash.js';
import { DEFAULT_MAX_TOKENS, MAX_NGRAM } from './text.js';

/** One target (response or label) repeated often enough to be mined for triggers in pass 2. */
export interface TargetGroup {
  key: number;
  /** Records with this target (pass 1). */
  count: number;
  /** Estimated distinct prompts among them (saturates at about 620). */
  distinctPrompts: number;
  /**
   * Workers send a record of this group to the main thread when `sampleHash(promptKey, key)` is below
   * this (2^32 = every record); it keeps at most `maxRecordsPerGroup` per group.
   */
  sampleThreshold: number;
}

/**
 * Everything pass 2 needs, as plain data (structured-clone-able, so it can be posted to workers): the
 * candidate groups and the settings every worker must share (tokens kept, sketch size).
 */
export interface TargetGroups {
  nRecords: number;
  minSupport: number;
  maxTokens: number;
  maxN: number;
  sketch: { width: number; depth: number };
  groups: TargetGroup[];
}

export interface CandidateOptions {
  /** Fewest records with the same target for it to be mined (default max(5, ⌈0.0005·n⌉)). */
  minSupport?: number;
  /**
   * Fewest estimated distinct prompts, as a share of min(count, 400) (default 0.1, and at least 3): a target
   * repeated for a few duplicated prompts is duplication, not a backdoor (the miner weighs duplicates too).
   */
  minDistinctRatio?: number;
  /** Most groups mined, most frequent first (default 256). */
  maxGroups?: number;
  /** Records per group sent to the main thread for n-gram mining (default 20 000; sampled by hash beyond). */
  maxRecordsPerGroup?: number;
  /** Tokens kept per prompt (default 512: the first 384 and the last 128). */
  maxTokens?: number;
  /** Count-min sketch width, a power of two (default: 8·n rounded up, within 2^16..2^21). */
  sketchWidth?: number;
  /** Count-min sketch rows (default 4). */
  sketchDepth?: number;
}

export interface TargetCounterOptions {
  /** Slots allocated at first (power of two, default 2^16). */
  initialCapacity?: number;
  /**
   * Most slots (power of two, default 2^21 ≈ 2.1 M slots = 48 MiB, holding ≈ 1.5 M distinct targets).
   * When full, the rarest targets are pruned (lossy counting): a surviving count may then be short by at
   * most `pruneFloor`, far below any candidate's count.
   */
  maxCapacity?: number;
}

const MAX_LOAD = 0.7;
const BITMAP_WORDS = 4; // 128-bit linear-counting bitmap of prompt keys per target
const BITMAP_BITS = BITMAP_WORDS * 32;
const SATURATED = BITMAP_BITS * Math.log(BITMAP_BITS);
export const DEFAULT_MAX_RECORDS_PER_GROUP = 20_000;
const TWO32 = 2 ** 32;

/**
 * Pass 1, main thread: counts records per target key with a tiny distinct-prompt estimate each, in an
 * open-addressing table of typed arrays (24 bytes a slot: key, count, a 128-bit prompt bitmap).
 * Memory is bounded by `maxCapacity` (48 MiB by default) whatever the number of distinct targets.
 */
export class TargetCounter {
  private keys: Uint32Array;
  private counts: Uint32Array;
  private bits: Uint32Array;
  private mask: number;
  private used = 0;
  private readonly maxCapacity: number;
  /** Records added (with or without a target). */
  records = 0;
  /** Counts at or below this were pruned at some point (0 = never pruned). */
  pruneFloor = 0;

  constructor(options: TargetCounterOptions = {}) {
    const cap = pow2(options.initialCapacity ?? 1 << 16);
    this.maxCapacity = Math.max(cap, pow2(options.maxCapacity ?? 1 << 21));
    this.keys = new Uint32Array(cap);
    this.counts = new Uint32Array(cap);
    this.bits = new Uint32Array(cap * BITMAP_WORDS);
    this.mask = cap - 1;
  }

  /** Distinct targets held. */
  get size(): number {
    return this.used;
  }

  memoryBytes(): number {
    return this.keys.byteLength + this.counts.byteLength + this.bits.byteLength;
  }

  /** One record: its `targetKey` (0 = no target: only counted as a record) and `promptKey`. */
  add(targetKey: number, promptKey: number): void {
    this.records++;
    if (targetKey === 0) return;
    let i = this.slot(targetKey);
    if (this.keys[i] === 0) {
      if (this.used + 1 > this.keys.length * MAX_LOAD) {
        this.makeRoom();
        i = this.slot(targetKey);
      }
      this.keys[i] = targetKey;
      this.used++;
    }
    this.counts[i]++;
    const b = fmix32(promptKey ^ 0x27d4eb2f) & (BITMAP_BITS - 1);
    this.bits[i * BITMAP_WORDS + (b >>> 5)] |= 1 << (b & 31);
  }

  count(targetKey: number): number {
    const i = this.slot(targetKey);
    return this.keys[i] === targetKey && targetKey !== 0 ? this.counts[i] : 0;
  }

  /** Whether some target has at least `n` records. */
  anyCountAtLeast(n: number): boolean {
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== 0 && this.counts[i] >= n) return true;
    return false;
  }

  distinctPrompts(targetKey: number): number {
    const i = this.slot(targetKey);
    return this.keys[i] === targetKey && targetKey !== 0 ? this.distinctAt(i) : 0;
  }

  /** Targets frequent enough, with enough distinct prompts, to be mined for triggers. */
  candidates(nRecords = this.records, options: CandidateOptions = {}): TargetGroups {
    const minSupport = options.minSupport ?? Math.max(5, Math.ceil(0.0005 * nRecords));
    const ratio = options.minDistinctRatio ?? 0.1;
    const perGroup = options.maxRecordsPerGroup ?? DEFAULT_MAX_RECORDS_PER_GROUP;
    const found: TargetGroup[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      const count = this.counts[i];
      if (this.keys[i] === 0 || count < minSupport) continue;
      const distinct = this.distinctAt(i);
      if (distinct < Math.max(3, ratio * Math.min(count, 400))) continue;
      found.push({
        key: this.keys[i],
        count,
        distinctPrompts: Math.round(distinct),
        sampleThreshold: count <= perGroup ? TWO32 : Math.floor((TWO32 * perGroup) / count),
      });
    }
    found.sort((a, b) => b.count - a.count || a.key - b.key);
    const width = pow2(options.sketchWidth ?? Math.min(1 << 21, Math.max(1 << 16, nRecords * 8)));
    return {
      nRecords,
      minSupport,
      maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
      maxN: MAX_NGRAM,
      sketch: { width, depth: options.sketchDepth ?? 4 },
      groups: found.slice(0, options.maxGroups ?? 256),
    };
  }

  private slot(key: number): number {
    let i = fmix32(key) & this.mask;
    while (this.keys[i] !== 0 && this.keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  private distinctAt(i: number): number {
    let ones = 0;
    for (let w = 0; w < BITMAP_WORDS; w++) ones += popcount(this.bits[i * BITMAP_WORDS + w]);
    const zeros = BITMAP_BITS - ones;
    const estimate = zeros === 0 ? SATURATED : -BITMAP_BITS * Math.log(zeros / BITMAP_BITS);
    return Math.min(this.counts[i], estimate);
  }

  private makeRoom(): void {
    if (this.keys.length < this.maxCapacity) {
      this.rehash(this.keys.length * 2, 0);
      return;
    }
    // Full: drop the rarest targets until at most half the slots are used.
    let floor = this.pruneFloor;
    let survivors = this.used;
    while (survivors > this.keys.length / 2) {
      floor++;
      survivors = 0;
      for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== 0 && this.counts[i] > floor) survivors++;
    }
    this.pruneFloor = floor;
    this.rehash(this.keys.length, floor);
  }

  /** Re-inserts every entry with a count above `floor` into `size` slots. */
  private rehash(size: number, floor: number): void {
    let n = 0;
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== 0 && this.counts[i] > floor) n++;
    const k = new Uint32Array(n);
    const c = new Uint32Array(n);
    const b = new Uint32Array(n * BITMAP_WORDS);
    let j = 0;
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] === 0 || this.counts[i] <= floor) continue;
      k[j] = this.keys[i];
      c[j] = this.counts[i];
      b.set(this.bits.subarray(i * BITMAP_WORDS, (i + 1) * BITMAP_WORDS), j * BITMAP_WORDS);
      j++;
    }
    if (size !== this.keys.length) {
      this.keys = new Uint32Array(size);
      this.counts = new Uint32Array(size);
      this.bits = new Uint32Array(size * BITMAP_WORDS);
      this.mask = size - 1;
    } else {
      this.keys.fill(0);
      this.counts.fill(0);
      this.bits.fill(0);
    }
    for (let e = 0; e < n; e++) {
      const i = this.slot(k[e]);
      this.keys[i] = k[e];
      this.counts[i] = c[e];
      this.bits.set(b.subarray(e * BITMAP_WORDS, (e + 1) * BITMAP_WORDS), i * BITMAP_WORDS);
    }
    this.used = n;
  }
}

function pow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
