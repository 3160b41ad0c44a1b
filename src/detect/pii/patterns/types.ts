import type { Match } from '../../../core/finding.js';
import { isAsciiAlnum } from '../../../core/normalize/unicode.js';

/** A candidate match before overlap resolution. */
export interface Candidate extends Match {
  /** Tie-breaker when two overlapping candidates have the same score: higher wins. */
  priority?: number;
}

/** Shared, lazily computed facts about the text, so that recognisers do not rescan it. */
export interface ScanContext {
  readonly text: string;
  /** Maximal alphanumeric tokens that contain at least one ASCII digit (at most 64 characters long). */
  digitTokens(): readonly Token[];
  /** Runs of digit groups joined by single separators (phone-like / card-like numbers). */
  numberRuns(): readonly NumberRun[];
}

export interface Token {
  start: number;
  end: number;
}

export interface NumberRun {
  /** Span of the run, including a leading `+` or `(`. */
  start: number;
  end: number;
  /** The digits of the run (without the extension). */
  digits: string;
  /** Digit count of each group, in order. */
  groups: number[];
  /** Offset where each group ends (after its ')' for a parenthesised group). */
  ends: number[];
  /** The separator before each group after the first: ' ', '-', '.', '/', ')' (after a parenthesised group) or '(' ("12 (0)34"). */
  seps: string[];
  /** Starts with '+'. */
  plus: boolean;
  /** Index of the parenthesised groups, if any. */
  parens: number[];
  /** A phone extension (`x123`, `ext. 123`) directly after the run: its end offset. */
  extEnd: number | undefined;
}

/** A recogniser: one family of patterns. */
export interface Recognizer {
  /** Rule id prefix, e.g. `pii.email`. */
  readonly id: string;
  readonly entityTypes: readonly string[];
  /** Cheap check on the raw text; when it returns false the recogniser is skipped. */
  precheck?(text: string): boolean;
  find(ctx: ScanContext, out: Candidate[]): void;
}

export const CH_0 = 48;
export const CH_9 = 57;

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAlphaCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export const isAlnumCode = isAsciiAlnum;

export function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** The byte a `%XX` escape whose `%` is at `i` stands for (`%40` → 64), or -1 when there is no escape there. */
export function percentByteAt(text: string, i: number): number {
  if (i < 0 || text.charCodeAt(i) !== 37) return -1;
  const hi = text.charCodeAt(i + 1);
  const lo = text.charCodeAt(i + 2);
  if (!isHexCode(hi) || !isHexCode(lo)) return -1;
  const value = (c: number) => (c <= 57 ? c - 48 : (c | 32) - 87);
  return value(hi) * 16 + value(lo);
}

/**
 * Whether a `%XX` escape ends just before `i`. URL-encoded text separates words with escapes (`x%20192.168.1.5`):
 * the escape's hex digits belong to it, not to the number after it, and it bounds that number like a space.
 */
export function escapeEndsAt(text: string, i: number): boolean {
  return i >= 3 && percentByteAt(text, i - 3) >= 0;
}

/** Letters beyond ASCII also count as word characters for boundary checks (e.g. `é`). */
export function isWordCode(c: number): boolean {
  return isAlnumCode(c) || c === 95 || (c >= 0xc0 && c <= 0x24f) || (c >= 0x370 && c <= 0x52f);
}

/** True when the character at `i` (may be out of range) is not a word character. */
export function boundaryAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return true;
  return !isWordCode(text.charCodeAt(i));
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : Math.round(x * 100) / 100;
}

export function allSameChar(s: string): boolean {
  for (let i = 1; i < s.length; i++) if (s.charCodeAt(i) !== s.charCodeAt(0)) return false;
  return true;
}

/**
 * End of the run of characters matching `isIn` that starts at `pos`: a few characters by hand, then the
 * regex engine (`notIn` is a global regex for one character outside the class), so long runs are skipped
 * at native speed.
 */
export function skipRun(text: string, pos: number, isIn: (c: number) => boolean, notIn: RegExp): number {
  let i = pos;
  const stop = Math.min(text.length, pos + 16);
  while (i < stop && isIn(text.charCodeAt(i))) i++;
  if (i < stop || i >= text.length) return i;
  notIn.lastIndex = i;
  return notIn.test(text) ? notIn.lastIndex - 1 : text.length;
}

export const NOT_DIGIT = /[^0-9]/g;
export const NOT_ALNUM = /[^0-9A-Za-z]/g;
export const NOT_HOST = /[^0-9A-Za-z.-]/g;

/**
 * The word that ends right before `pos`, skipping up to `gap` spaces and the characters in `skip`
 * (e.g. ':' or ','), lower-cased; letters only, at most 12. Returns the word and where it starts.
 */
export function wordBefore(text: string, pos: number, skip = '', gap = 3): { word: string; start: number } {
  let i = pos;
  const lim = Math.max(0, pos - gap);
  while (i > lim) {
    const c = text.charCodeAt(i - 1);
    if (c === 32 || c === 9 || c === 0xa0 || skip.includes(text[i - 1])) i--;
    else break;
  }
  const end = i;
  while (i > 0 && end - i < 13 && isAlphaCode(text.charCodeAt(i - 1))) i--;
  if (end - i > 12 || (i > 0 && isAlnumCode(text.charCodeAt(i - 1)) && end - i === 13)) return { word: '', start: end };
  return { word: text.slice(i, end).toLowerCase(), start: i };
}
