export { fmix32 } from '../../core/hash.js';

/** Seed of the word hash: n-gram features and word-vector lookups share it, so a word is hashed once. */
export const WORD_SEED = 0x2545f491;

/** Polynomial hash of `s[start, end)`. */
export function hashRange(s: string, start: number, end: number, seed = 0): number {
  let h = seed | 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Combines two hashes (order matters): word bigrams and group seeds. */
export function combine(a: number, b: number): number {
  return (Math.imul(a ^ 0x9e3779b9, 0x01000193) + b) | 0;
}
