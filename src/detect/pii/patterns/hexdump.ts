/**
 * Hex bytes written out, which read as phone or card numbers: hexdump lines (`xxd`, `hexdump`, `hexdump -C`,
 * `od -x`: their offset and byte columns; `dumpLines`) and runs of spaced two-digit bytes (`byteStretches`), with
 * one search over the stretches either finds (`startsInside`, `spanInside`).
 */

import { isHexCode } from './types.js';

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * The offset and byte columns (start, end pairs, in order) of hexdump lines, as `xxd`, `hexdump`, `hexdump -C` and
 * `od -x` print them: at the start of a line an offset of 6-16 hex digits that opens with `00` (no phone does: `00`
 * is followed by a country code, a trunk 0 by an area code), an optional `:`, then tokens of two or four hex digits
 * (one width per line; the last may be shorter). `00000010: 3132 3334 3536` and `0000000 3231 3433` read as phone
 * numbers, the offset with the groups after it or the groups alone. The text column after the bytes is left to the
 * detectors. One pass.
 */
export function dumpLines(text: string): number[] {
  const out: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    // i is at the start of a line
    while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const start = i;
    while (i < n && isHexCode(text.charCodeAt(i))) i++;
    let end = -1;
    if (i - start >= 6 && i - start <= 16 && text.charCodeAt(start) === 48 && text.charCodeAt(start + 1) === 48) {
      if (text.charCodeAt(i) === 58) i++; // xxd's "00000010:"
      let width = 0;
      while (i < n) {
        let k = i;
        while (k < n && k - i < 3 && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
        if (k === i) break;
        let t = k;
        while (t < n && isHexCode(text.charCodeAt(t))) t++;
        const len = t - k;
        if (t < n && !isSpace(text.charCodeAt(t))) break; // a word, not a byte token
        if (width === 0 && (len === 2 || len === 4)) width = len;
        else if (len === 0 || len % 2 !== 0 || len > width) break;
        end = t;
        i = t;
        if (len < width) break; // a short last group ends the bytes
      }
    }
    if (end > 0) out.push(start, end);
    while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    i++;
  }
  return out;
}

/** Index of the last of `stretches` (start, end pairs in order) that starts at or before `at`, or -1. Binary search. */
function lastStartingBy(stretches: number[], at: number): number {
  let lo = 0;
  let hi = stretches.length / 2 - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (stretches[2 * mid] <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Whether `at` lies in [start, end) of one of `stretches` (start, end pairs in order, disjoint). */
export function startsInside(stretches: number[], at: number): boolean {
  const k = lastStartingBy(stretches, at);
  return k >= 0 && stretches[2 * k + 1] > at;
}

/** Whether [from, to) lies inside one of `stretches` (start, end pairs in order, disjoint). */
export function spanInside(stretches: number[], from: number, to: number): boolean {
  const k = lastStartingBy(stretches, from);
  return k >= 0 && stretches[2 * k + 1] >= to;
}

/** Fewest two-digit hex tokens in a row that are bytes (a hex dump), not a phone: as many as 16 digits, past any phone. */
const MIN_BYTE_TOKENS = 8;

/**
 * The stretches (start, end pairs, in order) of MIN_BYTE_TOKENS or more tokens of two hex digits each, one to three
 * spaces or tabs apart on one line: hex bytes (`41 42 43 44 45 46 47 48`, `48 65 6c 6c 6f 20 31 32 33 34`), whose
 * groups of two digits read as a phone number. One pass.
 */
export function byteStretches(text: string): number[] {
  const out: number[] = [];
  const n = text.length;
  let start = -1; // the current stretch's first byte
  let count = 0;
  let end = 0; // the end of its last byte
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && !isSpace(text.charCodeAt(j))) j++;
    const byte = j - i === 2 && isHexCode(c) && isHexCode(text.charCodeAt(i + 1));
    if (byte && count > 0 && i - end <= 3) {
      count++;
      end = j;
    } else {
      if (count >= MIN_BYTE_TOKENS) out.push(start, end);
      count = byte ? 1 : 0;
      start = i;
      end = j;
    }
    // a line break ends a stretch: it is a token of its own here
    i = j;
    if (i < n && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13)) {
      if (count >= MIN_BYTE_TOKENS) out.push(start, end);
      count = 0;
      i++;
    }
  }
  if (count >= MIN_BYTE_TOKENS) out.push(start, end);
  return out;
}
