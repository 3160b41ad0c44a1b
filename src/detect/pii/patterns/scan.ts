/**
 * One linear pass helpers shared by the recognisers: digit-bearing tokens and runs of digit groups.
 * Both jump between digits with a one-character regex and extend by hand, so each character is looked at
 * a constant number of times whatever the input.
 */
import type { NumberRun, ScanContext, Token } from './types.js';
import * as typesModule from './types.js';

// Local bindings: loaders that rewrite imports into module-namespace lookups (vitest, tsx) would
// otherwise pay a property access on every call in the hot loops below.
const { escapeEndsAt, isAlnumCode, isAlphaCode, isDigitCode, isHexCode, NOT_ALNUM, NOT_DIGIT, skipRun } = typesModule;

/** Longest token we hand to the identifier recognisers; longer tokens are skipped whole. */
export const MAX_TOKEN = 64;
/** A run with more groups or characters than this is not a phone/card/id and is skipped whole. */
const MAX_RUN_GROUPS = 10;
const MAX_RUN_CHARS = 48;

/** Index of the next ASCII digit at or after `pos` (or -1): looks at three characters by hand, then asks the regex engine. */
function nextDigit(text: string, re: RegExp, pos: number): number {
  if (isDigitCode(text.charCodeAt(pos))) return pos < text.length ? pos : -1;
  if (isDigitCode(text.charCodeAt(pos + 1))) return pos + 1;
  if (isDigitCode(text.charCodeAt(pos + 2))) return pos + 2;
  re.lastIndex = pos + 3;
  return re.test(text) ? re.lastIndex - 1 : -1;
}

/** End of the digit run at `pos` (monomorphic twin of skipRun for the hottest loop). */
function skipDigits(text: string, pos: number): number {
  let i = pos;
  const stop = Math.min(pos + 16, text.length);
  while (i < stop) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return i;
    i++;
  }
  if (i >= text.length) return i;
  NOT_DIGIT.lastIndex = i;
  return NOT_DIGIT.test(text) ? NOT_DIGIT.lastIndex - 1 : text.length;
}

/** End of the alphanumeric run at `pos`. */
function skipAlnum(text: string, pos: number): number {
  let i = pos;
  const stop = Math.min(pos + 16, text.length);
  while (i < stop) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return i;
    i++;
  }
  if (i >= text.length) return i;
  NOT_ALNUM.lastIndex = i;
  return NOT_ALNUM.test(text) ? NOT_ALNUM.lastIndex - 1 : text.length;
}

/** Shortest digit-bearing token any identifier recogniser looks at. */
const MIN_TOKEN = 4;

export function scanDigitTokens(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\d/g;
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    const d = nextDigit(text, re, pos);
    if (d < 0) break;
    let s = d;
    while (s > pos && isAlnumCode(text.charCodeAt(s - 1))) s--;
    let e = d + 1;
    e = skipAlnum(text, e);
    if (e - s <= MAX_TOKEN && e - s >= MIN_TOKEN) tokens.push({ start: s, end: e });
    pos = e;
  }
  return tokens;
}

/**
 * Dashes NFKC leaves alone (hyphen, non-breaking hyphen, figure and en dash, em dash, horizontal bar, minus
 * sign): `+1‑415‑555‑2671` or `4111–1111–1111–1111` was never a number run, so a phone or card written with
 * them went unreported. They separate groups like '-' and are recorded as '-'.
 */
function isDashCode(c: number): boolean {
  return c === 45 || (c >= 0x2010 && c <= 0x2015) || c === 0x2212;
}

function isSepCode(c: number): boolean {
  // space, '-' (and the dashes above), '.', '/', no-break space
  return c === 32 || isDashCode(c) || c === 46 || c === 47 || c === 0xa0;
}

const NOT_RUN = /[^0-9 ./()\u00a0\u2010-\u2015\u2212-]/g;

/** Characters a run may contain: digits, separators, parentheses. */
function isRunCode(c: number): boolean {
  return isDigitCode(c) || isSepCode(c) || c === 40 || c === 41;
}

/** A run glued to a word character, or continuing "12:", "3," or "4." before it, is a fragment: not stored. */
function gluedBefore(text: string, start: number): boolean {
  if (start === 0 || escapeEndsAt(text, start)) return false;
  const b = text.charCodeAt(start - 1);
  if (isAlnumCode(b) || b === 95 || (b >= 0xc0 && b <= 0x24f)) return true;
  return (b === 58 || b === 44 || b === 46 || isDashCode(b) || b === 47) && isDigitCode(text.charCodeAt(start - 2));
}

/** Fewest digits of a phone, card, account or id number (an IPv4 address has four groups). */
const MIN_ID_DIGITS = 4;

/**
 * A run of fewer than four digits is no phone, card or id number. What reads it reads it as a word of a sentence:
 * an age ("34 years old", "34yo", "aged 34", "age:34"), a day ("March 3", "3rd of May", "3-March") or a clock time
 * ("10:30", "3pm"), and each of those has a space or ':' before the number, or a space, ':', a dash or a letter (the
 * unit) after it. Between other characters ("%4%4%4…", ";4;4…", "(4);") the number is a fragment nothing reads:
 * keeping a run for each one made such text allocate an object every two characters, several times prose's cost.
 */
function shortRunReadable(text: string, start: number, end: number): boolean {
  const b = text.charCodeAt(start - 1);
  if (b === 32 || b === 58 || b === 0xa0) return true;
  const a = text.charCodeAt(end);
  return a === 32 || a === 58 || a === 0xa0 || isDashCode(a) || isAlphaCode(a);
}

const EXT_RE = /(?: ?(?:x|ext\.?|extension|#) ?)(\d{1,6})/iy;
const NO_PARENS: number[] = [];
const NO_SEPS: string[] = [];

export function scanNumberRuns(text: string): NumberRun[] {
  const runs: NumberRun[] = [];
  const re = /\d/g;
  const n = text.length;
  // scratch buffers reused for every run; copied out only for runs that are kept
  const gStart: number[] = [];
  const gEnd: number[] = [];
  const gParen: boolean[] = [];
  const gSep: string[] = [];
  let pos = 0;
  while (pos < n) {
    const first = nextDigit(text, re, pos);
    if (first < 0) break;
    // fast path: a lone digit group (no separator, parenthesis or extension after it) is the common case
    const groupEnd = skipDigits(text, first);
    // the hex digits of a %XX escape ("%20192.168.1.5"): not a number; one may start right after them
    if (first > 0 && text.charCodeAt(first - 1) === 37 && isHexCode(text.charCodeAt(first + 1))) {
      pos = first + 2;
      continue;
    }
    // digits glued to a word ("x12", "v2", "0x0x"): never a run; the pieces after them are glued too
    if (first > 0 && !escapeEndsAt(text, first)) {
      const b = text.charCodeAt(first - 1);
      if (isAlnumCode(b) || b === 95 || (b >= 0xc0 && b <= 0x24f)) {
        pos = groupEnd;
        continue;
      }
    }
    const after = text.charCodeAt(groupEnd);
    const after1 = text.charCodeAt(groupEnd + 1);
    const lone =
      (!isSepCode(after) ||
        !(isDigitCode(after1) || after1 === 40 || after1 === 120 || after1 === 101 || after1 === 35)) &&
      after !== 40 &&
      after !== 41 &&
      after !== 120 &&
      after !== 88 &&
      after !== 35 &&
      after !== 101 &&
      after !== 69;
    if (lone && (first === pos || text.charCodeAt(first - 1) !== 40)) {
      pos = groupEnd;
      const plusBefore = first > 0 && text.charCodeAt(first - 1) === 43;
      if (plusBefore ? groupEnd - first < 8 : gluedBefore(text, first)) continue;
      if (groupEnd - first > MAX_RUN_CHARS) continue;
      if (groupEnd - first < MIN_ID_DIGITS && !shortRunReadable(text, first, groupEnd)) continue;
      const start = plusBefore ? first - 1 : first;
      runs.push({
        start,
        end: groupEnd,
        digits: text.slice(first, groupEnd),
        groups: [groupEnd - first],
        ends: [groupEnd],
        seps: NO_SEPS,
        plus: plusBefore,
        parens: NO_PARENS,
        extEnd: undefined,
      });
      continue;
    }
    let p = first;
    let start = p;
    let plus = false;
    if (p > pos && text.charCodeAt(p - 1) === 40 /* ( */) {
      // a leading "(123)" group, if it closes within six digits
      let q = p;
      while (q < n && isDigitCode(text.charCodeAt(q)) && q - p < 6) q++;
      if (text.charCodeAt(q) === 41) {
        start = p - 1;
        p = start;
      }
    }
    if (start > pos && text.charCodeAt(start - 1) === 43 /* + */) {
      start--;
      plus = true;
    }
    let count = 0;
    let overlong = false;
    let end = p;
    let sep = '';
    for (;;) {
      // one group at p: "(123)" or "123"
      let q = p;
      let paren = false;
      if (text.charCodeAt(q) === 40) {
        q++;
        const ds = q;
        while (q < n && isDigitCode(text.charCodeAt(q)) && q - ds < 6) q++;
        // not a parenthesised group: the run ends before the '('
        if (q === ds || text.charCodeAt(q) !== 41 /* ) */) break;
        q++;
        paren = true;
      } else {
        q = skipDigits(text, q);
      }
      gStart[count] = p;
      gEnd[count] = q;
      gParen[count] = paren;
      gSep[count] = sep;
      count++;
      end = q;
      if (count > MAX_RUN_GROUPS || q - start > MAX_RUN_CHARS) {
        overlong = true;
        break;
      }
      // separator
      const c = text.charCodeAt(q);
      const c1 = text.charCodeAt(q + 1);
      if (paren && isDigitCode(c)) {
        sep = ')';
        p = q;
        continue;
      }
      if (isSepCode(c) && (isDigitCode(c1) || (c1 === 40 && isDigitCode(text.charCodeAt(q + 2))))) {
        sep = isDashCode(c) ? '-' : String.fromCharCode(c);
        p = q + 1;
        continue;
      }
      if (c === 40 && isDigitCode(c1)) {
        sep = '(';
        p = q;
        continue;
      }
      break;
    }
    if (overlong) {
      // skip the rest of an over-long run without recording it
      let q = end;
      q = skipRun(text, q, isRunCode, NOT_RUN);
      pos = q;
      continue;
    }
    pos = Math.max(end, first + 1);
    if (end === start || gluedBefore(text, start)) continue;
    // an international number has at least eight digits: "+1" alone is nothing
    if (plus && end - start < 9) continue;
    let digitCount = 0;
    for (let i = 0; i < count; i++) digitCount += gEnd[i] - gStart[i] - (gParen[i] ? 2 : 0);
    if (digitCount < MIN_ID_DIGITS && !shortRunReadable(text, start, end)) continue;
    const groups: number[] = new Array(count);
    const ends: number[] = new Array(count);
    let parens = NO_PARENS;
    const seps = count > 1 ? gSep.slice(1, count) : NO_SEPS;
    let digits = '';
    for (let i = 0; i < count; i++) {
      const a = gParen[i] ? gStart[i] + 1 : gStart[i];
      const b = gParen[i] ? gEnd[i] - 1 : gEnd[i];
      digits += text.slice(a, b);
      groups[i] = b - a;
      ends[i] = gEnd[i];
      if (gParen[i]) {
        if (parens === NO_PARENS) parens = [];
        parens.push(i);
      }
    }
    let extEnd: number | undefined;
    const c = text.charCodeAt(end);
    // extension: "x123", " ext. 123", "#123"
    if (c === 120 || c === 88 || c === 32 || c === 101 || c === 69 || c === 35) {
      EXT_RE.lastIndex = end;
      if (EXT_RE.test(text) && !isAlnumCode(text.charCodeAt(EXT_RE.lastIndex))) extEnd = EXT_RE.lastIndex;
    }
    // same property order as the fast path above: one object shape for every run
    runs.push({ start, end, digits, groups, ends, seps, plus, parens, extEnd });
  }
  return runs;
}

/**
 * A class rather than an object of two closures: the detector runs once per decoded segment, and URL-encoded text
 * ("x%41%41%41 " repeated) has a segment every few characters, so the set-up of each call counts (under the tsx and
 * vitest loaders each closure was also renamed through defineProperty, more than the scan of a short segment).
 */
class LazyScanContext implements ScanContext {
  private tokens: Token[] | undefined;
  private runs: NumberRun[] | undefined;
  constructor(readonly text: string) {}
  digitTokens(): Token[] {
    this.tokens ??= scanDigitTokens(this.text);
    return this.tokens;
  }
  numberRuns(): NumberRun[] {
    this.runs ??= scanNumberRuns(this.text);
    return this.runs;
  }
}

export function createScanContext(text: string): ScanContext {
  return new LazyScanContext(text);
}

/** A number-like span may not touch a word character, nor continue as a decimal/dotted/dashed number. */
export function numericBoundaryOk(text: string, start: number, end: number): boolean {
  const b = text.charCodeAt(start - 1);
  if (start > 0 && !escapeEndsAt(text, start)) {
    if (isAlnumCode(b) || b === 95 || (b >= 0xc0 && b <= 0x24f)) return false;
    // "1.2345…", "12-3456…", "x/123…": the run is a fragment of something longer
    if ((b === 46 || isDashCode(b) || b === 47 || b === 44 || b === 58) && isDigitCode(text.charCodeAt(start - 2)))
      return false;
  }
  const a = text.charCodeAt(end);
  if (end < text.length) {
    if (isAlnumCode(a) || a === 95 || (a >= 0xc0 && a <= 0x24f)) return false;
    if ((a === 46 || isDashCode(a) || a === 47 || a === 44) && isDigitCode(text.charCodeAt(end + 1))) return false;
  }
  return true;
}

/** Digits of the first `j` groups of a run. */
export function prefixDigits(run: NumberRun, j: number): string {
  let len = 0;
  for (let i = 0; i < j; i++) len += run.groups[i];
  return run.digits.slice(0, len);
}

/** Are the separators between the first `j` groups all equal (and which one)? null when they differ. */
export function uniformSep(run: NumberRun, j: number): string | null {
  if (j <= 1) return '';
  const s = run.seps[0];
  for (let i = 1; i < j - 1; i++) if (run.seps[i] !== s) return null;
  return s;
}

/** The group lengths of a run as a compact key, e.g. "3-3-4". */
export function groupKey(run: NumberRun, j = run.groups.length): string {
  return run.groups.slice(0, j).join('-');
}
