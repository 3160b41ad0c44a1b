/**
 * 32-bit hashing for the poisoning passes. Keys are plain numbers (unsigned 32-bit) so they fit typed
 * arrays and cross worker boundaries cheaply. 0 is reserved for "no key": every hash here is non-zero.
 */

import { fmix32 } from '../../core/hash.js';

export { fmix32 };

/** FNV-1a over UTF-16 units, finalised with `fmix32`; never 0. */
export function hashString(s: string, seed = 0): number {
  // `| 0`, not `>>> 0`: an int32 start keeps the loop in integer registers (a uint32 above 2^31 is a
  // double, and V8 then carries `h` as one through the loop); every step below reads it as int32 anyway.
  let h = (0x811c9dc5 ^ seed) | 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return nonZero(fmix32(h ^ s.length));
}

/** One step of an order-sensitive hash of a sequence of 32-bit values. */
export function hashStep(h: number, x: number): number {
  h = Math.imul((h << 5) | (h >>> 27), 0x9e3779b1) ^ x;
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
}

export function nonZero(h: number): number {
  return h === 0 ? 1 : h;
}

/** A uniform value in [0, 2^32) for deterministic sampling of (prompt, target) pairs. */
export function sampleHash(promptKey: number, targetKey: number): number {
  return fmix32(promptKey ^ Math.imul(targetKey, 0x9e3779b1) ^ 0x5bd1e995);
}

/** A–Z lower-cased, other ASCII as it is: a table instead of a branch per character. */
const ASCII_LOWER = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = c >= 65 && c <= 90 ? c + 32 : c;
  return t;
})();

/**
 * `hashString(normalizeKey(s), seed)` without building the normalised string when `s` is ASCII:
 * lower-cased, whitespace runs as one space, trimmed. Falls back to `normalized(s)` otherwise.
 */
export function hashKey(s: string, seed: number, normalized: (s: string) => string): number {
  let h = (0x811c9dc5 ^ seed) | 0; // int32, as in hashString
  let len = 0;
  let space = false;
  const n = s.length;
  let i = 0;
  while (i < n) {
    let c = s.charCodeAt(i);
    if (c > 32 && c < 128) {
      // The common case first: a run of printable ASCII characters (the same steps as below, fewer tests).
      if (space) {
        h = Math.imul(h ^ 32, 0x01000193);
        len++;
        space = false;
      }
      const start = i;
      for (;;) {
        h = Math.imul(h ^ (ASCII_LOWER[c] as number), 0x01000193);
        if (++i >= n) break;
        c = s.charCodeAt(i);
        if (c <= 32 || c >= 128) break;
      }
      len += i - start;
      continue;
    }
    i++;
    if (c >= 128) return hashString(normalized(s), seed);
    if (c === 32 || (c >= 9 && c <= 13)) {
      space = len > 0;
      continue;
    }
    if (space) {
      h ^= 32;
      h = Math.imul(h, 0x01000193);
      len++;
      space = false;
    }
    if (c >= 65 && c <= 90) c += 32;
    h ^= c;
    h = Math.imul(h, 0x01000193);
    len++;
  }
  return nonZero(fmix32(h ^ len));
}
