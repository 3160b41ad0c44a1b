import { mulberry32 } from '../../core/random.js';
import type { SparseVector } from './features.js';
import { type LinearModel, QuantizedHeads } from './linear.js';
import {
  adagrad,
  balanceWeights,
  type Example,
  headGradients,
  highestWindow,
  linearFromTable,
  shuffle,
  type TrainOptions,
} from './train.js';

/**
 * Logistic regression over every feature, plus a small ReLU layer over the dense block only (the
 * structural signals and the pooled word vectors), shared by the heads:
 *
 *   z = U·x + b  +  W2 · relu(W1·d + b1)        d = the features after the hashed block
 *
 * The hashed n-grams stay linear: a hidden layer over them memorises each source's phrasing (the
 * embedding-bag experiment). Over the dense block it can read interactions a linear model cannot — a
 * hazard word *and* a defusing context, a region of word-vector space rather than a direction — from
 * features that carry over to sources we do not have.
 *
 * The linear part is stored as the linear model is (int8 hashed block, exact dense weights); the layer's
 * weights follow in `weights.bin` as little-endian float32, and scores are computed from exactly those.
 */
export class WideDeepModel {
  readonly heads: number;
  /** Width of the dense block (`dim − hashed`). */
  readonly inputs: number;
  readonly #pre: Float64Array;
  readonly #z: Float64Array;
  #quantized: QuantizedHeads | null | undefined;

  constructor(
    readonly linear: LinearModel,
    /** Hashed slots (2^bits); features at and after this index are the dense block. */
    readonly hashed: number,
    readonly hidden: number,
    /** `inputs × hidden`, input-major: a dense feature's hidden weights side by side. */
    readonly w1: Float32Array,
    readonly b1: Float32Array,
    /** `heads × hidden`. */
    readonly w2: Float32Array,
    /** Per head: the int8 scale of the hashed block, when `linear` holds exactly int8 × scale. */
    readonly scales: readonly number[] = [],
  ) {
    this.heads = linear.heads;
    this.inputs = linear.dim - hashed;
    const expect: [string, number, number][] = [
      ['w1', w1.length, this.inputs * hidden],
      ['b1', b1.length, hidden],
      ['w2', w2.length, this.heads * hidden],
    ];
    for (const [name, got, want] of expect) {
      if (got !== want) throw new Error(`${name}: expected ${want} values, got ${got}`);
    }
    this.#pre = new Float64Array(hidden);
    this.#z = new Float64Array(this.heads);
  }

  /** Every head's logit. */
  logits(x: SparseVector, out: Float64Array = new Float64Array(this.heads)): Float64Array {
    if (this.#quantized === undefined)
      this.#quantized = QuantizedHeads.of(this.linear, this.hashed, this.scales) ?? null;
    if (this.#quantized) this.#quantized.logits(x, out);
    else this.linear.logits(x, out);
    deepForward(x, this.hashed, this.hidden, this.w1, this.b1, this.#pre);
    addDeep(this.#pre, this.w2, this.heads, this.hidden, out);
    return out;
  }

  /** Raw logit of one head. */
  logit(x: SparseVector, head = 0): number {
    return this.logits(x, this.#z)[head];
  }

  /** The layer's weights as stored after the linear model's bytes: little-endian float32 w1, b1, w2. */
  layerBytes(): Uint8Array {
    const parts = [this.w1, this.b1, this.w2];
    const out = new Uint8Array(4 * parts.reduce((n, p) => n + p.length, 0));
    const view = new DataView(out.buffer);
    let at = 0;
    for (const p of parts) for (let i = 0; i < p.length; i++, at += 4) view.setFloat32(at, p[i], true);
    return out;
  }

  /** Reads the layer stored by {@link layerBytes} around a linear model. */
  static fromLayerBytes(
    linear: LinearModel,
    hashed: number,
    hidden: number,
    bytes: Uint8Array,
    scales: readonly number[],
  ): WideDeepModel {
    const inputs = linear.dim - hashed;
    const sizes = [inputs * hidden, hidden, linear.heads * hidden];
    const want = 4 * sizes.reduce((a, b) => a + b, 0);
    if (bytes.length !== want) throw new Error(`layer weights: expected ${want} bytes, got ${bytes.length}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    let at = 0;
    const [w1, b1, w2] = sizes.map((n) => {
      const f = new Float32Array(n);
      for (let i = 0; i < n; i++, at += 4) f[i] = view.getFloat32(at, true);
      return f;
    });
    return new WideDeepModel(linear, hashed, hidden, w1, b1, w2, scales);
  }
}

/** Pre-activations of the hidden layer from the dense entries of `x` (the hashed ones are skipped). */
function deepForward(
  x: SparseVector,
  hashed: number,
  hidden: number,
  w1: Float32Array,
  b1: Float32Array,
  pre: Float64Array,
): void {
  for (let j = 0; j < hidden; j++) pre[j] = b1[j];
  const { index, value } = x;
  for (let k = 0; k < index.length; k++) {
    const i = index[k];
    if (i < hashed) continue;
    const v = value[k];
    const base = (i - hashed) * hidden;
    for (let j = 0; j < hidden; j++) pre[j] += w1[base + j] * v;
  }
}

/** Adds `W2 · relu(pre)` to every head's logit. */
function addDeep(pre: Float64Array, w2: Float32Array, heads: number, hidden: number, out: Float64Array): void {
  for (let h = 0; h < heads; h++) {
    let s = 0;
    const off = h * hidden;
    for (let j = 0; j < hidden; j++) if (pre[j] > 0) s += w2[off + j] * pre[j];
    out[h] += s;
  }
}

export interface WideDeepOptions extends TrainOptions {
  hidden: number;
  /** AdaGrad base rate of the layer (default: `learningRate`). */
  layerRate?: number;
  /** L2 penalty on the layer's weights per update. */
  layerL2?: number;
}

/**
 * Trains the linear part and the layer together: logistic loss per head, AdaGrad, the fixed-seed shuffle
 * of {@link trainLinear}, multiple-instance bags scored by the whole model. Deterministic: the same data
 * and seed give the same weights bit for bit.
 */
export function trainWideDeep(
  examples: readonly Example[],
  dim: number,
  hashed: number,
  heads: number,
  options: WideDeepOptions,
): WideDeepModel {
  const H = options.hidden;
  const M = dim - hashed;
  const stride = 2 * heads;
  const table = new Float32Array(dim * stride);
  const bias = new Float32Array(heads);
  const gBias = new Float32Array(heads);
  const rand = mulberry32(options.seed);
  const init = mulberry32(options.seed ^ 0x5eed);
  const w1 = new Float32Array(M * H);
  const s1 = Math.sqrt(6 / (M + H));
  for (let i = 0; i < w1.length; i++) w1[i] = (2 * init() - 1) * s1;
  const b1 = new Float32Array(H);
  // The layer starts silent (W2 = 0): it adds to the logits only what its gradient earns.
  const w2 = new Float32Array(heads * H);
  const g1 = new Float32Array(M * H);
  const gb1 = new Float32Array(H);
  const g2 = new Float32Array(heads * H);
  const classWeight = balanceWeights(examples, heads, options.balance);
  const order = Array.from(examples.keys());
  const { learningRate: lr, l2 } = options;
  const lrL = options.layerRate ?? lr;
  const l2L = options.layerL2 ?? l2;
  const z = new Float64Array(heads);
  const g = new Float64Array(heads);
  const pre = new Float64Array(H);
  const gPre = new Float64Array(H);

  /** Full forward pass of `x` into `z` (and the layer's pre-activations into `pre`). */
  const forward = (x: SparseVector): void => {
    for (let h = 0; h < heads; h++) z[h] = bias[h];
    const { index, value } = x;
    for (let k = 0; k < index.length; k++) {
      const base = index[k] * stride;
      const v = value[k];
      for (let h = 0; h < heads; h++) z[h] += table[base + 2 * h] * v;
    }
    deepForward(x, hashed, H, w1, b1, pre);
    addDeep(pre, w2, heads, H, z);
  };

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, rand);
    for (const e of order) {
      const ex = examples[e];
      const x = ex.bag
        ? highestWindow(ex.bag, (w) => {
            forward(w);
            return z[0];
          })
        : ex.x;
      forward(x);
      if (!headGradients(z, ex, classWeight, g)) continue;
      const { index, value } = x;
      // Layer gradients first (they read the weights of this forward pass).
      for (let j = 0; j < H; j++) {
        if (pre[j] <= 0) {
          gPre[j] = 0;
          continue;
        }
        let s = 0;
        for (let h = 0; h < heads; h++) s += g[h] * w2[h * H + j];
        gPre[j] = s;
      }
      for (let h = 0; h < heads; h++) {
        const gh = g[h];
        if (gh === 0) continue;
        const off = h * H;
        for (let j = 0; j < H; j++) {
          if (pre[j] <= 0) continue;
          adagrad(w2, g2, off + j, gh * pre[j], lrL, l2L);
        }
      }
      for (let k = 0; k < index.length; k++) {
        const i = index[k];
        if (i < hashed) continue;
        const v = value[k];
        const base = (i - hashed) * H;
        for (let j = 0; j < H; j++) {
          const gp = gPre[j];
          if (gp === 0) continue;
          adagrad(w1, g1, base + j, gp * v, lrL, l2L);
        }
      }
      for (let j = 0; j < H; j++) {
        const gp = gPre[j];
        if (gp === 0) continue;
        adagrad(b1, gb1, j, gp, lrL, 0);
      }
      // The linear part, as trainLinear updates it.
      for (let k = 0; k < index.length; k++) {
        const base = index[k] * stride;
        const v = value[k];
        for (let h = 0; h < heads; h++) {
          if (Number.isNaN(ex.y[h])) continue;
          const gh = g[h];
          const w = base + 2 * h;
          const grad = gh * v + l2 * table[w];
          table[w + 1] += grad * grad;
          table[w] -= (lr * grad) / Math.sqrt(table[w + 1] + 1e-8);
        }
      }
      for (let h = 0; h < heads; h++) {
        if (Number.isNaN(ex.y[h])) continue;
        adagrad(bias, gBias, h, g[h], lr, 0);
      }
    }
  }
  return new WideDeepModel(linearFromTable(table, dim, heads, bias), hashed, H, w1, b1, w2);
}
