import { mulberry32 } from '../../core/random.js';
import type { SparseVector } from './features.js';
import { type Calibration, LinearModel, sigmoid } from './linear.js';

/** One training example: features, per-head targets (NaN = unknown for that head) and a weight. */
export interface Example {
  x: SparseVector;
  y: Float32Array;
  weight: number;
  /**
   * Windows of a long positive text (multiple-instance learning): each epoch the update uses the window
   * the main head currently scores highest — the one inference, which takes the worst window, will judge.
   */
  bag?: SparseVector[];
}

export interface TrainOptions {
  epochs: number;
  /** AdaGrad base learning rate. */
  learningRate: number;
  /** L2 penalty per update on the weights an example touches. */
  l2: number;
  seed: number;
  /** Re-weight each head's classes to equal total weight. */
  balance: boolean;
}

export const DEFAULT_TRAIN: TrainOptions = { epochs: 12, learningRate: 0.2, l2: 1e-5, seed: 1, balance: true };

/**
 * Logistic regression, one sigmoid per head, AdaGrad with a fixed-seed shuffle: the same data and seed
 * give the same weights bit for bit (Float32 arithmetic in a fixed order).
 *
 * Training keeps one interleaved, feature-major table (for each feature: every head's weight and squared
 * gradient side by side), so an example touches one cache line per feature instead of two per head —
 * random access into a few megabytes of weights, not arithmetic, is what bounds the speed. The updates
 * are the same, in the same order, as a head-major loop; the table is copied into the head-major
 * {@link LinearModel} at the end.
 */
export function trainLinear(
  examples: readonly Example[],
  dim: number,
  heads: number,
  options: TrainOptions,
): LinearModel {
  const stride = 2 * heads;
  const table = new Float32Array(dim * stride);
  const bias = new Float32Array(heads);
  const b2 = new Float32Array(heads);
  const classWeight = balanceWeights(examples, heads, options.balance);
  const rand = mulberry32(options.seed);
  const order = Array.from(examples.keys());
  const { learningRate: lr, l2 } = options;
  const z = new Float64Array(heads);
  const g = new Float64Array(heads);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, rand);
    for (const e of order) {
      const ex = examples[e];
      const { index, value } = ex.bag ? highestWindow(ex.bag, (x) => headZeroLogit(x, table, stride, bias[0])) : ex.x;
      const n = index.length;
      for (let h = 0; h < heads; h++) z[h] = bias[h];
      for (let k = 0; k < n; k++) {
        const base = index[k] * stride;
        const v = value[k];
        for (let h = 0; h < heads; h++) z[h] += table[base + 2 * h] * v;
      }
      let any = false;
      for (let h = 0; h < heads; h++) {
        const y = ex.y[h];
        if (Number.isNaN(y)) {
          g[h] = Number.NaN;
          continue;
        }
        g[h] = (sigmoid(z[h]) - y) * ex.weight * classWeight[h][y > 0.5 ? 1 : 0];
        any = true;
      }
      if (!any) continue;
      for (let k = 0; k < n; k++) {
        const base = index[k] * stride;
        const v = value[k];
        for (let h = 0; h < heads; h++) {
          const gh = g[h];
          if (Number.isNaN(gh)) continue;
          const w = base + 2 * h;
          const grad = gh * v + l2 * table[w];
          table[w + 1] += grad * grad;
          table[w] -= (lr * grad) / Math.sqrt(table[w + 1] + 1e-8);
        }
      }
      for (let h = 0; h < heads; h++) {
        const gh = g[h];
        if (Number.isNaN(gh)) continue;
        b2[h] += gh * gh;
        bias[h] -= (lr * gh) / Math.sqrt(b2[h] + 1e-8);
      }
    }
  }
  return linearFromTable(table, dim, heads, bias);
}

/** The head-major {@link LinearModel} of an interleaved training table (weight, squared gradient per head). */
export function linearFromTable(table: Float32Array, dim: number, heads: number, bias: Float32Array): LinearModel {
  const stride = 2 * heads;
  const model = LinearModel.zeros(dim, heads);
  for (let s = 0; s < dim; s++) {
    const base = s * stride;
    for (let h = 0; h < heads; h++) model.weights[h * dim + s] = table[base + 2 * h];
  }
  model.bias.set(bias);
  return model;
}

/** One AdaGrad step on `w[i]`, its squared gradients summed in `acc[i]`, with an L2 penalty on the weight. */
export function adagrad(w: Float32Array, acc: Float32Array, i: number, grad: number, rate: number, l2: number): void {
  const gr = grad + l2 * w[i];
  acc[i] += gr * gr;
  w[i] -= (rate * gr) / Math.sqrt(acc[i] + 1e-8);
}

/**
 * Per head, the logistic loss's gradient at logit `z[h]` for `ex`, weighted by the example and its class
 * (0 for a head whose target is unknown); whether any head has a target.
 */
export function headGradients(
  z: Float64Array,
  ex: Example,
  classWeight: readonly [number, number][],
  g: Float64Array,
): boolean {
  let any = false;
  for (let h = 0; h < g.length; h++) {
    const y = ex.y[h];
    if (Number.isNaN(y)) {
      g[h] = 0;
      continue;
    }
    g[h] = (sigmoid(z[h]) - y) * ex.weight * classWeight[h][y > 0.5 ? 1 : 0];
    any = true;
  }
  return any;
}

/** The window of a bag that `logit` (head 0 of the model in training) scores highest; the first on ties. */
export function highestWindow(bag: readonly SparseVector[], logit: (x: SparseVector) => number): SparseVector {
  let best = bag[0];
  let bestZ = Number.NEGATIVE_INFINITY;
  for (const x of bag) {
    const z = logit(x);
    if (z > bestZ) {
      bestZ = z;
      best = x;
    }
  }
  return best;
}

/** Head 0's logit of `x` in an interleaved training table. */
function headZeroLogit(x: SparseVector, table: Float32Array, stride: number, bias: number): number {
  let z = bias;
  for (let k = 0; k < x.index.length; k++) z += table[x.index[k] * stride] * x.value[k];
  return z;
}

/** Fisher–Yates in place with the given generator (training order, reproducible from the seed). */
export function shuffle(order: number[], rand: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
}

/** Per head, `[w0, w1]` so that both classes carry the same total weight (mean 1). */
export function balanceWeights(examples: readonly Example[], heads: number, balance: boolean): [number, number][] {
  const out: [number, number][] = [];
  for (let h = 0; h < heads; h++) {
    let pos = 0;
    let neg = 0;
    for (const ex of examples) {
      const y = ex.y[h];
      if (Number.isNaN(y)) continue;
      if (y > 0.5) pos += ex.weight;
      else neg += ex.weight;
    }
    if (!balance || pos === 0 || neg === 0) out.push([1, 1]);
    else out.push([(pos + neg) / (2 * neg), (pos + neg) / (2 * pos)]);
  }
  return out;
}

/**
 * Fits Platt scaling on held-out logits by Newton's method, with Platt's smoothed targets. On (nearly)
 * separable logits of large magnitude the plain Newton iteration can overshoot into a fit that inverts
 * the order (a ≤ 0) or is not finite; only then is the fit redone with step halving on the loss.
 */
export function fitPlatt(logits: readonly number[], labels: readonly boolean[]): Calibration {
  const nPos = labels.filter(Boolean).length;
  const nNeg = labels.length - nPos;
  if (nPos === 0 || nNeg === 0) return { a: 1, b: 0 };
  const plain = newtonPlatt(logits, labels, nPos, nNeg, false);
  if (plain.a > 0 && Number.isFinite(plain.b)) return plain;
  return newtonPlatt(logits, labels, nPos, nNeg, true);
}

function newtonPlatt(
  logits: readonly number[],
  labels: readonly boolean[],
  nPos: number,
  nNeg: number,
  damped: boolean,
): Calibration {
  const hi = (nPos + 1) / (nPos + 2);
  const lo = 1 / (nNeg + 2);
  const loss = (a: number, b: number): number => {
    let l = 0;
    for (let i = 0; i < logits.length; i++) {
      const t = labels[i] ? hi : lo;
      const f = a * logits[i] + b;
      // −[t·log σ(f) + (1−t)·log(1−σ(f))], stable for large |f|.
      l += f >= 0 ? (1 - t) * f + Math.log1p(Math.exp(-f)) : -t * f + Math.log1p(Math.exp(f));
    }
    return l;
  };
  let a = 1;
  let b = 0;
  let current = damped ? loss(a, b) : 0;
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < logits.length; i++) {
      const t = labels[i] ? hi : lo;
      const p = sigmoid(a * logits[i] + b);
      const d = p - t;
      const w = p * (1 - p);
      ga += d * logits[i];
      gb += d;
      haa += w * logits[i] * logits[i];
      hab += w * logits[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    if (damped) {
      let next = loss(a - da, b - db);
      for (let k = 0; k < 50 && !(next <= current); k++) {
        da /= 2;
        db /= 2;
        next = loss(a - da, b - db);
      }
      if (!(next <= current)) break;
      current = next;
    }
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}
