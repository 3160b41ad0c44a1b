/**
 * Hashed token features for the PII tagger.
 *
 * Every feature is a (template id, value) pair where the value is an integer already computed by the
 * tokenizer or the gazetteer (token hash, shape hash, gazetteer bits …). The pair is mixed into a bucket
 * index with integer arithmetic only; the weight table holds one row of `nLabels` floats per bucket, and
 * the extractor writes row offsets (`bucket * nLabels`) so scoring is a plain sum of rows.
 */
import {
  G_CITY,
  G_COMMON,
  G_COMPANY,
  G_COMPANY_SUFFIX,
  G_COUNTRY,
  G_DATE,
  G_FIRST,
  G_HONORIFIC,
  G_JOB,
  G_JOB_HEAD,
  G_LAST,
  G_NRP,
  G_PHRASE,
  G_REGION,
  G_STREET,
  type Gazetteer,
} from './gazetteer.js';
import {
  F_ALL_DIGIT,
  F_ALL_LOWER,
  F_ALL_UPPER,
  F_DIGIT,
  F_INIT_UPPER,
  F_NL1,
  F_NL2,
  F_NONLATIN,
  F_PUNCT,
  F_SPACE_BEFORE,
  F_WORD,
  hashLower,
  type Tokens,
} from './tokenize.js';

/** Bump when the feature templates change: weights trained with another version are rejected. */
export const FEATURE_VERSION = 6;

export interface FeatureConfig {
  version: number;
  /** log2 of the number of hashed buckets. */
  bucketBits: number;
}

/** Upper bound on features per token (the extractor's scratch size). */
export const MAX_FEATURES = 64;

const BOS = 0x5bd1e995 | 0;
const EOS = 0x1b873593 | 0;
const H_DOT = hashLower('.');
const H_BANG = hashLower('!');
const H_QUEST = hashLower('?');
const H_COLON = hashLower(':');

/** murmur3 finaliser over a template id and up to two values. */
function mix(tpl: number, a: number, b: number): number {
  let h = Math.imul(tpl + 1, 0x9e3779b1) ^ a;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h ^= b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Coarse case / kind class of a token, 0..7. */
function caseClass(f: number): number {
  if (f & F_PUNCT) return 0;
  if (f & F_ALL_DIGIT) return 1;
  if (f & F_DIGIT) return 2; // alphanumeric
  if (f & F_NONLATIN && !(f & (F_INIT_UPPER | F_ALL_LOWER))) return 3;
  if (f & F_ALL_UPPER) return 4;
  if (f & F_INIT_UPPER) return 5;
  if (f & F_ALL_LOWER) return 6;
  return 7; // mixed case starting lower (iPhone)
}

function nlClass(f: number): number {
  return f & F_NL2 ? 2 : f & F_NL1 ? 1 : 0;
}

/** Value class of an all-digit token: length and a coarse magnitude (ages, years, zip codes …). */
function digitClass(text: string, s: number, e: number): number {
  const len = e - s;
  if (len > 6) return 70 + Math.min(len, 20);
  let v = 0;
  for (let i = s; i < e; i++) v = v * 10 + (text.charCodeAt(i) - 48);
  const lead0 = text.charCodeAt(s) === 48 ? 1 : 0;
  let mag: number;
  if (len <= 2) mag = v < 13 ? 0 : v < 18 ? 1 : v < 32 ? 2 : 3;
  else if (len === 4) mag = v >= 1900 && v <= 2039 ? 4 : 5;
  else mag = 6;
  return len * 16 + mag * 2 + lead0;
}

/**
 * Per-text feature context: tokens, gazetteer bits and derived per-token values, filled once per text.
 */
export class FeatureContext {
  gaz: Int32Array = new Int32Array(256);
  digit: Int32Array = new Int32Array(256);
  sentStart: Uint8Array = new Uint8Array(256);
  /** Case of the whole text: 0 mixed, 1 no upper-case letters, 2 no lower-case letters. */
  docCase = 0;

  ensure(n: number): void {
    if (this.gaz.length >= n) return;
    let cap = this.gaz.length;
    while (cap < n) cap *= 2;
    this.gaz = new Int32Array(cap);
    this.digit = new Int32Array(cap);
    this.sentStart = new Uint8Array(cap);
  }

  /**
   * Computes gazetteer bits and the whole-text case for all tokens, and (with `details`) the digit
   * classes and sentence-start flags too; otherwise call `detail` for the tokens that get decoded.
   */
  prepare(t: Tokens, gazetteer: Gazetteer, details = true): void {
    const n = t.n;
    this.ensure(n + 1);
    gazetteer.annotate(t, this.gaz, 0, n);
    const flags = t.flags;
    let anyUpper = false;
    let anyLower = false;
    for (let i = 0; i < n; i++) {
      const f = flags[i];
      if (f & (F_INIT_UPPER | F_ALL_UPPER) || (f & F_WORD && !(f & F_ALL_LOWER))) anyUpper = true;
      if (f & F_WORD && !(f & F_ALL_UPPER) && !(f & F_NONLATIN && !(f & (F_INIT_UPPER | F_ALL_LOWER)))) anyLower = true;
    }
    this.docCase = anyUpper && anyLower ? 0 : anyUpper ? 2 : anyLower ? 1 : 0;
    if (details) this.detail(t, 0, n);
  }

  /** Computes digit classes and sentence-start flags for tokens [from, to) (clamped). */
  detail(t: Tokens, from: number, to: number): void {
    const text = t.text;
    const flags = t.flags;
    const lo = Math.max(0, from);
    const hi = Math.min(t.n, to);
    for (let i = lo; i < hi; i++) {
      const f = flags[i];
      this.digit[i] = f & F_ALL_DIGIT ? digitClass(text, t.start[i], t.end[i]) : 0;
      let ss = 0;
      if (i === 0 || f & (F_NL1 | F_NL2)) ss = 1;
      else {
        const ph = t.hash[i - 1];
        if (ph === H_DOT || ph === H_BANG || ph === H_QUEST || ph === H_COLON) ss = 1;
        // after a line-initial list / heading / quote marker: "- Item", "## Title", "> Quote"
        else if (flags[i - 1] & F_PUNCT && (i === 1 || flags[i - 1] & (F_NL1 | F_NL2))) ss = 1;
      }
      this.sentStart[i] = ss;
    }
  }
}

/** Gazetteer bits that mark a token as worth tagging (unless it is also a common English word). */
export const TRIGGER_BITS = G_FIRST | G_LAST | G_CITY | G_COUNTRY | G_REGION | G_NRP | G_DATE | G_JOB_HEAD | G_COMPANY;

/**
 * Whether token `i` could start or anchor an entity: an all-digit token; an alphanumeric token with an
 * upper-case letter; a capitalised or non-Latin word that is not a common English word (or is also a
 * name / place / organisation / nationality / date / street / company / job word or an honorific); a
 * word inside a multi-word
 * gazetteer phrase. In texts without any upper-case letter, lower-case gazetteer hits (non-common) count.
 */
export function isCandidate(t: Tokens, ctx: FeatureContext, i: number): boolean {
  const f = t.flags[i];
  if (f & F_PUNCT) return false;
  if (f & F_ALL_DIGIT) return true;
  const g = ctx.gaz[i];
  if (f & F_ALL_LOWER) {
    if (g & G_PHRASE) return true; // part of a multi-word name / place / job title
    if (ctx.docCase !== 1) return false;
    return (f & F_DIGIT) !== 0 || ((g & TRIGGER_BITS) !== 0 && !(g & G_COMMON));
  }
  if (f & F_DIGIT) return true;
  return !(g & G_COMMON) || (g & (TRIGGER_BITS | G_HONORIFIC | G_STREET | G_COMPANY_SUFFIX | G_JOB)) !== 0;
}

/** Whether tokens [from, to) contain a candidate token (see `isCandidate`). */
export function chunkHasCandidate(t: Tokens, ctx: FeatureContext, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isCandidate(t, ctx, i)) return true;
  return false;
}

/**
 * Writes the bucket indices of token `i`'s features into `out` and returns how many were written.
 * `mask` is `buckets - 1`. The features are the token's intrinsic ones (see `intrinsicFeatures`) followed
 * by its context ones (see `contextFeatures`).
 */
export function extractFeatures(t: Tokens, ctx: FeatureContext, i: number, mask: number, out: Int32Array): number {
  return contextFeatures(t, ctx, i, mask, out, intrinsicFeatures(t, ctx, i, mask, out, 0));
}

/**
 * Features that depend only on the token itself (its text, shape, gazetteer bits) and the whole-text
 * case: identical for every occurrence of the same token, so their summed weights can be cached (see
 * `intrinsicKey`). Writes from `out[k]`; returns the new count.
 */
export function intrinsicFeatures(
  t: Tokens,
  ctx: FeatureContext,
  i: number,
  mask: number,
  out: Int32Array,
  k: number,
): number {
  const f0 = t.flags[i];
  const w0 = t.hash[i];
  const s0 = t.shortShape[i];
  const g0 = ctx.gaz[i];
  const c0 = caseClass(f0);
  const dc = ctx.docCase;
  out[k++] = mix(0, 0, 0) & mask; // bias
  out[k++] = mix(1, w0, 0) & mask;
  out[k++] = mix(10, t.shape[i], 0) & mask;
  out[k++] = mix(11, s0, 0) & mask;
  if (f0 & (F_WORD | F_DIGIT)) {
    out[k++] = mix(16, t.pre2[i], 0) & mask;
    out[k++] = mix(17, t.pre3[i], 0) & mask;
    out[k++] = mix(18, t.suf2[i], 0) & mask;
    out[k++] = mix(19, t.suf3[i], 0) & mask;
    out[k++] = mix(20, t.suf4[i], 0) & mask;
  }
  // gazetteer: each class bit (with the case class), the whole mask, the mask with the shape
  if (g0 !== 0) {
    let g = g0;
    while (g !== 0) {
      const bit = g & -g;
      out[k++] = mix(22, bit, c0) & mask;
      g ^= bit;
    }
  }
  out[k++] = mix(23, g0, 0) & mask;
  out[k++] = mix(26, g0, s0) & mask;
  if (f0 & F_ALL_DIGIT) out[k++] = mix(35, ctx.digit[i], 0) & mask;
  // whole-text case (all lower-case or all upper-case texts behave differently)
  out[k++] = mix(40, c0, dc) & mask;
  out[k++] = mix(42, g0, c0 + 16 * dc) & mask;
  return k;
}

/**
 * Second half of the cache key of token `i`'s intrinsic features (the first half is the token hash):
 * everything besides the lower-cased text that they depend on.
 */
export function intrinsicKey(t: Tokens, ctx: FeatureContext, i: number): number {
  return mix(43, t.shape[i] ^ Math.imul(ctx.gaz[i], 0x9e3779b1), caseClass(t.flags[i]) + 16 * ctx.docCase);
}

/** Features of token `i` that look at its neighbours, line layout and sentence position. */
export function contextFeatures(
  t: Tokens,
  ctx: FeatureContext,
  i: number,
  mask: number,
  out: Int32Array,
  k: number,
): number {
  const n = t.n;
  const hash = t.hash;
  const flags = t.flags;
  const short = t.shortShape;
  const gaz = ctx.gaz;
  const f0 = flags[i];
  const wm1 = i > 0 ? hash[i - 1] : BOS;
  const wm2 = i > 1 ? hash[i - 2] : BOS;
  const wp1 = i + 1 < n ? hash[i + 1] : EOS;
  const wp2 = i + 2 < n ? hash[i + 2] : EOS;
  const s0 = short[i];
  const sm1 = i > 0 ? short[i - 1] : BOS;
  const sp1 = i + 1 < n ? short[i + 1] : EOS;
  const g0 = gaz[i];
  const gm1 = i > 0 ? gaz[i - 1] : -1;
  const gp1 = i + 1 < n ? gaz[i + 1] : -1;
  const c0 = caseClass(f0);
  const nl0 = nlClass(f0);
  const nlNext = i + 1 < n ? nlClass(flags[i + 1]) : 3;
  const ss = ctx.sentStart[i];
  out[k++] = mix(2, wm1, 0) & mask;
  out[k++] = mix(3, wp1, 0) & mask;
  out[k++] = mix(8, wm2, wm1) & mask;
  out[k++] = mix(9, wp1, wp2) & mask;
  out[k++] = mix(12, sm1, s0) & mask;
  out[k++] = mix(13, s0, sp1) & mask;
  out[k++] = mix(24, gm1, g0) & mask;
  out[k++] = mix(25, g0, gp1) & mask;
  // layout: case class with line breaks before this token and before the next one
  out[k++] = mix(29, c0 * 4 + nl0, nlNext) & mask;
  out[k++] = mix(30, c0, ss * 2 + (f0 & F_SPACE_BEFORE ? 1 : 0)) & mask;
  out[k++] = mix(32, wm1, s0) & mask;
  out[k++] = mix(33, s0, wp1) & mask;
  if (f0 & F_ALL_DIGIT) out[k++] = mix(36, ctx.digit[i], wm1) & mask;
  out[k++] = mix(38, ss, g0 & G_COMMON ? c0 + 8 : c0) & mask;
  out[k++] = mix(41, wm1, c0 + 16 * ctx.docCase) & mask;
  return k;
}

/**
 * Splits tokens into decoding chunks (sentences): a chunk ends after `.`, `!` or `?` when the next token
 * starts a capitalised word or a new line, unless the period follows a short capitalised abbreviation
 * (`Mr.`, `St.`, `P.O.`), and before a blank line. Writes chunk end indices (exclusive) into `ends`
 * and returns how many chunks there are. Multi-line addresses stay in one chunk.
 */
export function segment(t: Tokens, ends: Int32Array): number {
  const n = t.n;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (i + 1 >= n) break;
    const fn = t.flags[i + 1];
    let cut = false;
    if (fn & F_NL2) cut = true;
    else if (fn & (F_NL1 | F_INIT_UPPER) && fn & F_SPACE_BEFORE) {
      const h = t.hash[i];
      if (h === H_BANG || h === H_QUEST) cut = true;
      else if (h === H_DOT && i > 0) {
        // not after abbreviations or numbers: "Mr.", "St.", "P.O.", "ul.", "94."
        const fp = t.flags[i - 1];
        cut = !!(fp & F_WORD) && !(fp & F_DIGIT) && t.len[i - 1] > 3;
      }
    }
    if (cut) ends[k++] = i + 1;
  }
  ends[k++] = n;
  return k;
}
