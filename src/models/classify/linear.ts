import type { SparseVector } from './features.js';

/**
 * A multi-head linear model over one sparse feature space. Head 0 is the task's main label; further
 * heads are categories (hazard codes, toxicity kinds, partial refusal). Weights are head-major.
 */
export class LinearModel {
  constructor(
    readonly dim: number,
    readonly heads: number,
    readonly weights: Float32Array,
    readonly bias: Float32Array,
  ) {
    if (weights.length !== dim * heads)
      throw new Error(`weights: expected ${dim * heads} values, got ${weights.length}`);
  }

  static zeros(dim: number, heads: number): LinearModel {
    return new LinearModel(dim, heads, new Float32Array(dim * heads), new Float32Array(heads));
  }

  /** Raw logit of one head. */
  logit(x: SparseVector, head = 0): number {
    const w = this.weights;
    const off = head * this.dim;
    let z = this.bias[head];
    const { index, value } = x;
    for (let k = 0; k < index.length; k++) z += w[off + index[k]] * value[k];
    return z;
  }

  logits(x: SparseVector): Float64Array {
    const out = new Float64Array(this.heads);
    for (let h = 0; h < this.heads; h++) out[h] = this.logit(x, h);
    return out;
  }
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Platt scaling: P(y=1) = sigmoid(a·z + b). */
export interface Calibration {
  a: number;
  b: number;
}

export function calibrated(z: number, c: Calibration): number {
  return sigmoid(c.a * z + c.b);
}
