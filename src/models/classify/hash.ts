/** 32-bit finaliser of MurmurHash3: spreads polynomial hashes over all bits before bucketing. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

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
