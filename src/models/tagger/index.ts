/**
 * Lifeguard's PII sequence tagger: an averaged structured perceptron over hashed token features and
 * gazetteers, decoded with Viterbi. Finds PERSON, ORGANIZATION, ADDRESS, LOCATION, NRP, TITLE,
 * DATE_TIME, AGE and ZIP_CODE spans in English text. See `models/pii-tagger/MODEL_CARD.md`.
 */
import { fileURLToPath } from 'node:url';
import type { Match } from '../../core/finding.js';
import {
  chunkHasCandidate,
  contextFeatures,
  FeatureContext,
  intrinsicFeatures,
  intrinsicKey,
  isCandidate,
  MAX_FEATURES,
  segment,
} from './features.js';
import { type Gazetteer, loadGazetteer } from './gazetteer.js';
import {
  DecodeScratch,
  ENTITY_TYPES,
  labelsToSpans,
  type PerceptronModel,
  type TokenSpan,
  transposeTransitions,
  viterbi,
} from './perceptron.js';
import { ensureDetails, Tokens, tokenize } from './tokenize.js';
import { loadModel, type ModelHeader } from './weights.js';

export { ENTITY_TYPES } from './perceptron.js';

/** Types the tagger reports (`MISC`, its catch-all for structured PII, is never reported). */
export const TAGGER_ENTITY_TYPES = ENTITY_TYPES.filter((t) => t !== 'MISC');

export const TAGGER_RULE = 'pii.tagger';

export interface TagOptions {
  /**
   * Decode every token of every sentence. By default only windows around candidate tokens (digits,
   * capitalised or non-Latin words that are not sentence-initial common words, gazetteer hits) are
   * decoded, and all other tokens are `O`; texts without any upper-case letter are decoded sentence by
   * sentence.
   */
  noSkip?: boolean;
}

/** Tokens decoded on each side of a candidate token. */
const WINDOW_LEFT = 1;
const WINDOW_RIGHT = 1;
/** log2 of the number of cached per-token intrinsic emission vectors (2^14 × nLabels floats ≈ 1.4 MB). */
const CACHE_BITS = 14;

/**
 * Inference layout of the emission weights: `index[bucket]` is `(offset << 6) | count` (0 for an empty
 * row) and the row's entries are `entries[offset .. offset + count)`. An entry packs a 24-bit fixed-point
 * value and the label: `(round(value / scale) << 8) | label`. The index (1 MB) plus the entries are much
 * smaller than fixed-size blocks per bucket, which matters because most lookups miss the CPU caches.
 */
export interface PackedRows {
  index: Int32Array;
  entries: Int32Array;
  scale: number;
}

export function packRows(model: PerceptronModel): PackedRows {
  const { rowPtr, cols, vals } = model.sparse;
  const rows = rowPtr.length - 1;
  let max = 0;
  for (let i = 0; i < vals.length; i++) max = Math.max(max, Math.abs(vals[i]));
  const scale = max > 0 ? max / 8_000_000 : 1;
  const nnz = rowPtr[rows];
  if (nnz >= 1 << 25 || model.nLabels > 63) throw new Error('tagger weights too large to pack');
  const index = new Int32Array(rows);
  // at least one entry so that `entries[index[r] >>> 6]` is always a valid read
  const entries = new Int32Array(Math.max(1, nnz));
  for (let r = 0; r < rows; r++) {
    const from = rowPtr[r];
    const c = rowPtr[r + 1] - from;
    if (c === 0) continue;
    index[r] = (from << 6) | c;
    for (let j = 0; j < c; j++) entries[from + j] = (Math.round(vals[from + j] / scale) << 8) | cols[from + j];
  }
  return { index, entries, scale };
}

/** Adds the packed row with index word `h` (see `PackedRows`) into `out[off..off+L)`. */
function addRow(entries: Int32Array, scale: number, h: number, out: Float32Array, off: number): void {
  const start = h >>> 6;
  const end = start + (h & 63);
  for (let j = start; j < end; j++) {
    const e = entries[j];
    out[off + (e & 255)] += (e >> 8) * scale;
  }
}

/** A loaded tagger. Reuses internal buffers: cheap to call repeatedly, not re-entrant. */
export class Tagger {
  readonly header: ModelHeader;
  readonly model: PerceptronModel;
  readonly gazetteer: Gazetteer;
  private readonly types: string[];
  private readonly emitType: boolean[];
  private readonly tokens = new Tokens(1024);
  private readonly ctx = new FeatureContext();
  private readonly scratch = new DecodeScratch();
  private readonly feats = new Int32Array(MAX_FEATURES);
  private labels = new Int32Array(1024);
  private ends = new Int32Array(1024);
  private readonly invTemp: number;
  private readonly calA: number;
  private readonly calB: number;
  private readonly cacheKeyA = new Int32Array(1 << CACHE_BITS);
  private readonly cacheKeyB = new Int32Array(1 << CACHE_BITS);
  private readonly cacheUsed = new Uint8Array(1 << CACHE_BITS);
  private readonly cacheVec: Float32Array;
  private readonly packed: PackedRows;
  private readonly transT: Float64Array;
  /** Per-region context features (bucket, its `PackedRows.index` word) and each token's first one. */
  private ctxFeats = new Int32Array(64 * MAX_FEATURES);
  private ctxHead = new Int32Array(64 * MAX_FEATURES);
  private ctxStart = new Int32Array(65);
  /** Sink for the touch loop's result, so that it is not optimised away (public so that it counts as used). */
  prefetchSink = 0;

  constructor(model: PerceptronModel, header: ModelHeader, gazetteer: Gazetteer) {
    this.model = model;
    this.header = header;
    this.gazetteer = gazetteer;
    this.types = header.types;
    this.emitType = header.types.map((t) => (TAGGER_ENTITY_TYPES as readonly string[]).includes(t));
    this.invTemp = 1 / (header.temperature > 0 ? header.temperature : 1);
    this.calA = header.calibration?.a ?? 1;
    this.calB = header.calibration?.b ?? 0;
    this.cacheVec = new Float32Array((1 << CACHE_BITS) * model.nLabels);
    this.packed = packRows(model);
    this.transT = transposeTransitions(model.transDecode, model.nLabels);
  }

  /**
   * Tags `text`: fills the label of every token (0 = O) and calls `onRegion(from, to)` after each decoded
   * region while its emissions are still in the scratch buffer.
   */
  private run(text: string, options: TagOptions, onRegion?: (from: number, to: number) => void): Tokens {
    const t = tokenize(text, this.tokens, false);
    const n = t.n;
    const ctx = this.ctx;
    ctx.prepare(t, this.gazetteer, false);
    if (this.labels.length < n) {
      this.labels = new Int32Array(n * 2);
      this.ends = new Int32Array(n * 2 + 1);
    }
    this.labels.fill(0, 0, n);
    const nChunks = segment(t, this.ends);
    const whole = options.noSkip === true || ctx.docCase === 1;
    let from = 0;
    for (let c = 0; c < nChunks; c++) {
      const to = this.ends[c];
      if (whole) {
        if (to > from && (options.noSkip || chunkHasCandidate(t, ctx, from, to))) {
          if (this.decode(t, from, to)) onRegion?.(from, to);
        }
      } else {
        // windows around candidate tokens, merged when they touch or leave a one-token gap
        let rs = -1;
        let re = -1;
        for (let i = from; i < to; i++) {
          if (!isCandidate(t, ctx, i)) continue;
          const s = Math.max(from, i - WINDOW_LEFT);
          const e = Math.min(to, i + WINDOW_RIGHT + 1);
          if (rs >= 0 && s <= re + 1) {
            re = e;
            continue;
          }
          if (rs >= 0 && this.decode(t, rs, re)) onRegion?.(rs, re);
          rs = s;
          re = e;
        }
        if (rs >= 0 && this.decode(t, rs, re)) onRegion?.(rs, re);
      }
      from = to;
    }
    return t;
  }

  /** Decodes tokens [from, to) into `this.labels`; returns whether any token got a non-O label. */
  private decode(t: Tokens, from: number, to: number): boolean {
    const L = this.model.nLabels;
    const mask = (1 << this.model.bucketBits) - 1;
    const len = to - from;
    ensureDetails(t, from - 2, to + 2);
    this.ctx.detail(t, from, to);
    this.scratch.ensure(len, L);
    const emis = this.scratch.emis;
    const feats = this.feats;
    const { index, entries, scale } = this.packed;
    const cache = this.cacheVec;
    const keyA = this.cacheKeyA;
    const keyB = this.cacheKeyB;
    const hash = t.hash;
    // The weight rows (about 3 MB) mostly miss the CPU caches, and summing them one feature after the other
    // waits for each miss in turn. So first collect the context features of the whole region and load each
    // row's index word in a loop of independent loads (the misses overlap), then sum.
    if (this.ctxStart.length < len + 1) this.ctxStart = new Int32Array(2 * len + 1);
    if (this.ctxFeats.length < (len + 1) * MAX_FEATURES) {
      this.ctxFeats = new Int32Array(2 * (len + 1) * MAX_FEATURES);
      this.ctxHead = new Int32Array(this.ctxFeats.length);
    }
    const cStart = this.ctxStart;
    const cFeats = this.ctxFeats;
    const cHead = this.ctxHead;
    let nf = 0;
    for (let i = 0; i < len; i++) {
      cStart[i] = nf;
      nf = contextFeatures(t, this.ctx, from + i, mask, cFeats, nf);
    }
    cStart[len] = nf;
    for (let j = 0; j < nf; j++) cHead[j] = index[cFeats[j]];
    // then touch each row's first entry (again independent loads)
    let touch = 0;
    for (let j = 0; j < nf; j++) touch ^= entries[cHead[j] >>> 6];
    this.prefetchSink = touch;
    for (let i = 0; i < len; i++) {
      const ti = from + i;
      const off = i * L;
      // intrinsic part: direct-mapped cache keyed by (token hash, intrinsicKey)
      const a = hash[ti];
      const b = intrinsicKey(t, this.ctx, ti);
      const slot = (Math.imul(a ^ b, 0x9e3779b1) >>> (32 - CACHE_BITS)) | 0;
      const co = slot * L;
      if (keyA[slot] !== a || keyB[slot] !== b || this.cacheUsed[slot] === 0) {
        const k0 = intrinsicFeatures(t, this.ctx, ti, mask, feats, 0);
        for (let l = 0; l < L; l++) cache[co + l] = 0;
        for (let j = 0; j < k0; j++) addRow(entries, scale, index[feats[j]], cache, co);
        keyA[slot] = a;
        keyB[slot] = b;
        this.cacheUsed[slot] = 1;
      }
      for (let l = 0; l < L; l++) emis[off + l] = cache[co + l];
      const end = cStart[i + 1];
      for (let j = cStart[i]; j < end; j++) addRow(entries, scale, cHead[j], emis, off);
    }
    viterbi(emis, len, L, this.model.transDecode, this.scratch, this.labels, from, this.transT);
    for (let i = from; i < to; i++) if (this.labels[i] !== 0) return true;
    return false;
  }

  /** The label of every token (for evaluation and tests). */
  tagTokens(text: string, options: TagOptions = {}): { tokens: Tokens; labels: Int32Array } {
    const t = this.run(text, options);
    return { tokens: t, labels: this.labels.slice(0, t.n) };
  }

  /** Finds PII spans in `text`. */
  tag(text: string, options: TagOptions = {}): Match[] {
    const out: Match[] = [];
    const spans: TokenSpan[] = [];
    const t = this.tokens;
    this.run(text, options, (from, to) => {
      spans.length = 0;
      labelsToSpans(this.labels, from, to, spans);
      for (const s of spans) {
        if (!this.emitType[s.type]) continue;
        out.push({
          type: this.types[s.type],
          start: t.start[s.start],
          end: t.end[s.end - 1],
          score: this.spanScore(from, s),
          rule: TAGGER_RULE,
        });
      }
    });
    return out;
  }

  /**
   * Mean over the span's tokens of the softmax probability (at the fitted temperature) of the chosen
   * label given the previous label, computed from the emissions still in the decode scratch, then
   * Platt-scaled with the header's calibration.
   */
  private spanScore(regionFrom: number, s: TokenSpan): number {
    const L = this.model.nLabels;
    const emis = this.scratch.emis;
    const trans = this.model.transDecode;
    const labels = this.labels;
    let sum = 0;
    for (let i = s.start; i < s.end; i++) {
      const off = (i - regionFrom) * L;
      const prev = i > regionFrom ? labels[i - 1] + 1 : 0;
      const lab = labels[i];
      let max = -Infinity;
      for (let l = 0; l < L; l++) {
        const v = emis[off + l] + trans[prev * L + l];
        if (v > max) max = v;
      }
      let z = 0;
      let p = 0;
      for (let l = 0; l < L; l++) {
        const v = emis[off + l] + trans[prev * L + l];
        if (v < -1e20) continue;
        const e = Math.exp((v - max) * this.invTemp);
        z += e;
        if (l === lab) p = e;
      }
      sum += z > 0 ? p / z : 0;
    }
    return Math.round(calibrate(sum / (s.end - s.start), this.calA, this.calB) * 1000) / 1000;
  }
}

/** Platt scaling of a probability-like score: `sigmoid(a * logit(s) + b)`. */
export function calibrate(s: number, a: number, b: number): number {
  if (a === 1 && b === 0) return s;
  const p = Math.min(1 - 1e-6, Math.max(1e-6, s));
  return 1 / (1 + Math.exp(-(a * Math.log(p / (1 - p)) + b)));
}

/**
 * Directory of the model: `LIFEGUARD_PII_TAGGER_DIR` when set (a model you trained with
 * `npm run train:tagger -- --out DIR`), else the committed `<package root>/models/pii-tagger/`.
 */
export function modelDir(): string {
  const override = process.env.LIFEGUARD_PII_TAGGER_DIR;
  if (override) return override.endsWith('/') ? override : `${override}/`;
  return fileURLToPath(new URL('../../../models/pii-tagger/', import.meta.url));
}

let singleton: Tagger | undefined;

/** The committed tagger, loaded on first use and cached. */
export function loadTagger(): Tagger {
  if (!singleton) {
    const { header, model } = loadModel(modelDir());
    model.dropDense();
    singleton = new Tagger(model, header, loadGazetteer());
  }
  return singleton;
}

/** Tags `text` with the committed model; offsets are UTF-16 indices into `text`. */
export function tagPii(text: string): Match[] {
  return loadTagger().tag(text);
}
