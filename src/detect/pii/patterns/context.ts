/**
 * Context words: a word or phrase near a candidate (by default within 50 characters before or after it)
 * raises or lowers its score. Matching is on the lower-cased text, on whole words: `tel` does not fire
 * inside `hotel`. A trailing `*` makes an entry a prefix (`phone*` matches `phones`, `phoneno`).
 */
import type { ScanContext } from './types.js';

export const CONTEXT_WINDOW = 50;

export interface ContextList {
  readonly whole: readonly string[];
  readonly prefixes: readonly string[];
}

export function contextList(...words: string[]): ContextList {
  const whole: string[] = [];
  const prefixes: string[] = [];
  for (const w of words) {
    const lw = w.toLowerCase();
    if (lw.endsWith('*')) prefixes.push(lw.slice(0, -1));
    else whole.push(lw);
  }
  return { whole, prefixes };
}

function isLetterCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0x24f) || (c >= 0x370 && c <= 0x52f);
}

function findWord(hay: string, word: string, prefix: boolean): boolean {
  let from = 0;
  for (;;) {
    const i = hay.indexOf(word, from);
    if (i < 0) return false;
    const before = i === 0 ? 32 : hay.charCodeAt(i - 1);
    const afterIdx = i + word.length;
    const after = afterIdx >= hay.length ? 32 : hay.charCodeAt(afterIdx);
    if (!isLetterCode(before) && (prefix || !isLetterCode(after))) return true;
    from = i + 1;
  }
}

/** Does any entry of `list` occur in `hay` (already lower-cased)? */
export function containsContext(hay: string, list: ContextList): boolean {
  for (const w of list.whole) if (findWord(hay, w, false)) return true;
  for (const w of list.prefixes) if (findWord(hay, w, true)) return true;
  return false;
}

/** The lower-cased text around [start, end): `before` and `after` windows (lower-cased slices, never the whole text). */
export function windowAround(
  ctx: ScanContext,
  start: number,
  end: number,
  before = CONTEXT_WINDOW,
  after = CONTEXT_WINDOW,
): { before: string; after: string } {
  const text = ctx.text;
  return {
    before: text.slice(Math.max(0, start - before), start).toLowerCase(),
    after: text.slice(end, Math.min(text.length, end + after)).toLowerCase(),
  };
}

/** True when a context word is within the window before or after [start, end). */
export function hasContext(
  ctx: ScanContext,
  start: number,
  end: number,
  list: ContextList,
  before = CONTEXT_WINDOW,
  after = CONTEXT_WINDOW,
): boolean {
  const w = windowAround(ctx, start, end, before, after);
  return containsContext(w.before, list) || containsContext(w.after, list);
}

function nearestIn(hay: string, list: ContextList, fromEnd: boolean): number {
  let best = Number.POSITIVE_INFINITY;
  const check = (word: string, prefix: boolean) => {
    let from = 0;
    for (;;) {
      const i = hay.indexOf(word, from);
      if (i < 0) return;
      from = i + 1;
      const before = i === 0 ? 32 : hay.charCodeAt(i - 1);
      const after = i + word.length >= hay.length ? 32 : hay.charCodeAt(i + word.length);
      if (isLetterCode(before) || (!prefix && isLetterCode(after))) continue;
      const d = fromEnd ? hay.length - (i + word.length) : i;
      if (d < best) best = d;
    }
  };
  for (const w of list.whole) check(w, false);
  for (const w of list.prefixes) check(w, true);
  return best;
}

/** Characters between [start, end) and the nearest context word (Infinity when none is in the window). */
export function contextDistance(
  ctx: ScanContext,
  start: number,
  end: number,
  list: ContextList,
  before = CONTEXT_WINDOW,
  after = CONTEXT_WINDOW,
): number {
  const w = windowAround(ctx, start, end, before, after);
  return Math.min(nearestIn(w.before, list, true), nearestIn(w.after, list, false));
}
