import { join } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import { canonicalize, decodeSegments, deleet, despace, MappedText } from '../../core/normalize/index.js';
import { LEET } from '../../core/normalize/unicode.js';
import { maskGroupWords } from './group-words.js';
import { combine, fmix32, WORD_SEED } from './hash.js';
import { defaultModelsDir } from './models-dir.js';
import { type ObjectVerbs, OverrideObjects } from './override-objects.js';
import { firedSignals, SIGNALS } from './signals.js';
import { type WordVectors, wordVectors, wordVectorsFor } from './vectors.js';

/** How text becomes a sparse vector. Stored in each model so inference uses what training used. */
export interface FeatureConfig {
  /** log2 of the hashed feature space. */
  bits: number;
  /** Word n-gram orders, e.g. [1, 2]. */
  wordNgrams: number[];
  /** Character n-gram range `[min, max]` over the normalised text (word boundaries included). */
  charNgrams: [number, number];
  /** Relative weight of the character block against the word block. */
  charWeight: number;
  /** Weight of each structural signal feature. */
  signalWeight: number;
  /** Decode base64/hex/url/tag-smuggled segments and add their text's features. */
  decode: boolean;
  /** Ids of the structural signals this model evaluates (absent: all); the others stay 0, which saves their regexes. */
  signals?: string[];
  /**
   * Pre-trained word vectors (`models/word-vectors`) pooled over the text's words, appended after the
   * signals: `mean` is the frequency-weighted average, unit length, times `weight`; `mean-max` adds the
   * per-dimension maximum (also unit length, times `weight`). `sha256`: the checksum of the vectors the
   * model was trained with (written by training; a classifier refuses other vectors).
   */
  vectors?: { dims: number; weight: number; pool: 'mean' | 'mean-max'; sha256?: string };
  /**
   * The word vectors of what overrides aim at (`override-objects.ts`: the first content word after "ignore",
   * "forget", "previous", …; with `verbs: harm`, after "kill", "poison", "steal", …), summed, unit length, times
   * `weight`, appended after the pooled block. `dims`: the word vectors' width; `sha256` as for `vectors`.
   */
  objects?: { dims: number; weight: number; verbs?: ObjectVerbs; sha256?: string };
  /**
   * `mask`: the n-grams and word vectors read every social-group word (religions, sexual and gender
   * identities, peoples) as one word, `group`, so no group's name carries weight of its own; the signals
   * still read the text as written (`group-words.ts`).
   */
  groups?: 'mask';
}

export const DEFAULT_FEATURES: FeatureConfig = {
  bits: 18,
  wordNgrams: [1, 2],
  charNgrams: [3, 5],
  charWeight: 0.6,
  signalWeight: 0.5,
  decode: true,
};

/** A sparse, L2-normalised feature vector. Indices below `2^bits` are hashed; above are signals. */
export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
}

export function featureDimension(config: FeatureConfig): number {
  return (1 << config.bits) + SIGNALS.length + 1 + vectorDimension(config);
}

/** Width of the word-vector blocks after the signals: the pooled text, then the override objects (0 without). */
export function vectorDimension(config: FeatureConfig): number {
  return pooledDimension(config) + (config.objects?.dims ?? 0);
}

function pooledDimension(config: FeatureConfig): number {
  const v = config.vectors;
  return v ? v.dims * (v.pool === 'mean-max' ? 2 : 1) : 0;
}

/** Whether a model with this config reads word vectors, and the checksum of those it was trained with. */
export function vectorsOf(config: FeatureConfig): { sha256?: string } | undefined {
  return config.vectors ?? config.objects;
}

/** The word vectors a model in `modelsDir` with this config reads (checked against its checksum), if any. */
export function modelVectors(config: FeatureConfig, modelsDir: string): WordVectors | undefined {
  const v = vectorsOf(config);
  return v ? wordVectorsFor(modelsDir, v.sha256) : undefined;
}

/**
 * Normalises like the detectors do (NFKC, invisibles, homoglyphs, spaced-out runs, leetspeak, case),
 * and appends the decoded text of any encoded segment so an encoded payload is read, not skipped.
 */
export function normaliseForFeatures(text: string, decode: boolean): { text: string; encoded: boolean } {
  const canonical = canonicalize(MappedText.original(text));
  const folded = despace(canonical, Number.POSITIVE_INFINITY) ?? canonical;
  let out = (mayHaveLeet(folded.text) ? deleet(folded) : folded).text.toLowerCase();
  let encoded = false;
  if (decode) {
    // Separated hex and chunked base64 are in none of the four recipes' 91,193 training windows: the committed
    // weights still reproduce byte for byte.
    for (const seg of decodeSegments(canonical, 2, { separated: true })) {
      encoded = true;
      out += `\n${deleet(seg.view).text.toLowerCase()}`;
    }
  }
  return { text: out, encoded };
}

/** ASCII classes for the leetspeak pre-filter: 1 letter, 2 leet character, 3 space. */
const ASCII_CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 65; c <= 90; c++) t[c] = 1;
  for (let c = 97; c <= 122; c++) t[c] = 1;
  for (const c of LEET.keys()) if (c < 128) t[c] = 2;
  for (const c of [32, 9, 10, 11, 12, 13]) t[c] = 3;
  return t;
})();

/**
 * Exact, cheap test for whether `deleet` could change anything: some token of three or more characters
 * holds both a letter and a leet character. Non-ASCII text takes the full path.
 */
function mayHaveLeet(s: string): boolean {
  let letters = 0;
  let leet = 0;
  let len = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    if (c >= 128) return true;
    const k = ASCII_CLASS[c];
    if (k === 3) {
      if (letters > 0 && leet > 0 && len >= 3) return true;
      letters = 0;
      leet = 0;
      len = 0;
      continue;
    }
    len++;
    if (k === 1) letters++;
    else if (k === 2) leet++;
  }
  return false;
}

const CHAR_SEEDS = [0, 0x3c6ef372, 0x5bd1e995, 0x68e31da4, 0x1b873593, 0x7f4a7c15, 0x27d4eb2f];

function isWordCode(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 39 ||
    (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && c < 0x2000) ||
    (c >= 0x3040 && c < 0xfff0)
  );
}

/**
 * Reused accumulator of hashed slots: a small open-addressing table (slot → its place in first-touch order)
 * and, in that order, each touched slot with its running value. It replaces a dense row of `2^bits` floats:
 * a text touches a few thousand slots, and a table of that size stays in the CPU cache where random writes
 * into a 1–4 MB row did not. A table entry holds its key and place side by side (one cache line per probe),
 * and the values are read out in order, not through the table. Values are float32 sums added in the same
 * order as before, so vectors are bit-for-bit what a dense row gives.
 */
class Accumulator {
  /** Two ints per entry: slot + 1 (0 = empty), then the slot's place in first-touch order. */
  table = new Int32Array(2 * 8192);
  /** Per touched slot, in first-touch order: the slot, its entry's offset in `table`, its float32 sum. */
  slots = new Int32Array(4096);
  entries = new Int32Array(4096);
  sums = new Float32Array(4096);
  /** The sums' bits (for the log1p memo). */
  bits = new Int32Array(this.sums.buffer);
  count = 0;
  #mask = 8191;

  reset(): void {
    for (let k = 0; k < this.count; k++) this.table[this.entries[k]] = 0;
    this.count = 0;
  }

  /** Adds `v` to the slot of hash `h` under `mask`, signed by the mixed hash's top bit (the hashing trick). */
  addHashed(h: number, mask: number, v: number): void {
    const m = fmix32(h);
    this.add(m & mask, m & 0x80000000 ? -v : v);
  }

  /**
   * Adds `v` to `slot` (a float32 sum; a sum that cancels to 0 is kept as 1e-30, so the slot stays touched).
   * Slots are fmix32 outputs, already uniform, so their low bits are the home entry.
   */
  add(slot: number, v: number): void {
    const table = this.table;
    const mask = this.#mask;
    const key = slot + 1;
    let at = (slot & mask) << 1;
    let k: number;
    for (;;) {
      const found = table[at];
      if (found === key) {
        k = table[at + 1];
        break;
      }
      if (found === 0) {
        if (this.count * 2 >= mask) {
          this.#grow();
          this.add(slot, v);
          return;
        }
        k = this.count++;
        table[at] = key;
        table[at + 1] = k;
        this.slots[k] = slot;
        this.entries[k] = at;
        this.sums[k] = 0;
        break;
      }
      at = (at + 2) & ((mask << 1) | 1);
    }
    const sums = this.sums;
    sums[k] += v;
    if (sums[k] === 0) sums[k] = 1e-30;
  }

  /**
   * Writes each touched slot and sign(v)·log1p(|v|) of its value into `index` / `value` from 0, in first-touch
   * order; returns the sum of squares of the (unrounded) damped values. Most values repeat (k·charWeight),
   * so log1p is memoised.
   */
  writeDamped(index: Int32Array, value: Float32Array): number {
    const { sums, bits, count } = this;
    index.set(this.slots.subarray(0, count));
    let norm2 = 0;
    for (let k = 0; k < count; k++) {
      const b = bits[k];
      const abs = b & 0x7fffffff;
      // Multiplicative hashing mixes the exponent in: 0.4, 0.8 and 1.6 share their mantissa bits.
      const at = Math.imul(abs, 0x9e3779b1) >>> 22;
      let t: number;
      if (LOG_KEYS[at] === abs) t = LOG_VALUES[at];
      else {
        t = Math.log1p(Math.abs(sums[k]));
        LOG_KEYS[at] = abs;
        LOG_VALUES[at] = t;
      }
      if (b < 0) t = -t;
      value[k] = t;
      norm2 += t * t;
    }
    return norm2;
  }

  #grow(): void {
    const size = this.table.length; // twice the old entry count: the new entry count
    this.table = new Int32Array(2 * size);
    this.#mask = size - 1;
    const grown = <T extends Int32Array | Float32Array>(a: T, make: (n: number) => T): T => {
      const b = make(size / 2);
      b.set(a);
      return b;
    };
    this.slots = grown(this.slots, (n) => new Int32Array(n));
    this.entries = grown(this.entries, (n) => new Int32Array(n));
    this.sums = grown(this.sums, (n) => new Float32Array(n));
    this.bits = new Int32Array(this.sums.buffer);
    for (let k = 0; k < this.count; k++) {
      let at = (this.slots[k] & this.#mask) << 1;
      while (this.table[at] !== 0) at = (at + 2) & ((this.#mask << 1) | 1);
      this.table[at] = this.slots[k] + 1;
      this.table[at + 1] = k;
      this.entries[k] = at;
    }
  }
}

/** log1p memo, by the float32 bits of the argument (-1: empty; bits of a non-negative float are ≥ 0). */
const LOG_KEYS = new Int32Array(1024).fill(-1);
const LOG_VALUES = new Float64Array(1024);

const accumulator = new Accumulator();
let charBuf = new Int32Array(4096);
/** The last word hashes, for word n-grams. */
let recent = new Int32Array(2);

/** Output rows reused by `extractFeatures(…, true)`. */
let scratchIndex = new Int32Array(4096);
let scratchValue = new Float32Array(4096);

/**
 * Text → sparse vector: signed hashed word and character n-grams, plus structural signals. With `scratch`,
 * the vector is a view of buffers the next call overwrites (for a caller that scores it at once): it saves
 * two typed-array allocations per call. `vectors`: the word vectors to pool when the config has them
 * (default: the package's; a classifier passes those beside its models folder, `modelVectors`).
 */
export function extractFeatures(
  text: string,
  config: FeatureConfig = DEFAULT_FEATURES,
  scratch = false,
  vectors?: WordVectors,
): SparseVector {
  const { text: asWritten, encoded } = normaliseForFeatures(text, config.decode);
  const norm = config.groups === 'mask' ? maskGroupWords(asWritten) : asWritten;
  const size = 1 << config.bits;
  const mask = size - 1;
  const acc = accumulator;
  acc.reset();
  const vec = config.vectors
    ? pooling(vectors ?? packageVectors(), config.vectors.dims, config.vectors.pool === 'mean-max')
    : undefined;
  const objects = config.objects
    ? objectBlock(vectors ?? packageVectors(), config.objects.dims, config.objects.verbs ?? 'override')
    : undefined;

  // Words: maximal runs of word characters, each hashed as it is scanned; n-grams over the word sequence.
  const orders = config.wordNgrams;
  const maxOrder = Math.max(...orders);
  if (recent.length < maxOrder) recent = new Int32Array(maxOrder);
  /** The last `held` word hashes end at `recent[maxOrder - 1]`. */
  let held = 0;
  let wordCount = 0;
  const n = norm.length;
  let i = 0;
  while (i < n) {
    let c = norm.charCodeAt(i);
    if (!isWordCode(c)) {
      i++;
      continue;
    }
    let wh = WORD_SEED; // = hashRange(norm, start, end, WORD_SEED)
    do {
      wh = (Math.imul(wh, 31) + c) | 0;
      c = norm.charCodeAt(++i);
    } while (i < n && isWordCode(c));
    if (vec) vec.add(wh);
    if (objects) objects.add(wh);
    for (let k = 1; k < maxOrder; k++) recent[k - 1] = recent[k];
    recent[maxOrder - 1] = wh;
    if (held < maxOrder) held++;
    wordCount++;
    for (let o = 0; o < orders.length; o++) {
      const order = orders[o];
      if (held < order) continue;
      let h = order;
      for (let k = maxOrder - order; k < maxOrder; k++) h = combine(h, recent[k]);
      acc.addHashed(h, mask, 1);
    }
  }

  // Characters: n-grams of the text with runs of non-word characters collapsed to one space.
  const [minN, maxN] = config.charNgrams;
  if (charBuf.length < n + 2) charBuf = new Int32Array(Math.max(n + 2, charBuf.length * 2));
  const chars = charBuf;
  let len = 0;
  chars[len++] = 32;
  let prevSpace = true;
  for (let k = 0; k < n; k++) {
    const c = norm.charCodeAt(k);
    if (isWordCode(c)) {
      chars[len++] = c;
      prevSpace = false;
    } else if (!prevSpace) {
      chars[len++] = 32;
      prevSpace = true;
    }
  }
  if (!prevSpace) chars[len++] = 32;
  const cw = config.charWeight;
  // Each start's n-grams of every order share one running polynomial hash (the shorter one is its prefix).
  for (let s = 0; s + minN <= len; s++) {
    let h = 0;
    for (let k = s; k < s + minN - 1; k++) h = (Math.imul(h, 31) + chars[k]) | 0;
    const top = Math.min(maxN, len - s);
    for (let k = minN - 1; k < top; k++) {
      h = (Math.imul(h, 31) + chars[s + k]) | 0;
      acc.addHashed(h ^ CHAR_SEEDS[k + 1], mask, cw);
    }
  }

  const fired = firedSignals(asWritten, config.signals);
  const vdims = vectorDimension(config);
  const total = acc.count + fired.length + 2 + vdims;
  if (scratch && scratchIndex.length < total) {
    scratchIndex = new Int32Array(total * 2);
    scratchValue = new Float32Array(total * 2);
  }
  const index = scratch ? scratchIndex : new Int32Array(total);
  const value = scratch ? scratchValue : new Float32Array(total);
  // Sub-linear term frequency, then L2 normalisation of the n-gram block.
  const norm2 = acc.writeDamped(index, value);
  const inv = norm2 > 0 ? 1 / Math.sqrt(norm2) : 0;
  let m = acc.count;
  for (let k = 0; k < m; k++) value[k] *= inv;
  for (const f of fired) {
    index[m] = size + f;
    value[m++] = config.signalWeight;
  }
  // Length bucket and encoded-payload flag share the last slot family.
  index[m] = size + SIGNALS.length;
  value[m++] = encoded ? config.signalWeight : 0;
  // Bias is part of the model; a log-length feature lets the model separate one-liners from documents.
  index[m] = (fmix32(0x51ed27 + Math.min(12, Math.floor(Math.log2(1 + wordCount)))) & mask) >>> 0;
  value[m++] = 0.3;
  if (vec && config.vectors) m = vec.write(index, value, m, size + SIGNALS.length + 1, config.vectors.weight);
  if (objects && config.objects)
    m = objects.write(index, value, m, size + SIGNALS.length + 1 + pooledDimension(config), config.objects.weight);
  return { index: index.subarray(0, m), value: value.subarray(0, m) };
}

/** Pools word vectors over one text: reused buffers, reset on each call of {@link pooling}. */
class Pooling {
  readonly sum: Float64Array;
  readonly max: Float64Array;
  withMax = false;
  /** The distinct rows of this text, in first-seen order, and how often each occurred. */
  #rows = new Int32Array(256);
  #counts = new Int32Array(256);
  #unique = 0;
  /** Per row: the text generation that last saw it, and its place in `#rows`. */
  readonly #seen: Int32Array;
  readonly #at: Int32Array;
  #generation = 0;

  constructor(readonly vectors: WordVectors) {
    this.sum = new Float64Array(vectors.dims);
    this.max = new Float64Array(vectors.dims);
    this.#seen = new Int32Array(vectors.words);
    this.#at = new Int32Array(vectors.words);
  }

  reset(withMax: boolean): this {
    this.withMax = withMax;
    this.#unique = 0;
    this.#generation++;
    return this;
  }

  /**
   * Notes the word whose {@link WORD_SEED} hash is `hash`; a word read again only counts (pooling reads
   * each distinct word once). Skipping the hundred most frequent words as well lost 2.8 points of held-out
   * recall (their maximum carries the shape of a request: "how", "can", "you"), so every known word counts.
   */
  add(hash: number): void {
    const r = this.vectors.rowOfHash(hash);
    if (r < 0) return;
    if (this.#seen[r] === this.#generation) {
      this.#counts[this.#at[r]]++;
      return;
    }
    if (this.#unique === this.#rows.length) {
      const rows = new Int32Array(this.#rows.length * 2);
      const counts = new Int32Array(this.#rows.length * 2);
      rows.set(this.#rows);
      counts.set(this.#counts);
      this.#rows = rows;
      this.#counts = counts;
    }
    this.#seen[r] = this.#generation;
    this.#at[r] = this.#unique;
    this.#rows[this.#unique] = r;
    this.#counts[this.#unique++] = 1;
  }

  /** Appends the pooled block at feature index `base`; returns the new length. */
  write(index: Int32Array, value: Float32Array, m: number, base: number, weight: number): number {
    const D = this.sum.length;
    this.sum.fill(0);
    this.max.fill(this.#unique > 0 ? Number.NEGATIVE_INFINITY : 0);
    // The maximum reads each word at full strength; the mean weighs it by frequency and count.
    for (let k = 0; k < this.#unique; k++) {
      if (this.withMax) this.vectors.addRowWithMax(this.sum, this.max, this.#rows[k], this.#counts[k]);
      else this.vectors.addRow(this.sum, this.#rows[k], this.#counts[k]);
    }
    m = writeUnit(this.sum, weight, index, value, m, base);
    if (this.withMax) m = writeUnit(this.max, weight, index, value, m, base + D);
    return m;
  }
}

/** Appends `x` scaled to length `weight` (all zeros stays zeros) at feature index `base`; returns the new length. */
function writeUnit(
  x: Float64Array,
  weight: number,
  index: Int32Array,
  value: Float32Array,
  m: number,
  base: number,
): number {
  let n2 = 0;
  for (let d = 0; d < x.length; d++) n2 += x[d] * x[d];
  const k = n2 > 0 ? weight / Math.sqrt(n2) : 0;
  for (let d = 0; d < x.length; d++) {
    index[m] = base + d;
    value[m++] = x[d] * k;
  }
  return m;
}

/** The summed vectors of the words overrides aim at, over one text (reused buffers). */
class ObjectBlock {
  readonly sum: Float64Array;
  readonly tracker: OverrideObjects;
  count = 0;

  constructor(
    readonly vectors: WordVectors,
    verbs: ObjectVerbs,
  ) {
    this.sum = new Float64Array(vectors.dims);
    this.tracker = new OverrideObjects(verbs);
  }

  reset(): this {
    this.tracker.reset();
    this.sum.fill(0);
    this.count = 0;
    return this;
  }

  add(hash: number): void {
    if (!this.tracker.next(hash)) return;
    const r = this.vectors.rowOfHash(hash);
    if (r < 0) return;
    this.vectors.addRow(this.sum, r);
    this.count++;
  }

  /** Appends the block at `base` when the text has an override object (else nothing: all zeros). */
  write(index: Int32Array, value: Float32Array, m: number, base: number, weight: number): number {
    return this.count === 0 ? m : writeUnit(this.sum, weight, index, value, m, base);
  }
}

const objectBlocks = {
  override: new WeakMap<WordVectors, ObjectBlock>(),
  harm: new WeakMap<WordVectors, ObjectBlock>(),
};

function objectBlock(vectors: WordVectors, dims: number, verbs: ObjectVerbs): ObjectBlock {
  return bufferFor(objectBlocks[verbs], vectors, dims, () => new ObjectBlock(vectors, verbs)).reset();
}

/** One pooling buffer per set of word vectors (its per-row tables are as long as the vocabulary). */
const pools = new WeakMap<WordVectors, Pooling>();

function pooling(vectors: WordVectors, dims: number, withMax: boolean): Pooling {
  return bufferFor(pools, vectors, dims, () => new Pooling(vectors)).reset(withMax);
}

/** The reusable buffer of `vectors` in `cache` (made once), after checking the model's width against theirs. */
function bufferFor<T>(cache: WeakMap<WordVectors, T>, vectors: WordVectors, dims: number, make: () => T): T {
  if (vectors.dims !== dims)
    throw new LifeguardError('LG_ERR_MODEL', `word vectors have ${vectors.dims} dimensions, the model ${dims}`);
  let buffer = cache.get(vectors);
  if (buffer === undefined) {
    buffer = make();
    cache.set(vectors, buffer);
  }
  return buffer;
}

/** The word vectors shipped in the package's `models/word-vectors`. */
export function packageVectors(): WordVectors {
  return wordVectors(join(defaultModelsDir(), 'word-vectors'));
}
