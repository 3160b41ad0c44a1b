/** Cosine similarity of two vectors of one length (NaN when either is all zeros). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let d = 0; d < a.length; d++) {
    ab += a[d] * b[d];
    aa += a[d] * a[d];
    bb += b[d] * b[d];
  }
  return ab / Math.sqrt(aa * bb);
}

/** The dense block of `width` features from index `base` on (the word-vector blocks after the signals). */
export function denseBlock(x: { index: Int32Array; value: Float32Array }, base: number, width: number): Float64Array {
  const out = new Float64Array(width);
  for (let k = 0; k < x.index.length; k++) if (x.index[k] >= base) out[x.index[k] - base] = x.value[k];
  return out;
}
