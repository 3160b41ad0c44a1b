/**
 * A tiny gradient-boosted tree ensemble (logistic loss) over dense features: interactions such as
 * "complies AND on topic AND not debunking" that a linear model can only approximate. Deterministic:
 * exhaustive split search, no sampling.
 */
export interface TreeNode {
  /** Feature index; -1 for a leaf. */
  f: number;
  /** Split threshold: `x[f] <= t` goes left. */
  t: number;
  l?: TreeNode;
  r?: TreeNode;
  /** Leaf value (logit increment, learning rate applied). */
  v: number;
}

export interface TreeEnsemble {
  base: number;
  trees: TreeNode[];
}

export interface BoostOptions {
  trees: number;
  depth: number;
  learningRate: number;
  minLeaf: number;
  /** L2 on leaf values (Newton step denominator). */
  lambda: number;
}

export const DEFAULT_BOOST: BoostOptions = { trees: 150, depth: 3, learningRate: 0.1, minLeaf: 10, lambda: 1 };

export function predictTrees(m: TreeEnsemble, x: ArrayLike<number>): number {
  let z = m.base;
  for (const t of m.trees) {
    let n = t;
    while (n.f >= 0) n = (x[n.f] <= n.t ? n.l : n.r) as TreeNode;
    z += n.v;
  }
  return z;
}

export function trainTrees(xs: ArrayLike<number>[], ys: boolean[], ws: number[], opts: BoostOptions = DEFAULT_BOOST): TreeEnsemble {
  const n = xs.length;
  const D = n > 0 ? xs[0].length : 0;
  const W = ws.reduce((a, b) => a + b, 0);
  const pos = ys.reduce((a, y, i) => a + (y ? ws[i] : 0), 0);
  const p0 = Math.min(1 - 1e-6, Math.max(1e-6, pos / W));
  const base = Math.log(p0 / (1 - p0));
  const z = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  // Per feature, sample order sorted by value (computed once).
  const order: Int32Array[] = [];
  for (let f = 0; f < D; f++) {
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => xs[a][f] - xs[b][f] || a - b);
    order.push(idx);
  }
  const trees: TreeNode[] = [];
  const member = new Uint8Array(n);
  for (let t = 0; t < opts.trees; t++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-z[i]));
      g[i] = ws[i] * (p - (ys[i] ? 1 : 0));
      h[i] = ws[i] * Math.max(1e-6, p * (1 - p));
    }
    const all = Int32Array.from({ length: n }, (_, i) => i);
    const tree = grow(all, 0);
    trees.push(tree);
    for (let i = 0; i < n; i++) z[i] += predictTrees({ base: 0, trees: [tree] }, xs[i]);
  }
  return { base, trees };

  function leaf(rows: Int32Array): TreeNode {
    let G = 0;
    let H = 0;
    for (const i of rows) {
      G += g[i];
      H += h[i];
    }
    return { f: -1, t: 0, v: round((-G / (H + opts.lambda)) * opts.learningRate) };
  }

  function grow(rows: Int32Array, depth: number): TreeNode {
    if (depth >= opts.depth || rows.length < 2 * opts.minLeaf) return leaf(rows);
    let G = 0;
    let H = 0;
    member.fill(0);
    for (const i of rows) {
      G += g[i];
      H += h[i];
      member[i] = 1;
    }
    const parent = (G * G) / (H + opts.lambda);
    let best = { gain: 1e-9, f: -1, t: 0 };
    for (let f = 0; f < D; f++) {
      let GL = 0;
      let HL = 0;
      let cnt = 0;
      const idx = order[f];
      let prev = Number.NaN;
      for (let k = 0; k < n; k++) {
        const i = idx[k];
        if (!member[i]) continue;
        const v = xs[i][f];
        if (cnt >= opts.minLeaf && rows.length - cnt >= opts.minLeaf && v !== prev) {
          const GR = G - GL;
          const HR = H - HL;
          const gain = (GL * GL) / (HL + opts.lambda) + (GR * GR) / (HR + opts.lambda) - parent;
          if (gain > best.gain) best = { gain, f, t: (prev + v) / 2 };
        }
        GL += g[i];
        HL += h[i];
        cnt++;
        prev = v;
      }
    }
    if (best.f < 0) return leaf(rows);
    const left = rows.filter((i) => xs[i][best.f] <= best.t);
    const right = rows.filter((i) => xs[i][best.f] > best.t);
    return { f: best.f, t: round(best.t), l: grow(left, depth + 1), r: grow(right, depth + 1), v: 0 };
  }
}

const round = (v: number) => Number(v.toPrecision(6));
