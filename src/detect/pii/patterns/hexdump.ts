/**
 * Hexdump lines (`xxd`, `hexdump`, `hexdump -C`, `od -x`): their offset and byte columns are hex digits in groups that
 * read as phone or card numbers.
 */

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

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
    while (i < n && isHexDigit(text.charCodeAt(i))) i++;
    let end = -1;
    if (i - start >= 6 && i - start <= 16 && text.charCodeAt(start) === 48 && text.charCodeAt(start + 1) === 48) {
      if (text.charCodeAt(i) === 58) i++; // xxd's "00000010:"
      let width = 0;
      while (i < n) {
        let k = i;
        while (k < n && k - i < 3 && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
        if (k === i) break;
        let t = k;
        while (t < n && isHexDigit(text.charCodeAt(t))) t++;
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

/** Whether `at` lies in [start, end) of one of `stretches` (start, end pairs in order). Binary search. */
export function startsInside(stretches: number[], at: number): boolean {
  let lo = 0;
  let hi = stretches.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (stretches[2 * mid] > at) hi = mid - 1;
    else if (stretches[2 * mid + 1] <= at) lo = mid + 1;
    else return true;
  }
  return false;
}
