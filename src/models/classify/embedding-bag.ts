import { mulberry32 } from '../../core/random.js';
import type { SparseVector } from './features.js';

import { adagrad, balanceWeights, type Example, headGradients, highestWindow, shuffle } from './train.js';

/**
 * A fastText-style model over the same sparse features as {@link LinearModel}: every hashed n-gram slot
 * owns a learned embedding of `dim` values; a text is the weighted sum of its slots' embeddings (the
 * feature values are already sub-linear and L2-normalised, so this is a bag-of-embeddings average), next
 * to the dense structural signals. A small ReLU layer reads that vector, and every head is a sigmoid of
 * the hidden layer plus a linear skip from the input:
 *
 *   u = [Σ v·E[slot] ; signals],  a = relu(W1·u + b1),  z = W2·a + U·u + b2
 *
 * With `hidden` 0 the model is the linear fastText classifier `z = U·u + b2`.
 *
 * The shipped form keeps the embeddings as int8 with one float32 scale per row (`weights.bin`, with the
 * dense layers after them as float32). Scores are computed from exactly those numbers, so a model read
 * from disk scores what training measured.
 */
/** The layers after the input vector: a ReLU hidden layer, then each head with a skip connection to the input. */
interface LayerWeights {
  inputs: number;
  hidden: number;
  heads: number;
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
  skip: Float32Array;
}

/** Logits of every head into `out` from input `u` (hidden activations into `a`, pre-activations into `pre`). */
function layers(p: LayerWeights, u: Float64Array, a: Float64Array, out: Float64Array, pre?: Float64Array): void {
  const { inputs: M, hidden: H, heads: K, w1, b1, w2, b2, skip } = p;
  for (let j = 0; j < H; j++) {
    let s = b1[j];
    const off = j * M;
    for (let m = 0; m < M; m++) s += w1[off + m] * u[m];
    if (pre) pre[j] = s;
    a[j] = Math.max(s, 0);
  }
  for (let h = 0; h < K; h++) {
    let s = b2[h];
    const o2 = h * H;
    for (let j = 0; j < H; j++) s += w2[o2 + j] * a[j];
    const os = h * M;
    for (let m = 0; m < M; m++) s += skip[os + m] * u[m];
    out[h] = s;
  }
}

export class EmbeddingBagModel {
  /** Input width: embedding plus dense block. */
  readonly inputs: number;
  readonly #u: Float64Array;
  readonly #a: Float64Array;
  readonly #z: Float64Array;

  constructor(
    /** Hashed slots (2^bits): the embedding rows. */
    readonly buckets: number,
    readonly dim: number,
    /** Dense (non-hashed) features after the hashed block: the structural signals. */
    readonly dense: number,
    readonly hidden: number,
    readonly heads: number,
    /** Embeddings, int8, row-major (`buckets × dim`). */
    readonly q: Int8Array,
    /** Per row: dequantisation scale. */
    readonly rowScale: Float32Array,
    /** `hidden × inputs`. */
    readonly w1: Float32Array,
    readonly b1: Float32Array,
    /** `heads × hidden`. */
    readonly w2: Float32Array,
    readonly b2: Float32Array,
    /** `heads × inputs`: linear skip from the input to each head. */
    readonly skip: Float32Array,
  ) {
    this.inputs = dim + dense;
    const M = this.inputs;
    const expect: [string, number, number][] = [
      ['embeddings', q.length, buckets * dim],
      ['row scales', rowScale.length, buckets],
      ['w1', w1.length, hidden * M],
      ['b1', b1.length, hidden],
      ['w2', w2.length, heads * hidden],
      ['b2', b2.length, heads],
      ['skip', skip.length, heads * M],
    ];
    for (const [name, got, want] of expect) {
      if (got !== want) throw new Error(`${name}: expected ${want} values, got ${got}`);
    }
    this.#u = new Float64Array(M);
    this.#a = new Float64Array(hidden);
    this.#z = new Float64Array(heads);
  }

  /** The input vector `u` of a text (embedding sum, then the dense features). */
  input(x: SparseVector, u: Float64Array = new Float64Array(this.inputs)): Float64Array {
    const { buckets, dim, q, rowScale } = this;
    u.fill(0);
    const { index, value } = x;
    for (let k = 0; k < index.length; k++) {
      const i = index[k];
      if (i < buckets) {
        const c = value[k] * rowScale[i];
        if (c === 0) continue;
        const base = i * dim;
        for (let d = 0; d < dim; d++) u[d] += c * q[base + d];
      } else {
        const j = i - buckets;
        if (j < this.dense) u[dim + j] += value[k];
      }
    }
    return u;
  }

  /** Every head's logit. */
  logits(x: SparseVector, out: Float64Array = new Float64Array(this.heads)): Float64Array {
    const u = this.input(x, this.#u);
    layers(this, u, this.#a, out);
    return out;
  }

  /** Raw logit of one head. */
  logit(x: SparseVector, head = 0): number {
    return this.logits(x, this.#z)[head];
  }

  /** `weights.bin`: int8 embeddings, then little-endian float32 row scales, w1, b1, w2, b2, skip. */
  toBytes(): Uint8Array {
    const floats = [this.rowScale, this.w1, this.b1, this.w2, this.b2, this.skip];
    const nFloats = floats.reduce((n, f) => n + f.length, 0);
    const out = new Uint8Array(this.q.length + 4 * nFloats);
    out.set(new Uint8Array(this.q.buffer, this.q.byteOffset, this.q.length), 0);
    const view = new DataView(out.buffer);
    let at = this.q.length;
    for (const f of floats) {
      for (let i = 0; i < f.length; i++, at += 4) view.setFloat32(at, f[i], true);
    }
    return out;
  }

  static byteLength(buckets: number, dim: number, dense: number, hidden: number, heads: number): number {
    const M = dim + dense;
    return buckets * dim + 4 * (buckets + hidden * M + hidden + heads * hidden + heads + heads * M);
  }

  static fromBytes(
    bytes: Uint8Array,
    shape: { buckets: number; dim: number; dense: number; hidden: number; heads: number },
  ): EmbeddingBagModel {
    const { buckets, dim, dense, hidden, heads } = shape;
    const want = EmbeddingBagModel.byteLength(buckets, dim, dense, hidden, heads);
    if (bytes.length !== want) throw new Error(`weights.bin: expected ${want} bytes, got ${bytes.length}`);
    const q = new Int8Array(buckets * dim);
    q.set(new Int8Array(bytes.buffer, bytes.byteOffset, buckets * dim));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    let at = buckets * dim;
    const take = (n: number): Float32Array => {
      const f = new Float32Array(n);
      for (let i = 0; i < n; i++, at += 4) f[i] = view.getFloat32(at, true);
      return f;
    };
    const M = dim + dense;
    const rowScale = take(buckets);
    const w1 = take(hidden * M);
    const b1 = take(hidden);
    const w2 = take(heads * hidden);
    const b2 = take(heads);
    const skip = take(heads * M);
    return new EmbeddingBagModel(buckets, dim, dense, hidden, heads, q, rowScale, w1, b1, w2, b2, skip);
  }
}

export interface EmbeddingBagOptions {
  dim: number;
  hidden: number;
  epochs: number;
  /** AdaGrad base learning rate of the dense layers. */
  learningRate: number;
  /** AdaGrad base learning rate of the embeddings (default: `learningRate`). */
  embeddingRate?: number;
  /** L2 penalty per update on the weights an example touches. */
  l2: number;
  seed: number;
  balance: boolean;
  /** Share of a text's hashed features dropped at random in each training step (0: none). */
  dropout?: number;
}

/**
 * Trains an {@link EmbeddingBagModel} by AdaGrad with a fixed-seed shuffle and initialisation: the same
 * examples and options give the same bytes. Embeddings start at 0 (a slot no text touched stays 0, so an
 * unseen n-gram adds nothing at inference); the hidden layer starts random. Windows of a long positive
 * (`bag`) train on the window head 0 currently scores highest, as inference takes the worst window.
 */
export function trainEmbeddingBag(
  examples: readonly Example[],
  buckets: number,
  dense: number,
  heads: number,
  options: EmbeddingBagOptions,
): EmbeddingBagModel {
  const { dim: D, hidden: H, l2 } = options;
  const K = heads;
  const M = D + dense;
  const lr = options.learningRate;
  const lrE = options.embeddingRate ?? lr;
  const dropout = options.dropout ?? 0;
  const rand = mulberry32(options.seed);
  const E = new Float32Array(buckets * D);
  const GE = new Float32Array(buckets * D);
  const w1 = new Float32Array(H * M);
  const b1 = new Float32Array(H);
  const w2 = new Float32Array(K * H);
  const b2 = new Float32Array(K);
  const skip = new Float32Array(K * M);
  const g1 = new Float32Array(H * M);
  const gb1 = new Float32Array(H);
  const g2 = new Float32Array(K * H);
  const gb2 = new Float32Array(K);
  const gs = new Float32Array(K * M);
  const r1 = Math.sqrt(6 / (M + H));
  for (let i = 0; i < w1.length; i++) w1[i] = (2 * rand() - 1) * r1;
  const r2 = Math.sqrt(6 / (H + K));
  for (let i = 0; i < w2.length; i++) w2[i] = (2 * rand() - 1) * r2;

  const net: LayerWeights = { inputs: M, hidden: H, heads: K, w1, b1, w2, b2, skip };
  const classWeight = balanceWeights(examples, heads, options.balance);
  const order = Array.from(examples.keys());
  const u = new Float64Array(M);
  const pre = new Float64Array(H);
  const a = new Float64Array(H);
  const z = new Float64Array(K);
  const g = new Float64Array(K);
  const da = new Float64Array(H);
  const du = new Float64Array(M);
  let keep = new Uint8Array(1024);

  /** Forward pass of the float model; `mask` drops hashed features where it is 0. */
  const forward = (x: SparseVector, mask: Uint8Array | null): void => {
    u.fill(0);
    const { index, value } = x;
    for (let k = 0; k < index.length; k++) {
      const i = index[k];
      if (i < buckets) {
        if (mask && mask[k] === 0) continue;
        const v = value[k];
        const base = i * D;
        for (let d = 0; d < D; d++) u[d] += v * E[base + d];
      } else if (i - buckets < dense) u[D + i - buckets] += value[k];
    }
    layers(net, u, a, z, pre);
  };

  const step = (w: Float32Array, acc: Float32Array, i: number, grad: number, rate: number): void =>
    adagrad(w, acc, i, grad, rate, l2);

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, rand);
    for (const e of order) {
      const ex = examples[e];
      const x = ex.bag
        ? highestWindow(ex.bag, (w) => {
            forward(w, null);
            return z[0];
          })
        : ex.x;
      let mask: Uint8Array | null = null;
      if (dropout > 0) {
        if (keep.length < x.index.length) keep = new Uint8Array(x.index.length * 2);
        for (let k = 0; k < x.index.length; k++) keep[k] = rand() < dropout ? 0 : 1;
        mask = keep;
      }
      forward(x, mask);
      if (!headGradients(z, ex, classWeight, g)) continue;
      // Backward: hidden activations and input, with the weights before this step's update.
      for (let j = 0; j < H; j++) {
        let s = 0;
        for (let h = 0; h < K; h++) s += g[h] * w2[h * H + j];
        da[j] = pre[j] > 0 ? s : 0;
      }
      du.fill(0);
      for (let j = 0; j < H; j++) {
        const dj = da[j];
        if (dj === 0) continue;
        const off = j * M;
        for (let m = 0; m < D; m++) du[m] += dj * w1[off + m];
      }
      for (let h = 0; h < K; h++) {
        const gh = g[h];
        if (gh === 0) continue;
        const os = h * M;
        for (let m = 0; m < D; m++) du[m] += gh * skip[os + m];
      }
      // Updates: heads, hidden layer, then the embeddings the text touched.
      for (let h = 0; h < K; h++) {
        const gh = g[h];
        if (gh === 0) continue;
        const o2 = h * H;
        for (let j = 0; j < H; j++) if (a[j] !== 0) step(w2, g2, o2 + j, gh * a[j], lr);
        const os = h * M;
        for (let m = 0; m < M; m++) if (u[m] !== 0) step(skip, gs, os + m, gh * u[m], lr);
        step(b2, gb2, h, gh, lr);
      }
      for (let j = 0; j < H; j++) {
        const dj = da[j];
        if (dj === 0) continue;
        const off = j * M;
        for (let m = 0; m < M; m++) if (u[m] !== 0) step(w1, g1, off + m, dj * u[m], lr);
        step(b1, gb1, j, dj, lr);
      }
      const { index, value } = x;
      for (let k = 0; k < index.length; k++) {
        const i = index[k];
        if (i >= buckets || (mask && mask[k] === 0)) continue;
        const v = value[k];
        const base = i * D;
        for (let d = 0; d < D; d++) step(E, GE, base + d, v * du[d], lrE);
      }
    }
  }
  return quantizeEmbeddingBag(E, buckets, D, dense, H, K, w1, b1, w2, b2, skip);
}

/** Int8 rows with a float32 scale each (a row never touched stays all 0). */
function quantizeEmbeddingBag(
  E: Float32Array,
  buckets: number,
  D: number,
  dense: number,
  H: number,
  K: number,
  w1: Float32Array,
  b1: Float32Array,
  w2: Float32Array,
  b2: Float32Array,
  skip: Float32Array,
): EmbeddingBagModel {
  const q = new Int8Array(buckets * D);
  const rowScale = new Float32Array(buckets);
  for (let r = 0; r < buckets; r++) {
    const base = r * D;
    let max = 0;
    for (let d = 0; d < D; d++) max = Math.max(max, Math.abs(E[base + d]));
    if (max === 0) continue;
    const scale = Math.fround(max / 127);
    rowScale[r] = scale;
    for (let d = 0; d < D; d++) q[base + d] = Math.max(-127, Math.min(127, Math.round(E[base + d] / scale)));
  }
  return new EmbeddingBagModel(buckets, D, dense, H, K, q, rowScale, w1, b1, w2, b2, skip);
}
