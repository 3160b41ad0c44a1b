import { type MappedText, MappedTextBuilder } from './mapped-text.js';
import { CONFUSABLES, isAsciiAlnum, isCombining, isInvisible, isLetter, LEET } from './unicode.js';

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The canonical view every detector reads: NFKC (full-width digits, ligatures, math letters, …),
 * invisible characters removed (zero-width, bidi controls, tag characters, variation selectors) and
 * Latin look-alikes from other scripts folded to Latin inside words that are Latin-looking.
 * Pure ASCII input is returned as is (no copy, identity offsets).
 */
export function canonicalize(input: MappedText): MappedText {
  const src = input.text;
  if (!NON_ASCII.test(src)) return input;
  const b = new MappedTextBuilder(input);
  const n = src.length;
  let pending = 0; // start of the unchanged run not yet copied
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c < 0x80) {
      i++;
      continue;
    }
    const cp = src.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    // A combining mark after an ASCII base: normalise the base with it (e + U+0301 → é).
    const base = isCombining(cp) && i > pending ? i - 1 : i;
    if (isInvisible(cp)) {
      b.copy(pending, i);
      b.drop();
      i += len;
      pending = i;
      continue;
    }
    // A base character with its combining marks normalises as one cluster.
    let j = i + len;
    let hidden = false; // an invisible mark among them
    while (j < n) {
      const m = src.codePointAt(j)!;
      if (!isCombining(m)) break;
      if (isInvisible(m)) hidden = true;
      j += m > 0xffff ? 2 : 1;
    }
    const cluster = src.slice(base, j);
    // Invisible marks (variation selectors, the grapheme joiner) after a letter or digit are dropped as any invisible
    // character is: absorbed in the cluster they stayed, and `ｊ` + U+E0100 cut an address, `４` + U+FE0F a card number.
    // After a symbol they stay (an emoji's presentation selector, "❤️").
    const norm = (hidden && isLetterOrDigit(src.codePointAt(base)!) ? dropInvisible(cluster) : cluster).normalize(
      'NFKC',
    );
    if (norm !== cluster) {
      b.copy(pending, base);
      b.emit(norm, base, j);
      pending = j;
    }
    i = j;
  }
  b.copy(pending, n);
  const nfkc = b.build();
  return foldHomoglyphs(nfkc);
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

function isLetterOrDigit(cp: number): boolean {
  if (cp < 0x80) return isAsciiAlnum(cp);
  return LETTER_OR_DIGIT.test(String.fromCodePoint(cp));
}

/** s without its invisible characters. */
function dropInvisible(s: string): string {
  let out = '';
  for (const ch of s) if (!isInvisible(ch.codePointAt(0)!)) out += ch;
  return out;
}

const MAYBE_CONFUSABLE = /[\u0250-\u02af\u0370-\u052f\u0530-\u058f\u13a0-\u13ff\u0131\u0237]/;

/**
 * Folds look-alike letters to Latin inside a whitespace-delimited token when the token already contains
 * ASCII letters or digits, or consists only of look-alikes in a text without genuine non-Latin words (so
 * Greek or Russian prose stays as it is). Replacement is unit for unit, so the offset map is unchanged.
 */
export function foldHomoglyphs(view: MappedText): MappedText {
  const s = view.text;
  if (!MAYBE_CONFUSABLE.test(s)) return view;
  const n = s.length;
  // Tokens holding look-alikes: [start, end, hasAsciiAlnum, allLettersLookAlike]
  const candidates: Array<[number, number, boolean, boolean]> = [];
  let foreignText = false; // the text has genuine non-Latin words, so all-look-alike words are likely genuine too
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    const start = i;
    let ascii = false;
    let confusable = false;
    let otherLetter = false;
    while (i < n && !isSpace(s.charCodeAt(i))) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (isAsciiAlnum(c)) ascii = true;
      } else if (CONFUSABLES.has(c)) confusable = true;
      else if (isLetter(c)) otherLetter = true;
      i++;
    }
    if (otherLetter) foreignText = true;
    if (confusable) candidates.push([start, i, ascii, !otherLetter]);
  }
  let codes: Uint16Array | null = null;
  for (const [start, end, ascii, allLookAlike] of candidates) {
    if (!ascii && !(allLookAlike && !foreignText)) continue;
    if (!codes) {
      codes = new Uint16Array(n);
      for (let k = 0; k < n; k++) codes[k] = s.charCodeAt(k);
    }
    for (let k = start; k < end; k++) {
      const f = CONFUSABLES.get(codes[k]);
      if (f !== undefined) codes[k] = f;
    }
  }
  if (!codes) return view;
  return view.withText(decodeUnits(codes));
}

/**
 * Leetspeak folded (`1gn0r3` → `ignore`) inside tokens that mix letters with leet digits or symbols.
 * In a text that is leetspeak (two or more such tokens of three or more characters), short tokens fold
 * too: `t0` → `to`, `4` → `a`, `15` → `is` — alone they are as likely numbers as words, in leetspeak they
 * are words. For keyword and classifier features; pattern detectors read the canonical view (digits are
 * data there). Two linear passes.
 */
export function deleet(view: MappedText): MappedText {
  const s = view.text;
  const n = s.length;
  let mixed = 0;
  forEachToken(s, (_start, _end, letters, leet) => {
    if (letters > 0 && leet > 0 && letters + leet >= 3) mixed++;
  });
  const leety = mixed >= 2;
  let codes: Uint16Array | null = null;
  forEachToken(s, (start, end, letters, leet, leetDigits, other) => {
    const long = letters > 0 && leet > 0 && letters + leet >= 3;
    // A short token: at most two letters or leet digits (and punctuation), with a leet digit among them.
    const short = leety && !long && leetDigits > 0 && leet === leetDigits && letters + leet <= 2 && other <= 1;
    if (!long && !short) return;
    if (!codes) {
      codes = new Uint16Array(n);
      for (let k = 0; k < n; k++) codes[k] = s.charCodeAt(k);
    }
    // Trailing punctuation such as "!" ends a sentence; only fold symbols between letters or digits.
    for (let k = start; k < end; k++) {
      const f = LEET.get(codes[k]);
      if (f === undefined) continue;
      const isDigit = codes[k] >= 48 && codes[k] <= 57;
      if (!isDigit && (short || k === start || k === end - 1)) continue;
      codes[k] = f;
    }
  });
  if (!codes) return view;
  return view.withText(decodeUnits(codes));
}

/**
 * Calls `visit` with each whitespace-separated token and its counts of letters, leet characters, leet
 * digits and others; a digit that is not leet (`2`, `6`) counts as two others, so a token with one is
 * never short leetspeak (`42` stays a number).
 */
function forEachToken(
  s: string,
  visit: (start: number, end: number, letters: number, leet: number, leetDigits: number, other: number) => void,
): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (i >= n) return;
    const start = i;
    let letters = 0;
    let leet = 0;
    let leetDigits = 0;
    let other = 0;
    while (i < n && !isSpace(s.charCodeAt(i))) {
      const c = s.charCodeAt(i);
      if (LEET.has(c)) {
        leet++;
        if (c >= 48 && c <= 57) leetDigits++;
      } else if (isLetter(c)) letters++;
      else other += c >= 48 && c <= 57 ? 2 : 1;
      i++;
    }
    visit(start, i, letters, leet, leetDigits, other);
  }
}

function decodeUnits(codes: Uint16Array): string {
  let out = '';
  const CHUNK = 8192;
  for (let k = 0; k < codes.length; k += CHUNK) {
    out += String.fromCharCode.apply(null, codes.subarray(k, k + CHUNK) as unknown as number[]);
  }
  return out;
}

export function isSpace(c: number): boolean {
  return (
    c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0x85 || c === 0x2028 || c === 0x2029
  );
}
