import type { MappedText } from './mapped-text.js';
import { MappedTextBuilder } from './mapped-text.js';
import { isAsciiAlnum } from './unicode.js';

/** Fewest single characters in a row before a run counts as spaced-out text (`i g n o r e`). */
const MIN_RUN = 4;
/**
 * Four single characters separated by one to three spaces or tabs, after whitespace (a run at the very
 * start of the text is checked with RUN_AT_START). Matching the whitespace itself instead of a
 * look-behind lets the regex engine skip to whitespace, about a third faster on prose.
 */
const RUN_START = /\s\S[ \t]{1,3}\S[ \t]{1,3}\S[ \t]{1,3}\S/g;
const RUN_AT_START = /\S[ \t]{1,3}\S[ \t]{1,3}\S[ \t]{1,3}\S/y;

/** Start of the first run (at a token start) at or after `from`, or -1. */
function nextRunStart(s: string, from: number): number {
  if (from === 0) {
    RUN_AT_START.lastIndex = 0;
    if (RUN_AT_START.test(s)) return 0;
  }
  // A run starting at `from` is preceded by whitespace at `from - 1`.
  RUN_START.lastIndex = from === 0 ? 0 : from - 1;
  const m = RUN_START.exec(s);
  return m ? m.index + 1 : -1;
}
/** Context kept around each run so detectors see the words that give it meaning. */
const CONTEXT = 48;

/**
 * Finds runs of single characters separated by spaces (`j o h n @ x . c o m`, `4 1 1 1 …`) and returns a
 * view holding only those runs, collapsed (one space inside a run is dropped, a wider gap becomes one
 * space), each with `context` characters around it (Infinity: the whole text). Returns null when the text has no such run, which is the
 * usual case, so the cost on ordinary prose is one linear pass.
 */
export function despace(view: MappedText, context = CONTEXT): MappedText | null {
  const s = view.text;
  const n = s.length;
  const runs: Array<[number, number]> = [];
  // A cheap, linear pre-filter (fixed repetition, bounded gaps): where could a run of four start?
  const first = nextRunStart(s, 0);
  if (first < 0) return null;
  let i = first;
  let runStart = -1;
  let runEnd = -1;
  let count = 0;
  const flush = () => {
    if (count >= MIN_RUN) runs.push([runStart, runEnd]);
    runStart = -1;
    count = 0;
  };
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 10 || c === 13) {
      flush();
      i++;
      continue;
    }
    if (c === 32 || c === 9) {
      let j = i;
      while (j < n && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
      if (j - i > 3) flush();
      i = j;
      continue;
    }
    // a token: is it one character long?
    let j = i + (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
    const single = j >= n || isGap(s.charCodeAt(j));
    // "… 1 1 1," : sentence punctuation after the last character still belongs to the run, and ends it
    const last = !single && count > 0 && isClosingPunct(s.charCodeAt(j)) && (j + 1 >= n || isGap(s.charCodeAt(j + 1)));
    if (single) {
      if (count === 0) runStart = i;
      runEnd = j;
      count++;
    } else if (last) {
      runEnd = j;
      count++;
      flush();
      j++;
    } else {
      flush();
      while (j < n && !isGap(s.charCodeAt(j))) j++;
      // outside a run, skip ahead to the next place a run could start
      const next = nextRunStart(s, j);
      if (next < 0) break;
      j = next;
    }
    i = j;
  }
  flush();
  if (runs.length === 0) return null;

  const b = new MappedTextBuilder(view, Number.isFinite(context) ? runs.length * (2 * context + 64) : n);
  let copiedTo = 0;
  for (let r = 0; r < runs.length; r++) {
    const [rs, re] = runs[r];
    const from = Math.max(copiedTo, rs - context);
    if (from > copiedTo) b.emit('\n', from, from);
    // "KEY=s k - p r o j …": a first character glued to the punctuation before it joins the run
    if (
      rs - 3 >= from &&
      s.charCodeAt(rs - 1) === 32 &&
      isAsciiAlnum(s.charCodeAt(rs - 2)) &&
      isGlue(s.charCodeAt(rs - 3))
    ) {
      b.copy(from, rs - 1);
      b.drop();
    } else {
      b.copy(from, rs);
    }
    // collapse the run
    let k = rs;
    while (k < re) {
      const c = s.charCodeAt(k);
      if (c === 32 || c === 9) {
        let j = k;
        while (j < re && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
        if (j - k > 1) b.emit(' ', k, j);
        else b.drop();
        k = j;
      } else {
        b.copy(k, k + 1);
        k++;
      }
    }
    const to = Math.min(n, re + context, r + 1 < runs.length ? runs[r + 1][0] : n);
    b.copy(re, to);
    copiedTo = to;
  }
  return b.build();
}

/** Punctuation that binds a value to its key: `=`, `:`, quotes. */
function isGlue(c: number): boolean {
  return c === 61 || c === 58 || c === 34 || c === 39;
}

function isClosingPunct(c: number): boolean {
  return c === 44 || c === 46 || c === 59 || c === 58 || c === 33 || c === 63 || c === 41 || c === 34 || c === 39;
}

function isGap(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
