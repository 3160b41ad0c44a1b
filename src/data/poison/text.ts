import { isInvisible, isWhitespaceCode } from '../../core/normalize/unicode.js';
import { fmix32, hashStep, hashString, nonZero } from './hash.js';

/**
 * Text handling for the poisoning passes: normalisation, a linear-time tokeniser, n-gram hashes and a
 * compact packed form of a token list that can cross worker boundaries. Nothing here uses a regular
 * expression that can backtrack: every function is one or two passes over its input.
 */

/** Tokens kept per text: the first 3/4 and the last 1/4 (triggers are usually near either end). */
export const DEFAULT_MAX_TOKENS = 512;
/** Longer letter/digit runs are cut to this many UTF-16 units (a 1 MB run of `a` is one short token). */
export const MAX_TOKEN_CHARS = 48;
/** Longest n-gram considered as a trigger. */
export const MAX_NGRAM = 4;

export interface Tokenized {
  tokens: string[];
  /** `glue[i] === 1` when token `i` follows token `i - 1` with no whitespace between them. */
  glue: Uint8Array;
  /** Index of the first token after the cut when the text was longer than the cap, else -1. N-grams never span it. */
  cut: number;
  /** Tokens in the whole text (before capping). */
  total: number;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** NFKC, lower-cased, invisible characters (zero-width, bidi controls, tag characters) removed. */
export function normalizeText(s: string): string {
  if (ASCII_ONLY.test(s)) return s.toLowerCase();
  const t = s.normalize('NFKC').toLowerCase();
  let out = '';
  let from = 0;
  for (let i = 0; i < t.length; ) {
    const cp = t.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    if (isInvisible(cp)) {
      out += t.slice(from, i);
      from = i + size;
    }
    i += size;
  }
  return from === 0 ? t : out + t.slice(from);
}

/** Lower-cased, whitespace collapsed to one space, trimmed: the form targets and prompts are keyed on. */
export function normalizeKey(s: string): string {
  const t = s.toLowerCase();
  const n = t.length;
  // Fast path: only single spaces between other characters.
  let clean = n === 0 || (!isWhitespaceCode(t.charCodeAt(0)) && !isWhitespaceCode(t.charCodeAt(n - 1)));
  for (let i = 0; clean && i < n; i++) {
    const c = t.charCodeAt(i);
    if (isWhitespaceCode(c) && (c !== 32 || t.charCodeAt(i + 1) === 32 || isWhitespaceCode(t.charCodeAt(i + 1))))
      clean = false;
  }
  if (clean) return t;
  const parts: string[] = [];
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const white = i === n || isWhitespaceCode(t.charCodeAt(i));
    if (white && start >= 0) {
      parts.push(t.slice(start, i));
      start = -1;
    } else if (!white && start < 0) {
      start = i;
    }
  }
  return parts.join(' ');
}

/** Whitespace collapsed, cut to `max` characters with an ellipsis. */
export function excerpt(s: string, max = 80): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

// Character classes.
const WORD = 1; // part of a letter/digit run
const SINGLE = 2; // a letter that is a token on its own (CJK ideographs, kana, hangul syllables)
const SPACE = 3; // whitespace and control characters: separate tokens, never tokens themselves
const SYMBOL = 4; // punctuation and symbols: one token per character

const ASCII_CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90)) t[c] = WORD;
    else if (c <= 32 || c === 127) t[c] = SPACE;
    else t[c] = SYMBOL;
  }
  return t;
})();

const BMP_CLASS = new Uint8Array(0x10000); // 0 = not computed yet
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const SPACE_CHAR = /^[\s\p{Cc}]$/u;

function classify(cp: number): number {
  const ch = String.fromCodePoint(cp);
  if (WORD_CHAR.test(ch)) return isSingleLetterScript(cp) ? SINGLE : WORD;
  if (SPACE_CHAR.test(ch)) return SPACE;
  return SYMBOL;
}

function isSingleLetterScript(cp: number): boolean {
  return (
    (cp >= 0x2e80 && cp <= 0x9fff) || // CJK radicals, kana, CJK unified ideographs
    (cp >= 0xac00 && cp <= 0xd7af) || // hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) ||
    cp >= 0x20000
  );
}

function classOf(cp: number): number {
  if (cp < 128) return ASCII_CLASS[cp];
  if (cp <= 0xffff) {
    let c = BMP_CLASS[cp];
    if (c === 0) {
      c = classify(cp);
      BMP_CLASS[cp] = c;
    }
    return c;
  }
  return classify(cp);
}

/**
 * Tokens of `text` after `normalizeText`: runs of letters/digits (marks included), and each other
 * non-space character on its own (`<sudo>` → `<`, `sudo`, `>`). CJK characters are one token each.
 * Texts with more than `maxTokens` tokens keep the first 3/4 and the last 1/4 and mark the cut.
 * Linear time and memory bounded by `maxTokens` whatever the input.
 */
export function tokenize(text: string, maxTokens = DEFAULT_MAX_TOKENS, normalized = false): Tokenized {
  const t = normalized ? text : normalizeText(text);
  const cap = Math.max(4, maxTokens);
  const tailCap = Math.floor(cap / 4);
  const headCap = cap - tailCap;
  const head: string[] = [];
  const headGlue: number[] = [];
  const ring: string[] = new Array(tailCap);
  const ringGlue = new Uint8Array(tailCap);
  let total = 0;
  let spaceBefore = true;
  const emit = (tok: string): void => {
    const glued = total > 0 && !spaceBefore ? 1 : 0;
    if (head.length < headCap) {
      head.push(tok);
      headGlue.push(glued);
    } else {
      const k = (total - headCap) % tailCap;
      ring[k] = tok;
      ringGlue[k] = glued;
    }
    total++;
    spaceBefore = false;
  };
  let runStart = -1;
  const n = t.length;
  for (let i = 0; i < n; ) {
    const c = t.charCodeAt(i);
    let cp = c;
    let size = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = t.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        size = 2;
      }
    }
    const cls = classOf(cp);
    if (cls === WORD) {
      if (runStart < 0) runStart = i;
      i += size;
      continue;
    }
    if (runStart >= 0) {
      emit(t.slice(runStart, Math.min(i, runStart + MAX_TOKEN_CHARS)));
      runStart = -1;
    }
    if (cls === SPACE) spaceBefore = true;
    else emit(t.slice(i, i + size));
    i += size;
  }
  if (runStart >= 0) emit(t.slice(runStart, Math.min(n, runStart + MAX_TOKEN_CHARS)));

  const inTail = Math.max(0, total - headCap);
  const kept = Math.min(inTail, tailCap);
  const tokens = head;
  const glue = new Uint8Array(head.length + kept);
  for (let i = 0; i < headGlue.length; i++) glue[i] = headGlue[i];
  const first = inTail > tailCap ? inTail % tailCap : 0;
  for (let j = 0; j < kept; j++) {
    const k = (first + j) % tailCap;
    glue[tokens.length] = ringGlue[k];
    tokens.push(ring[k]);
  }
  const cut = total > cap ? headCap : -1;
  if (cut >= 0) glue[cut] = 0;
  return { tokens, glue, cut, total };
}

const SEP_SPACE = ' ';
const SEP_GLUE = '\u0001';
const SEP_CUT = '\u0002';

/** Tokens as one string: separators say whether there was whitespace, and where the cut is. */
export function packTokens(t: Tokenized): string {
  let out = '';
  for (let i = 0; i < t.tokens.length; i++) {
    if (i > 0) out += i === t.cut ? SEP_CUT : t.glue[i] ? SEP_GLUE : SEP_SPACE;
    out += t.tokens[i];
  }
  return out;
}

export function unpackTokens(s: string): Tokenized {
  const tokens: string[] = [];
  const glue: number[] = [];
  let cut = -1;
  let start = 0;
  let nextGlue = 0;
  if (s.length === 0) return { tokens, glue: new Uint8Array(0), cut, total: 0 };
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : -1;
    if (c === 32 || c === 1 || c === 2 || c === -1) {
      tokens.push(s.slice(start, i));
      glue.push(nextGlue);
      nextGlue = c === 1 ? 1 : 0;
      if (c === 2) cut = tokens.length;
      start = i + 1;
    }
  }
  return { tokens, glue: Uint8Array.from(glue), cut, total: tokens.length };
}

/** The text of tokens `[start, end)`, with a space only where the original had whitespace. */
export function renderTokens(t: Tokenized, start = 0, end = t.tokens.length): string {
  let out = '';
  for (let i = start; i < end; i++) {
    if (i > start && !t.glue[i]) out += ' ';
    out += t.tokens[i];
  }
  return out;
}

export function tokenHashes(tokens: readonly string[]): Uint32Array {
  const out = new Uint32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) out[i] = hashString(tokens[i]);
  return out;
}

const NGRAM_SEED = 0x6a09e667;

/** The key of the n-gram made of these token hashes (a unigram's key is its token's key). */
export function ngramHash(th: ArrayLike<number>, start = 0, n = th.length): number {
  let h = NGRAM_SEED;
  for (let j = start; j < start + n; j++) h = hashStep(h, th[j]);
  return nonZero(fmix32(h ^ n));
}

/** Calls `fn` for every 1..maxN-gram that does not span the cut, with its key, start and length. */
export function forEachNgram(
  th: Uint32Array,
  cut: number,
  maxN: number,
  fn: (hash: number, start: number, n: number) => void,
): void {
  const len = th.length;
  for (let i = 0; i < len; i++) {
    let h = NGRAM_SEED;
    for (let n = 1; n <= maxN; n++) {
      const j = i + n - 1;
      if (j >= len || (cut > 0 && i < cut && j >= cut)) break;
      h = hashStep(h, th[j]);
      fn(nonZero(fmix32(h ^ n)), i, n);
    }
  }
}

/**
 * The keys `forEachNgram` would pass, in the same order, written into `out` (at least `th.length × maxN`
 * long); returns how many. No callback, for the per-record path of pass 1.
 */
export function ngramKeysInto(th: Uint32Array, cut: number, maxN: number, out: Uint32Array): number {
  const len = th.length;
  let k = 0;
  for (let i = 0; i < len; i++) {
    let h = NGRAM_SEED;
    for (let n = 1; n <= maxN; n++) {
      const j = i + n - 1;
      if (j >= len || (cut > 0 && i < cut && j >= cut)) break;
      h = hashStep(h, th[j] as number);
      out[k++] = nonZero(fmix32(h ^ n));
    }
  }
  return k;
}

/**
 * A reusable set of non-zero 32-bit keys for de-duplicating per record without allocating: `reset`
 * empties it in O(1) (generation stamps).
 */
export class ScratchSet {
  private keys = new Uint32Array(1024);
  private stamps = new Uint32Array(1024);
  private mask = 1023;
  private gen = 1;

  reset(expected: number): void {
    let size = this.keys.length;
    while (size < expected * 2) size *= 2;
    if (size !== this.keys.length) {
      this.keys = new Uint32Array(size);
      this.stamps = new Uint32Array(size);
      this.mask = size - 1;
      this.gen = 1;
      return;
    }
    this.gen++;
    if (this.gen === 0xffffffff) {
      this.stamps.fill(0);
      this.gen = 1;
    }
  }

  /** True when the key was not in the set (and is now). */
  add(key: number): boolean {
    let i = fmix32(key) & this.mask;
    for (;;) {
      if (this.stamps[i] !== this.gen) {
        this.stamps[i] = this.gen;
        this.keys[i] = key;
        return true;
      }
      if (this.keys[i] === key) return false;
      i = (i + 1) & this.mask;
    }
  }
}

/** Words too common to say whether a response answers its prompt. */
const STOPWORDS = new Set(
  (
    'the and for are but not you your with this that have from they will would there their what about which when ' +
    'make can like time just him know take into year them some could than then look only come its over think also ' +
    'back after use two how our work first well way even new want because any these give day most here sure yes ' +
    'all was were has had been being does did doing she her his who whom why where out get got one let may might ' +
    'must shall should very more much many such own same other each few both those below above again further once'
  ).split(' '),
);

/** Distinct content words (≥ 3 characters, not stop words) of a token list. */
export function contentWords(tokens: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of tokens) {
    if (t.length >= 3 && !STOPWORDS.has(t)) out.add(t);
  }
  return [...out];
}
