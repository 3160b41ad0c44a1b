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

  /**
   * Every head's logit in one pass. Inference reads a feature-major copy of the weights (all heads of a
   * feature side by side), so a text costs one cache line per feature instead of one per feature and
   * head: with 9 heads over 2^18 buckets that is most of the time of a call.
   */
  logits(x: SparseVector, out: Float64Array = new Float64Array(this.heads)): Float64Array {
    const H = this.heads;
    const w = this.interleaved();
    for (let h = 0; h < H; h++) out[h] = this.bias[h];
    const { index, value } = x;
    for (let k = 0; k < index.length; k++) {
      const base = index[k] * H;
      const v = value[k];
      for (let h = 0; h < H; h++) out[h] += w[base + h] * v;
    }
    return out;
  }

  #interleaved: Float32Array | undefined;

  /** Feature-major weights, built once on first use (training keeps the head-major layout). */
  interleaved(): Float32Array {
    if (this.#interleaved) return this.#interleaved;
    const H = this.heads;
    const t = new Float32Array(this.dim * H);
    for (let h = 0; h < H; h++) {
      const off = h * this.dim;
      for (let j = 0; j < this.dim; j++) t[j * H + h] = this.weights[off + j];
    }
    this.#interleaved = t;
    return t;
  }
}

/**
 * Inference weights of a model read from int8 storage (`weights.bin`): the hashed block kept as int8,
 * feature-major (a feature's heads side by side, one byte each), with the per-head scales; signal
 * weights stay float. A text's features then touch a quarter of the memory the float32 copy does, and
 * `Math.fround(q · scale)` is exactly the float32 weight `dequantize` made, so the logits are the same
 * numbers, summed in the same order.
 */
export class QuantizedHeads {
  /** The float block above the hashed one (signals, word vectors), feature-major like `q`. */
  readonly dense: Float32Array;

  private constructor(
    readonly model: LinearModel,
    readonly hashed: number,
    readonly q: Int8Array,
    readonly scales: Float64Array,
  ) {
    const H = model.heads;
    const width = model.dim - hashed;
    this.dense = new Float32Array(width * H);
    for (let h = 0; h < H; h++)
      for (let j = 0; j < width; j++) this.dense[j * H + h] = model.weights[h * model.dim + hashed + j];
  }

  /** The int8 view of `model`, or undefined when its weights are not exactly int8 × scale (a model in training). */
  static of(model: LinearModel, hashed: number, scales: readonly number[]): QuantizedHeads | undefined {
    const H = model.heads;
    if (scales.length !== H || hashed > model.dim) return undefined;
    const q = new Int8Array(hashed * H);
    for (let h = 0; h < H; h++) {
      const scale = scales[h];
      if (!(scale > 0)) return undefined;
      const off = h * model.dim;
      for (let j = 0; j < hashed; j++) {
        const w = model.weights[off + j];
        const v = Math.round(w / scale);
        if (v < -127 || v > 127 || Math.fround(v * scale) !== w) return undefined;
        q[j * H + h] = v;
      }
    }
    return new QuantizedHeads(model, hashed, q, Float64Array.from(scales));
  }

  /** Every head's logit: the same values as {@link LinearModel.logits}. */
  logits(x: SparseVector, out: Float64Array = new Float64Array(this.model.heads)): Float64Array {
    const { model, hashed, q, scales, dense } = this;
    const H = model.heads;
    for (let h = 0; h < H; h++) out[h] = model.bias[h];
    const { index, value } = x;
    for (let k = 0; k < index.length; k++) {
      const i = index[k];
      const v = value[k];
      if (i < hashed) {
        const base = i * H;
        for (let h = 0; h < H; h++) out[h] += Math.fround(q[base + h] * scales[h]) * v;
      } else {
        const base = (i - hashed) * H;
        for (let h = 0; h < H; h++) out[h] += dense[base + h] * v;
      }
    }
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
