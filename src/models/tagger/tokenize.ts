/**
 * Fast tokenizer for the PII tagger.
 *
 * Tokens are maximal runs of letters, combining marks and digits, or runs of one repeated punctuation
 * character. Whitespace is skipped, but the number of line breaks before each token is kept as a
 * signal (addresses and signatures are laid out on lines). For every token the tokenizer also computes,
 * in the same pass over its characters, the integer hashes the feature extractor needs: the lower-cased
 * text, prefixes, suffixes and two word shapes. No per-token strings are allocated.
 *
 * Offsets are UTF-16 code-unit indices into the input, like every `Match`.
 */

/** Character classes, one byte per UTF-16 code unit. */
export const C_OTHER = 0; // punctuation, symbols, lone surrogates
export const C_SPACE = 1;
export const C_NEWLINE = 2;
export const C_LOWER = 3;
export const C_UPPER = 4;
export const C_LETTER = 5; // letter without case (CJK, Arabic, …)
export const C_DIGIT = 6;
export const C_MARK = 7; // combining mark: continues the current word

let tables: { cls: Uint8Array; lower: Uint16Array } | undefined;

/** Builds the per-code-unit class and lower-case tables once (about 20 ms). */
export function charTables(): { cls: Uint8Array; lower: Uint16Array } {
  if (tables) return tables;
  const cls = new Uint8Array(65536);
  const lower = new Uint16Array(65536);
  const reUpper = /\p{Lu}|\p{Lt}/u;
  const reLetter = /\p{L}/u;
  const reLower = /\p{Ll}/u;
  const reDigit = /\p{Nd}/u;
  const reMark = /\p{M}/u;
  const reSpace = /\s/u;
  for (let c = 0; c < 65536; c++) {
    lower[c] = c;
    if (c >= 0xd800 && c <= 0xdfff) {
      cls[c] = C_OTHER;
      continue;
    }
    const ch = String.fromCharCode(c);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029 || c === 0x0b || c === 0x0c || c === 0x85) {
      cls[c] = C_NEWLINE;
    } else if (reSpace.test(ch)) {
      cls[c] = C_SPACE;
    } else if (reDigit.test(ch)) {
      cls[c] = C_DIGIT;
    } else if (reLetter.test(ch)) {
      cls[c] = reUpper.test(ch) ? C_UPPER : reLower.test(ch) ? C_LOWER : C_LETTER;
    } else if (reMark.test(ch)) {
      cls[c] = C_MARK;
    } else {
      cls[c] = C_OTHER;
    }
    const lo = ch.toLowerCase();
    if (lo.length === 1) lower[c] = lo.charCodeAt(0);
  }
  tables = { cls, lower };
  return tables;
}

/** Token flags. */
export const F_WORD = 1; // contains a letter
export const F_DIGIT = 2; // contains a digit
export const F_PUNCT = 4; // punctuation / symbol token
export const F_INIT_UPPER = 8; // first character is an upper-case letter
export const F_ALL_UPPER = 16; // at least one letter, no lower-case letters
export const F_ALL_LOWER = 32; // at least one letter, no upper-case letters
export const F_NL1 = 64; // exactly one line break before the token
export const F_NL2 = 128; // two or more line breaks before the token
export const F_SPACE_BEFORE = 256; // whitespace (of any kind) before the token
export const F_ALL_DIGIT = 512; // digits only
export const F_NONLATIN = 1024; // contains a letter outside Latin scripts (Greek, Cyrillic, CJK, …)

/** FNV-1a offset basis and prime. */
export const FNV_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** Growable struct-of-arrays token buffer; reused across calls to avoid garbage. */
export class Tokens {
  n = 0;
  capacity: number;
  start: Int32Array;
  end: Int32Array;
  /** FNV-1a hash of the lower-cased token text. */
  hash: Int32Array;
  /** Hash of the exact word shape (runs capped at 4: `Xxxxx` → `Xxxx`, `ddddd` kept up to 4+). */
  shape: Int32Array;
  /** Hash of the collapsed word shape (`Xx`, `d`, `d.d` …). */
  shortShape: Int32Array;
  pre1: Int32Array;
  pre2: Int32Array;
  pre3: Int32Array;
  suf2: Int32Array;
  suf3: Int32Array;
  suf4: Int32Array;
  flags: Int32Array;
  /** Length in code units. */
  len: Int32Array;
  /** Whether shape / affix hashes were computed for the token (see `ensureDetails`). */
  detailed: Uint8Array;
  /** The text the tokens were taken from. */
  text = '';

  constructor(capacity = 256) {
    this.capacity = capacity;
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.hash = new Int32Array(capacity);
    this.shape = new Int32Array(capacity);
    this.shortShape = new Int32Array(capacity);
    this.pre1 = new Int32Array(capacity);
    this.pre2 = new Int32Array(capacity);
    this.pre3 = new Int32Array(capacity);
    this.suf2 = new Int32Array(capacity);
    this.suf3 = new Int32Array(capacity);
    this.suf4 = new Int32Array(capacity);
    this.flags = new Int32Array(capacity);
    this.len = new Int32Array(capacity);
    this.detailed = new Uint8Array(capacity);
  }

  grow(min: number): void {
    let cap = this.capacity * 2;
    while (cap < min) cap *= 2;
    const g = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.start = g(this.start);
    this.end = g(this.end);
    this.hash = g(this.hash);
    this.shape = g(this.shape);
    this.shortShape = g(this.shortShape);
    this.pre1 = g(this.pre1);
    this.pre2 = g(this.pre2);
    this.pre3 = g(this.pre3);
    this.suf2 = g(this.suf2);
    this.suf3 = g(this.suf3);
    this.suf4 = g(this.suf4);
    this.flags = g(this.flags);
    this.len = g(this.len);
    const d = new Uint8Array(cap);
    d.set(this.detailed.subarray(0, this.n));
    this.detailed = d;
    this.capacity = cap;
  }
}

/** Hashes a lower-cased string the way the tokenizer hashes a token (used for gazetteers). */
export function hashLower(s: string): number {
  const { lower } = charTables();
  let h = FNV_BASIS;
  for (let i = 0; i < s.length; i++) {
    h ^= lower[s.charCodeAt(i)];
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

function shapeCode(cls: number, c: number): number {
  switch (cls) {
    case C_UPPER:
      return 88; // X
    case C_LOWER:
    case C_MARK:
      return 120; // x
    case C_LETTER:
      return 76; // L
    case C_DIGIT:
      return 100; // d
    default:
      return c;
  }
}

/** Suffix hashes use their own basis so that `ab` as a suffix differs from `ab` as a prefix. */
function suffixHash(text: string, lower: Uint16Array, from: number, to: number): number {
  let acc = 0x3c6ef372;
  for (let j = from; j < to; j++) {
    acc ^= lower[text.charCodeAt(j)];
    acc = Math.imul(acc, FNV_PRIME);
  }
  return acc;
}

/**
 * Tokenizes `text` into `out` (cleared first) and returns it. With `details` (the default) the shape and
 * affix hashes of every token are computed too; otherwise call `ensureDetails` for the tokens whose
 * features are needed (inference decodes only a fraction of the tokens).
 */
export function tokenize(text: string, out: Tokens = new Tokens(), details = true): Tokens {
  const { cls, lower } = charTables();
  const len = text.length;
  out.n = 0;
  out.text = text;
  let nl = 0;
  let space = false;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    const k = cls[c];
    if (k === C_SPACE) {
      space = true;
      i++;
      continue;
    }
    if (k === C_NEWLINE) {
      // \r\n counts once
      if (!(c === 13 && i + 1 < len && text.charCodeAt(i + 1) === 10)) nl++;
      space = true;
      i++;
      continue;
    }
    const t = out.n;
    if (t >= out.capacity) out.grow(t + 1);
    const s = i;
    let h = FNV_BASIS;
    let flags = 0;
    if (k === C_OTHER) {
      // run of the same punctuation character
      i++;
      while (i < len && text.charCodeAt(i) === c) i++;
      h ^= c;
      h = Math.imul(h, FNV_PRIME);
      if (i - s > 1) {
        h ^= 0x2a;
        h = Math.imul(h, FNV_PRIME);
      }
      flags = F_PUNCT;
    } else {
      let nUpper = 0;
      let nLower = 0;
      let nDigit = 0;
      let nLetter = 0;
      let nonLatin = false;
      while (i < len) {
        const cc = text.charCodeAt(i);
        const kk = cls[cc];
        if (kk < C_LOWER) break; // other, space, newline
        if (kk === C_LOWER) nLower++;
        else if (kk === C_UPPER) nUpper++;
        else if (kk === C_DIGIT) nDigit++;
        if (kk !== C_DIGIT && kk !== C_MARK) {
          nLetter++;
          if (cc > 0x24f && !(cc >= 0x1e00 && cc <= 0x1eff)) nonLatin = true;
        }
        h ^= lower[cc];
        h = Math.imul(h, FNV_PRIME);
        i++;
      }
      if (nLetter > 0) {
        flags |= F_WORD;
        if (nonLatin) flags |= F_NONLATIN;
        if (cls[text.charCodeAt(s)] === C_UPPER) flags |= F_INIT_UPPER;
        if (nLower === 0 && nUpper > 0) flags |= F_ALL_UPPER;
        if (nUpper === 0 && nLower > 0) flags |= F_ALL_LOWER;
      }
      if (nDigit > 0) {
        flags |= F_DIGIT;
        if (nLetter === 0) flags |= F_ALL_DIGIT;
      }
    }
    if (nl === 1) flags |= F_NL1;
    else if (nl > 1) flags |= F_NL2;
    if (space) flags |= F_SPACE_BEFORE;
    out.start[t] = s;
    out.end[t] = i;
    out.hash[t] = h;
    out.flags[t] = flags;
    out.len[t] = i - s;
    out.detailed[t] = 0;
    out.n = t + 1;
    nl = 0;
    space = false;
  }
  if (details) ensureDetails(out, 0, out.n);
  return out;
}

/** Computes shape and affix hashes for tokens [from, to) (clamped) that do not have them yet. */
export function ensureDetails(t: Tokens, from: number, to: number): void {
  const { cls, lower } = charTables();
  const text = t.text;
  const lo = Math.max(0, from);
  const hi = Math.min(t.n, to);
  for (let k = lo; k < hi; k++) {
    if (t.detailed[k]) continue;
    t.detailed[k] = 1;
    const s = t.start[k];
    const e = t.end[k];
    const h = t.hash[k];
    if (t.flags[k] & F_PUNCT) {
      t.shape[k] = h;
      t.shortShape[k] = h;
      t.pre1[k] = h;
      t.pre2[k] = h;
      t.pre3[k] = h;
      t.suf2[k] = h;
      t.suf3[k] = h;
      t.suf4[k] = h;
      continue;
    }
    let sh = FNV_BASIS; // exact shape, runs capped at 4
    let ss = FNV_BASIS; // collapsed shape
    let p = FNV_BASIS;
    let lastCode = -1;
    let runCount = 0;
    let lastShort = -1;
    const tl = e - s;
    for (let j = s; j < e; j++) {
      const cc = text.charCodeAt(j);
      const n = j - s + 1;
      if (n <= 3) {
        p ^= lower[cc];
        p = Math.imul(p, FNV_PRIME);
        if (n === 1) t.pre1[k] = p;
        else if (n === 2) t.pre2[k] = p;
        else t.pre3[k] = p;
      }
      const code = shapeCode(cls[cc], cc);
      if (code === lastCode) runCount++;
      else {
        lastCode = code;
        runCount = 1;
      }
      if (runCount <= 4) {
        sh ^= code;
        sh = Math.imul(sh, FNV_PRIME);
      }
      if (code !== lastShort) {
        ss ^= code;
        ss = Math.imul(ss, FNV_PRIME);
        lastShort = code;
      }
    }
    if (tl < 2) t.pre2[k] = h;
    if (tl < 3) t.pre3[k] = h;
    t.shape[k] = sh;
    t.shortShape[k] = ss;
    t.suf4[k] = tl >= 4 ? suffixHash(text, lower, e - 4, e) : h;
    t.suf3[k] = tl >= 3 ? suffixHash(text, lower, e - 3, e) : h;
    t.suf2[k] = tl >= 2 ? suffixHash(text, lower, e - 2, e) : h;
  }
}

/** Convenience for tests and tools: the tokens as `{ text, start, end }` objects. */
export function tokenSpans(text: string): { text: string; start: number; end: number; newlinesBefore: number }[] {
  const t = tokenize(text);
  const res: { text: string; start: number; end: number; newlinesBefore: number }[] = [];
  for (let i = 0; i < t.n; i++) {
    const f = t.flags[i];
    res.push({
      text: text.slice(t.start[i], t.end[i]),
      start: t.start[i],
      end: t.end[i],
      newlinesBefore: f & F_NL2 ? 2 : f & F_NL1 ? 1 : 0,
    });
  }
  return res;
}
