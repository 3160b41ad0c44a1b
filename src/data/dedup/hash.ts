/**
 * Small, fast, non-cryptographic 32-bit hash primitives for deduplication (murmur3 / xxhash32 style
 * steps on `Math.imul`). Everything here is pure integer arithmetic: the same input gives the same
 * output in every process, thread and platform.
 */

/** Rotate a 32-bit value left by `r` bits. */
export function rotl32(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** murmur3's finaliser: a bijection on 32 bits with full avalanche. Returns a signed 32-bit integer. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A second, independent finaliser (different constants and shifts, from the "lowbias32" family). */
export function fmix32b(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return h ^ (h >>> 16);
}

/** One murmur3 body step: fold the 32-bit block `k` into the running state `h`. */
export function murmurStep(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = rotl32(k, 15);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = rotl32(h, 13);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Stream of 32-bit values derived from a seed (splitmix32): per-permutation constants. */
export function splitmix32(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) | 0;
  };
}

/**
 * The LSH key of band `band`: a 32-bit hash of that band's `rows` signature bytes
 * (`signature[offset .. offset + rows)`). Computed from the 8-bit signature (not the full minima) so
 * that the index can rebuild its band tables from the signatures it stores when it grows.
 */
export function bandKey(band: number, signature: Uint8Array, offset: number, rows: number): number {
  let h = murmurStep(0x4c47_4442, band + 1);
  let j = 0;
  for (; j + 4 <= rows; j += 4) {
    const o = offset + j;
    h = murmurStep(h, signature[o] | (signature[o + 1] << 8) | (signature[o + 2] << 16) | (signature[o + 3] << 24));
  }
  if (j < rows) {
    let k = 0;
    for (let s = 0; j < rows; j++, s += 8) k |= signature[offset + j] << s;
    h = murmurStep(h, k);
  }
  return fmix32(h ^ rows) >>> 0;
}
