/**
 * A cheap, exact pre-test for the structural signals: one pass over the text notes how its words begin and
 * which characters and character pairs it holds; a signal whose every match must start with one of its literal
 * prefixes (`literal-prefixes.ts`) is then tested by its regex only when one of those prefixes can be there.
 * Most signals look for words most texts lack, and the regexes were most of the signals' cost (33 scans of
 * each window for `injection`). The test can say "maybe" wrongly (hashed bits), never "no" wrongly.
 */
import { isWordChar, type LiteralPrefixes, literalPrefixes, MAX_PREFIX } from './literal-prefixes.js';

/** Bits of the word-start table (its first 2–MAX_PREFIX characters of each word) and of the pair table. */
const WORD_BITS = 17;
const PAIR_BITS = 16;
/** Tags a requirement that is read from the pair table (else from the word-start table). */
const IN_PAIRS = 1 << 30;

const wordStarts = new Int32Array(1 << (WORD_BITS - 5));
const pairs = new Int32Array(1 << (PAIR_BITS - 5));

/** Table bit of the first `len` characters of a word, whose polynomial hash is `h` (multiplicative hashing). */
function wordBit(h: number, len: number): number {
  return Math.imul(h + len, 0x9e3779b1) >>> (32 - WORD_BITS);
}

/** Table bit of one character (`b` = -1) or of the pair `a`, `b`. */
function pairBit(a: number, b: number): number {
  return Math.imul(b < 0 ? a ^ 0x5bd1e995 : (a << 16) | b, 0x9e3779b1) >>> (32 - PAIR_BITS);
}

function has(table: Int32Array, bit: number): boolean {
  return (table[bit >>> 5] & (1 << (bit & 31))) !== 0;
}

function set(table: Int32Array, bit: number): void {
  table[bit >>> 5] |= 1 << (bit & 31);
}

/** The text last indexed; whether its pair table is built (only a few signals need it). */
let indexed = '';
let pairsBuilt = false;

/** Notes the text's word starts (`\b` then a word character) with their first 2–MAX_PREFIX characters. */
export function indexText(s: string): void {
  indexed = s;
  pairsBuilt = false;
  wordStarts.fill(0);
  const n = s.length;
  let prevWord = false;
  for (let q = 0; q < n; q++) {
    const c = s.charCodeAt(q);
    const word = isWordChar(c);
    if (word && !prevWord) {
      let h = c;
      for (let len = 2; len <= MAX_PREFIX && q + len <= n; len++) {
        h = (Math.imul(h, 31) + s.charCodeAt(q + len - 1)) | 0;
        set(wordStarts, wordBit(h, len));
      }
    }
    prevWord = word;
  }
}

/** Notes the indexed text's characters and character pairs. */
function buildPairs(): void {
  pairsBuilt = true;
  pairs.fill(0);
  const s = indexed;
  let prev = -1;
  for (let q = 0; q < s.length; q++) {
    const c = s.charCodeAt(q);
    set(pairs, pairBit(c, -1));
    if (prev >= 0) set(pairs, pairBit(prev, c));
    prev = c;
  }
}

/**
 * A signal's pre-test: alternatives, each a run of table bits that must all be set. A one-character word
 * prefix is read as "that character is somewhere"; a prefix that may start anywhere, as "each of its
 * pairs is somewhere".
 */
export class Prefilter {
  readonly #needsPairs: boolean;

  private constructor(readonly requirements: Int32Array[]) {
    this.#needsPairs = requirements.some((bits) => bits.some((b) => (b & IN_PAIRS) !== 0));
  }

  static of(pattern: RegExp): Prefilter | undefined {
    const prefixes = literalPrefixes(pattern);
    return prefixes ? new Prefilter(requirementsOf(shortened(prefixes))) : undefined;
  }

  /** False only when no match is possible in the text last given to {@link indexText}. */
  mayMatch(): boolean {
    if (this.#needsPairs && !pairsBuilt) buildPairs();
    for (const bits of this.requirements) {
      let all = true;
      for (let k = 0; k < bits.length && all; k++) {
        const b = bits[k];
        all = b & IN_PAIRS ? has(pairs, b & ~IN_PAIRS) : has(wordStarts, b);
      }
      if (all) return true;
    }
    return false;
  }
}

/** At most this many alternatives per signal, so that the test stays cheaper than the regex it may save. */
const MAX_CHECKS = 24;

/** The prefixes cut shorter until few enough remain (a prefix of a prefix is as sound, if less telling). */
function shortened(p: LiteralPrefixes): LiteralPrefixes {
  let out = p;
  for (let len = MAX_PREFIX - 1; len >= 2 && out.wordStart.length + out.anywhere.length > MAX_CHECKS; len--) {
    const cut = (list: string[]) => [...new Set(list.map((s) => s.slice(0, len)))];
    out = { wordStart: cut(p.wordStart), anywhere: cut(p.anywhere) };
  }
  return out;
}

function requirementsOf(prefixes: LiteralPrefixes): Int32Array[] {
  const out: Int32Array[] = [];
  for (const p of prefixes.wordStart) {
    if (p.length < 2) {
      out.push(Int32Array.of(IN_PAIRS | pairBit(p.charCodeAt(0), -1)));
      continue;
    }
    let h = p.charCodeAt(0);
    for (let k = 1; k < p.length; k++) h = (Math.imul(h, 31) + p.charCodeAt(k)) | 0;
    out.push(Int32Array.of(wordBit(h, p.length)));
  }
  for (const p of prefixes.anywhere) {
    const bits = [IN_PAIRS | pairBit(p.charCodeAt(0), -1)];
    for (let k = 1; k < p.length; k++) bits.push(IN_PAIRS | pairBit(p.charCodeAt(k - 1), p.charCodeAt(k)));
    out.push(Int32Array.from(bits));
  }
  return out;
}
