/**
 * Structured (averaged) perceptron over hashed features with BIO labels and Viterbi decoding.
 *
 * Weights: `buckets × nLabels` Float32 emission rows plus a `(nLabels + 1) × nLabels` transition matrix
 * (row 0 is the start state). Invalid BIO transitions (`O → I-X`, `B-X → I-Y`) are forbidden in decoding.
 */

import { mulberry32 } from '../../core/random.js';
import { extractFeatures, FeatureContext, MAX_FEATURES, segment } from './features.js';
import type { Gazetteer } from './gazetteer.js';
import { Tokens, tokenize } from './tokenize.js';

export { mulberry32 };

/** Entity types the tagger predicts. `MISC` marks structured PII (emails, cards …) and is never emitted. */
export const ENTITY_TYPES = [
  'PERSON',
  'ORGANIZATION',
  'ADDRESS',
  'LOCATION',
  'NRP',
  'TITLE',
  'DATE_TIME',
  'AGE',
  'ZIP_CODE',
  'MISC',
] as const;
export type TaggerType = (typeof ENTITY_TYPES)[number];

/** Labels: `O`, then `B-T`, `I-T` for each type in order. */
export function labelNames(types: readonly string[]): string[] {
  const out = ['O'];
  for (const t of types) out.push(`B-${t}`, `I-${t}`);
  return out;
}

export const isBegin = (label: number): boolean => label > 0 && label % 2 === 1;
export const isInside = (label: number): boolean => label > 0 && label % 2 === 0;
/** Type index of a B/I label (label must be > 0). */
export const typeOf = (label: number): number => (label - 1) >> 1;

const NEG = -1e30;

/** Additive mask of allowed transitions: 0 where allowed, -1e30 where not. Row 0 = start. */
export function transitionMask(nLabels: number): Float32Array {
  const m = new Float32Array((nLabels + 1) * nLabels);
  for (let p = -1; p < nLabels; p++) {
    for (let c = 0; c < nLabels; c++) {
      let ok = true;
      if (isInside(c)) ok = p > 0 && typeOf(p) === typeOf(c);
      m[(p + 1) * nLabels + c] = ok ? 0 : NEG;
    }
  }
  return m;
}

/**
 * `trans` transposed to `out[c * (L + 1) + p + 1]` (row 0 = start state), as float64 so the Viterbi inner
 * loop reads one contiguous, already converted column per label. Values are exact copies.
 */
export function transposeTransitions(
  trans: Float32Array,
  L: number,
  out = new Float64Array((L + 1) * L),
): Float64Array {
  for (let p = 0; p <= L; p++) for (let c = 0; c < L; c++) out[c * (L + 1) + p] = trans[p * L + c];
  return out;
}

/** Decoding scratch buffers, grown on demand. */
export class DecodeScratch {
  emis = new Float32Array(0);
  delta = new Float32Array(0);
  back = new Uint8Array(0);
  /** The previous token's scores as float64 (one conversion per token instead of one per label pair). */
  prevRow = new Float64Array(0);
  transT = new Float64Array(0);

  ensure(n: number, nLabels: number): void {
    if (this.prevRow.length < nLabels) {
      this.prevRow = new Float64Array(nLabels);
      this.transT = new Float64Array((nLabels + 1) * nLabels);
    }
    const need = n * nLabels;
    if (this.emis.length >= need) return;
    let cap = Math.max(256, this.emis.length);
    while (cap < need) cap *= 2;
    this.emis = new Float32Array(cap);
    this.delta = new Float32Array(cap);
    this.back = new Uint8Array(cap);
  }
}

/**
 * Viterbi over emission scores `emis[t * L + l]` for `n` tokens with transition scores `trans`
 * (already including the BIO mask). Writes the best labels into `out[0..n)`. Labels `I-X` are only
 * reachable from `B-X` / `I-X`, so only those two predecessors are scanned for them. `transT` is
 * `transposeTransitions(trans)` when the caller keeps one (else it is computed here).
 */
export function viterbi(
  emis: Float32Array,
  n: number,
  L: number,
  trans: Float32Array,
  scratch: DecodeScratch,
  out: Int32Array | Uint8Array,
  outOffset = 0,
  transT?: Float64Array,
): void {
  if (n === 0) return;
  scratch.ensure(n, L);
  const tt = transT ?? transposeTransitions(trans, L, scratch.transT);
  const delta = scratch.delta;
  const back = scratch.back;
  const dp = scratch.prevRow;
  const L1 = L + 1;
  for (let c = 0; c < L; c++) delta[c] = emis[c] + trans[c];
  for (let t = 1; t < n; t++) {
    const prev = (t - 1) * L;
    const cur = t * L;
    for (let p = 0; p < L; p++) dp[p] = delta[prev + p];
    for (let c = 0; c < L; c++) {
      let best = NEG * 2;
      let arg = 0;
      const col = c * L1 + 1; // tt[col + p] = trans[(p + 1) * L + c]
      if (c > 0 && (c & 1) === 0) {
        // I-X: predecessors B-X (c - 1) and I-X (c)
        const vb = dp[c - 1] + tt[col + c - 1];
        const vi = dp[c] + tt[col + c];
        if (vb >= vi) {
          best = vb;
          arg = c - 1;
        } else {
          best = vi;
          arg = c;
        }
      } else {
        for (let p = 0; p < L; p++) {
          const v = dp[p] + tt[col + p];
          if (v > best) {
            best = v;
            arg = p;
          }
        }
      }
      delta[cur + c] = best + emis[cur + c];
      back[cur + c] = arg;
    }
  }
  let best = NEG * 2;
  let arg = 0;
  const last = (n - 1) * L;
  for (let c = 0; c < L; c++) {
    if (delta[last + c] > best) {
      best = delta[last + c];
      arg = c;
    }
  }
  for (let t = n - 1; t >= 0; t--) {
    out[outOffset + t] = arg;
    if (t > 0) arg = back[t * L + arg];
  }
}

/** Non-zero emission weights in compressed sparse rows: row r's entries are [rowPtr[r], rowPtr[r+1]). */
export interface SparseRows {
  rowPtr: Int32Array;
  cols: Uint8Array;
  vals: Float32Array;
}

/** The inference-time model: emission rows (dense and/or sparse) and transitions. */
export class PerceptronModel {
  readonly nLabels: number;
  readonly bucketBits: number;
  /** Learned transitions; `transDecode` adds the BIO mask. */
  readonly trans: Float32Array;
  readonly transDecode: Float32Array;
  private dense: Float32Array | undefined;
  private csr: SparseRows | undefined;

  constructor(nLabels: number, bucketBits: number, weights?: Float32Array, trans?: Float32Array, sparse?: SparseRows) {
    this.nLabels = nLabels;
    this.bucketBits = bucketBits;
    this.csr = sparse;
    this.dense = weights ?? (sparse ? undefined : new Float32Array((1 << bucketBits) * nLabels));
    this.trans = trans ?? new Float32Array((nLabels + 1) * nLabels);
    const mask = transitionMask(nLabels);
    this.transDecode = new Float32Array(mask.length);
    for (let i = 0; i < mask.length; i++) this.transDecode[i] = this.trans[i] + mask[i];
  }

  /** Dense `buckets × nLabels` weights (materialised on demand from the sparse rows). */
  get weights(): Float32Array {
    if (!this.dense) {
      const L = this.nLabels;
      const { rowPtr, cols, vals } = this.sparse;
      const w = new Float32Array((1 << this.bucketBits) * L);
      for (let r = 0; r + 1 < rowPtr.length; r++) {
        for (let j = rowPtr[r]; j < rowPtr[r + 1]; j++) w[r * L + cols[j]] = vals[j];
      }
      this.dense = w;
    }
    return this.dense;
  }

  /** Sparse rows (built on demand from the dense weights). */
  get sparse(): SparseRows {
    if (!this.csr) {
      const L = this.nLabels;
      const w = this.dense!;
      const rows = 1 << this.bucketBits;
      let nnz = 0;
      for (let i = 0; i < w.length; i++) if (w[i] !== 0) nnz++;
      const rowPtr = new Int32Array(rows + 1);
      const cols = new Uint8Array(nnz);
      const vals = new Float32Array(nnz);
      let k = 0;
      for (let r = 0; r < rows; r++) {
        rowPtr[r] = k;
        for (let l = 0; l < L; l++) {
          const v = w[r * L + l];
          if (v !== 0) {
            cols[k] = l;
            vals[k] = v;
            k++;
          }
        }
      }
      rowPtr[rows] = k;
      this.csr = { rowPtr, cols, vals };
    }
    return this.csr;
  }

  /** Drops the dense copy when only sparse inference is needed (saves memory). */
  dropDense(): void {
    if (!this.csr) void this.sparse;
    this.dense = undefined;
  }
}

/**
 * Averaged structured perceptron trainer (Collins 2002) with the usual lazy-averaging trick: keep the
 * current weights `w` and the sum of step-weighted updates `u`; the average is `w - u / c`.
 */
export class PerceptronTrainer {
  readonly nLabels: number;
  readonly bucketBits: number;
  readonly w: Float32Array;
  readonly u: Float64Array;
  readonly tw: Float64Array;
  readonly tu: Float64Array;
  readonly mask: Float32Array;
  /** Current weights as float32 for decoding (aliases `w`). */
  private readonly transF: Float32Array;
  c = 1;

  constructor(nLabels: number, bucketBits: number) {
    this.nLabels = nLabels;
    this.bucketBits = bucketBits;
    const size = (1 << bucketBits) * nLabels;
    this.w = new Float32Array(size);
    this.u = new Float64Array(size);
    this.tw = new Float64Array((nLabels + 1) * nLabels);
    this.tu = new Float64Array((nLabels + 1) * nLabels);
    this.mask = transitionMask(nLabels);
    this.transF = new Float32Array((nLabels + 1) * nLabels);
  }

  /** Transition scores (with BIO mask) for decoding with the current weights. */
  decodeTransitions(): Float32Array {
    for (let i = 0; i < this.transF.length; i++) this.transF[i] = this.tw[i] + this.mask[i];
    return this.transF;
  }

  emissions(feats: Int32Array, offsets: Int32Array, n: number, emis: Float32Array): void {
    const w = this.w;
    const L = this.nLabels;
    for (let t = 0; t < n; t++) {
      const off = t * L;
      for (let l = 0; l < L; l++) emis[off + l] = 0;
      for (let j = offsets[t]; j < offsets[t + 1]; j++) {
        const b = feats[j] * L;
        for (let l = 0; l < L; l++) emis[off + l] += w[b + l];
      }
    }
  }

  /**
   * Perceptron update for one sequence: +1 for the gold path's features and transitions, -1 for the
   * predicted path's (where they differ). Returns the number of wrong tokens.
   */
  update(
    feats: Int32Array,
    offsets: Int32Array,
    n: number,
    gold: Uint8Array,
    goldOff: number,
    pred: Uint8Array | Int32Array,
  ): number {
    const L = this.nLabels;
    const c = this.c;
    let wrong = 0;
    for (let t = 0; t < n; t++) {
      const g = gold[goldOff + t];
      const p = pred[t];
      const gp = t > 0 ? gold[goldOff + t - 1] + 1 : 0;
      const pp = t > 0 ? pred[t - 1] + 1 : 0;
      if (g !== p) {
        wrong++;
        for (let j = offsets[t]; j < offsets[t + 1]; j++) {
          const b = feats[j] * L;
          this.w[b + g] += 1;
          this.u[b + g] += c;
          this.w[b + p] -= 1;
          this.u[b + p] -= c;
        }
      }
      if (g !== p || gp !== pp) {
        this.tw[gp * L + g] += 1;
        this.tu[gp * L + g] += c;
        this.tw[pp * L + p] -= 1;
        this.tu[pp * L + p] -= c;
      }
    }
    return wrong;
  }

  /** Advances the averaging clock (call once per training sequence). */
  tick(): void {
    this.c++;
  }

  /** The averaged model. */
  averaged(): PerceptronModel {
    const size = this.w.length;
    const avg = new Float32Array(size);
    const c = this.c;
    for (let i = 0; i < size; i++) {
      const v = this.w[i] - this.u[i] / c;
      avg[i] = Math.abs(v) < 1e-6 ? 0 : v;
    }
    const trans = new Float32Array(this.tw.length);
    for (let i = 0; i < trans.length; i++) trans[i] = this.tw[i] - this.tu[i] / c;
    return new PerceptronModel(this.nLabels, this.bucketBits, avg, trans);
  }
}

/** A span decoded from BIO labels: token range [start, end). */
export interface TokenSpan {
  type: number;
  start: number;
  end: number;
}

/** Converts BIO labels `labels[from..to)` into token spans (an `I` without a `B` starts a span). */
export function labelsToSpans(labels: ArrayLike<number>, from: number, to: number, out: TokenSpan[] = []): TokenSpan[] {
  let cur: TokenSpan | undefined;
  for (let t = from; t < to; t++) {
    const l = labels[t];
    if (l === 0) {
      if (cur) out.push(cur);
      cur = undefined;
      continue;
    }
    const ty = typeOf(l);
    if (isBegin(l) || !cur || cur.type !== ty) {
      if (cur) out.push(cur);
      cur = { type: ty, start: t, end: t + 1 };
    } else {
      cur.end = t + 1;
    }
  }
  if (cur) out.push(cur);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Training

export interface TrainSpan {
  type: string;
  start: number;
  end: number;
}
export interface TrainExample {
  text: string;
  spans: readonly TrainSpan[];
}

export interface TrainOptions {
  types: readonly string[];
  bucketBits: number;
  epochs: number;
  seed: number;
  /** Probability of hiding a token's gazetteer bits during training (forces use of context). */
  gazetteerDropout: number;
  gazetteer: Gazetteer;
  log?: (message: string) => void;
}

export interface TrainResult {
  model: PerceptronModel;
  sentences: number;
  tokens: number;
  chunks: number;
}

/**
 * BIO labels for the tokens of a text given character spans. A token belongs to a span when more than
 * half of it lies inside; spans of unknown types are ignored (their tokens stay `O`).
 */
export function goldLabels(t: Tokens, spans: readonly TrainSpan[], types: readonly string[], out: Uint8Array): void {
  out.fill(0, 0, t.n);
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  for (const s of sorted) {
    const ty = types.indexOf(s.type);
    if (ty < 0) continue;
    let first = true;
    for (let i = 0; i < t.n; i++) {
      const a = Math.max(t.start[i], s.start);
      const b = Math.min(t.end[i], s.end);
      if (b - a <= 0 || (b - a) * 2 < t.end[i] - t.start[i]) continue;
      out[i] = first ? 1 + 2 * ty : 2 + 2 * ty;
      first = false;
    }
  }
}

/**
 * Trains an averaged structured perceptron on `examples`. Deterministic for a given seed, data order and
 * options (the visiting order is a seeded shuffle per epoch; all arithmetic is on integers or is
 * order-fixed). Features are extracted once; decoding runs per sentence chunk, as at inference.
 */
export function trainPerceptron(examples: readonly TrainExample[], opts: TrainOptions): TrainResult {
  const L = 1 + 2 * opts.types.length;
  const mask = (1 << opts.bucketBits) - 1;
  const rand = mulberry32(opts.seed);
  const tok = new Tokens(256);
  const ctx = new FeatureContext();
  const scratchFeats = new Int32Array(MAX_FEATURES);
  // growable pools
  let feats = new Int32Array(1 << 20);
  let nFeats = 0;
  let tokFeatStart = new Int32Array(1 << 16); // per global token: start offset into feats (+1 sentinel)
  let gold = new Uint8Array(1 << 16);
  let nTok = 0;
  const chunkFrom: number[] = [];
  const chunkTo: number[] = [];
  let ends = new Int32Array(256);
  const labelBuf = new Uint8Array(4096);
  let labels = labelBuf;
  for (const ex of examples) {
    const t = tokenize(ex.text, tok);
    if (t.n === 0) continue;
    ctx.prepare(t, opts.gazetteer);
    if (opts.gazetteerDropout > 0) {
      for (let i = 0; i < t.n; i++) if (rand() < opts.gazetteerDropout) ctx.gaz[i] = 0;
    }
    if (labels.length < t.n) labels = new Uint8Array(t.n * 2);
    goldLabels(t, ex.spans, opts.types, labels);
    if (ends.length < t.n + 1) ends = new Int32Array(t.n * 2 + 1);
    const nChunks = segment(t, ends);
    if (nTok + t.n + 1 > gold.length) {
      let cap = gold.length * 2;
      while (cap < nTok + t.n + 1) cap *= 2;
      const g2 = new Uint8Array(cap);
      g2.set(gold);
      gold = g2;
      const s2 = new Int32Array(cap);
      s2.set(tokFeatStart);
      tokFeatStart = s2;
    }
    for (let i = 0; i < t.n; i++) {
      const k = extractFeatures(t, ctx, i, mask, scratchFeats);
      if (nFeats + k > feats.length) {
        const f2 = new Int32Array(feats.length * 2);
        f2.set(feats);
        feats = f2;
      }
      tokFeatStart[nTok + i] = nFeats;
      feats.set(scratchFeats.subarray(0, k), nFeats);
      nFeats += k;
      gold[nTok + i] = labels[i];
    }
    tokFeatStart[nTok + t.n] = nFeats;
    let from = 0;
    for (let c = 0; c < nChunks; c++) {
      const to = ends[c];
      if (to > from) {
        chunkFrom.push(nTok + from);
        chunkTo.push(nTok + to);
      }
      from = to;
    }
    nTok += t.n;
  }
  const trainer = new PerceptronTrainer(L, opts.bucketBits);
  const scratch = new DecodeScratch();
  const nChunks = chunkFrom.length;
  const order = new Int32Array(nChunks);
  for (let i = 0; i < nChunks; i++) order[i] = i;
  let pred = new Uint8Array(256);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = nChunks - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    let wrong = 0;
    let seen = 0;
    for (let oi = 0; oi < nChunks; oi++) {
      const ci = order[oi];
      const from = chunkFrom[ci];
      const n = chunkTo[ci] - from;
      scratch.ensure(n, L);
      if (pred.length < n) pred = new Uint8Array(n * 2);
      const offsets = tokFeatStart.subarray(from, from + n + 1);
      trainer.emissions(feats, offsets, n, scratch.emis);
      viterbi(scratch.emis, n, L, trainer.decodeTransitions(), scratch, pred);
      let differs = false;
      for (let t = 0; t < n; t++) {
        if (pred[t] !== gold[from + t]) {
          differs = true;
          break;
        }
      }
      if (differs) wrong += trainer.update(feats, offsets, n, gold, from, pred);
      seen += n;
      trainer.tick();
    }
    opts.log?.(`epoch ${epoch + 1}/${opts.epochs}: token error ${((100 * wrong) / Math.max(1, seen)).toFixed(2)}%`);
  }
  return { model: trainer.averaged(), sentences: examples.length, tokens: nTok, chunks: nChunks };
}
