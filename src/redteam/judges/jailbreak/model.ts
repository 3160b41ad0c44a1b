import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LifeguardError } from '../../../core/errors.js';
import { defaultModelsDir } from '../../../models/classify/model-io.js';
import { DENSE_FEATURES, type JailbreakFeatures } from './features.js';

/** `models/jailbreak-judge/model.json`: a logistic model over dense features plus hashed answer n-grams. */
export interface JailbreakModelFile {
  format: 'lifeguard-jailbreak-judge/1';
  version: number;
  /** Dense feature names, in order: a model trained on another list is refused. */
  dense: string[];
  mean: number[];
  std: number[];
  denseWeights: number[];
  /** log2 of the hashed n-gram block (0: none). */
  hashBits: number;
  /** Hashed weights as sparse pairs `[slot, weight]` (zeros left out). */
  hashedWeights: [number, number][];
  bias: number;
  /** Score at or over which an answer is jailbroken (tuned on training agreement and ASR bias). */
  threshold: number;
  /** What the training run measured (copied into the model card). */
  metrics?: unknown;
}

/** Weight of each goal slot (several slots per goal soften hash collisions). */
const goalScale = 0.5;

export class JailbreakModel {
  private readonly hashed: Float32Array;
  constructor(readonly file: JailbreakModelFile) {
    this.hashed = new Float32Array(file.hashBits > 0 ? 1 << file.hashBits : 0);
    for (const [slot, w] of file.hashedWeights) this.hashed[slot] = w;
  }

  get threshold(): number {
    return this.file.threshold;
  }

  logit(x: JailbreakFeatures): number {
    const f = this.file;
    let z = f.bias;
    for (let i = 0; i < x.dense.length; i++) z += f.denseWeights[i] * ((x.dense[i] - f.mean[i]) / f.std[i]);
    if (x.hashed.length > 0) {
      const scale = 1 / Math.sqrt(x.hashed.length);
      for (let k = 0; k < x.hashed.length; k++) z += this.hashed[x.hashed[k]] * scale;
    }
    for (let k = 0; k < x.goal.length; k++) z += this.hashed[x.goal[k]] * goalScale;
    return z;
  }

  score(x: JailbreakFeatures): number {
    const z = this.logit(x);
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }
}

export function defaultJailbreakModelDir(): string {
  return join(defaultModelsDir(), 'jailbreak-judge');
}

const cache = new Map<string, JailbreakModel>();

/** Loads `model.json` from `dir` (default: the shipped `models/jailbreak-judge`). */
export function loadJailbreakModel(dir = defaultJailbreakModelDir()): JailbreakModel {
  const hit = cache.get(dir);
  if (hit) return hit;
  const path = join(dir, 'model.json');
  if (!existsSync(path)) {
    throw new LifeguardError(
      'LG_ERR_MODEL',
      `no jailbreak judge model at ${path}; run \`npx tsx scripts/train-jailbreak-judge.ts\``,
    );
  }
  let file: JailbreakModelFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as JailbreakModelFile;
  } catch (e) {
    throw new LifeguardError('LG_ERR_MODEL', `${path}: not valid JSON (${(e as Error).message})`);
  }
  if (file.format !== 'lifeguard-jailbreak-judge/1') {
    throw new LifeguardError('LG_ERR_MODEL', `${path}: unknown format ${String(file.format)}`);
  }
  if (file.dense.join(',') !== DENSE_FEATURES.join(',')) {
    throw new LifeguardError('LG_ERR_MODEL', `${path}: trained on another feature list than this version computes`);
  }
  const m = new JailbreakModel(file);
  cache.set(dir, m);
  return m;
}

// ---------------------------------------------------------------- training

export interface TrainSample {
  x: JailbreakFeatures;
  y: boolean;
  weight?: number;
}

export interface TrainOptions {
  hashBits: number;
  epochs: number;
  /** L2 penalty on dense weights. */
  l2Dense: number;
  /** L2 penalty on hashed weights (stronger: they overfit topics). */
  l2Hashed: number;
  learningRate: number;
}

export const DEFAULT_TRAIN: TrainOptions = {
  hashBits: 14,
  epochs: 300,
  l2Dense: 1e-3,
  l2Hashed: 8e-4,
  learningRate: 0.1,
};

/**
 * Full-batch logistic regression with Adam: deterministic (no sampling, fixed order), a few hundred
 * epochs over ~1,000 answers take well under a second.
 */
export function trainJailbreakModel(samples: TrainSample[], opts: TrainOptions = DEFAULT_TRAIN): JailbreakModelFile {
  const D = DENSE_FEATURES.length;
  const mean = new Array<number>(D).fill(0);
  const std = new Array<number>(D).fill(0);
  for (const s of samples) for (let i = 0; i < D; i++) mean[i] += s.x.dense[i] / samples.length;
  for (const s of samples) for (let i = 0; i < D; i++) std[i] += (s.x.dense[i] - mean[i]) ** 2 / samples.length;
  for (let i = 0; i < D; i++) std[i] = Math.sqrt(std[i]) || 1;
  const H = opts.hashBits > 0 ? 1 << opts.hashBits : 0;
  const wd = new Float64Array(D);
  const wh = new Float64Array(H);
  let b = 0;
  // Adam state.
  const md = new Float64Array(D);
  const vd = new Float64Array(D);
  const mh = new Float64Array(H);
  const vh = new Float64Array(H);
  let mb = 0;
  let vb = 0;
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const xs = samples.map((s) => Float64Array.from(s.x.dense, (v, i) => (v - mean[i]) / std[i]));
  const totalW = samples.reduce((a, s) => a + (s.weight ?? 1), 0);
  const gd = new Float64Array(D);
  const gh = new Float64Array(H);
  const touched = new Uint8Array(H);
  for (let t = 1; t <= opts.epochs; t++) {
    gd.fill(0);
    if (H > 0) gh.fill(0);
    let gb = 0;
    for (let n = 0; n < samples.length; n++) {
      const s = samples[n];
      const x = xs[n];
      let z = b;
      for (let i = 0; i < D; i++) z += wd[i] * x[i];
      const hs = s.x.hashed;
      const scale = hs.length > 0 ? 1 / Math.sqrt(hs.length) : 0;
      for (let k = 0; k < hs.length; k++) z += wh[hs[k]] * scale;
      const gs = s.x.goal;
      for (let k = 0; k < gs.length; k++) z += wh[gs[k]] * goalScale;
      const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      const g = (((s.weight ?? 1) * (p - (s.y ? 1 : 0))) / totalW) as number;
      gb += g;
      for (let i = 0; i < D; i++) gd[i] += g * x[i];
      for (let k = 0; k < hs.length; k++) {
        gh[hs[k]] += g * scale;
        touched[hs[k]] = 1;
      }
      for (let k = 0; k < gs.length; k++) {
        gh[gs[k]] += g * goalScale;
        touched[gs[k]] = 1;
      }
    }
    const lr = opts.learningRate;
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    for (let i = 0; i < D; i++) {
      const g = gd[i] + opts.l2Dense * wd[i];
      md[i] = b1 * md[i] + (1 - b1) * g;
      vd[i] = b2 * vd[i] + (1 - b2) * g * g;
      wd[i] -= (lr * (md[i] / c1)) / (Math.sqrt(vd[i] / c2) + eps);
    }
    for (let j = 0; j < H; j++) {
      if (!touched[j]) continue;
      const g = gh[j] + opts.l2Hashed * wh[j];
      mh[j] = b1 * mh[j] + (1 - b1) * g;
      vh[j] = b2 * vh[j] + (1 - b2) * g * g;
      wh[j] -= (lr * (mh[j] / c1)) / (Math.sqrt(vh[j] / c2) + eps);
    }
    mb = b1 * mb + (1 - b1) * gb;
    vb = b2 * vb + (1 - b2) * gb * gb;
    b -= (lr * (mb / c1)) / (Math.sqrt(vb / c2) + eps);
  }
  const round = (v: number) => Number(v.toPrecision(5));
  const hashedWeights: [number, number][] = [];
  for (let j = 0; j < H; j++) if (touched[j] && Math.abs(wh[j]) >= 1e-4) hashedWeights.push([j, round(wh[j])]);
  return {
    format: 'lifeguard-jailbreak-judge/1',
    version: 6,
    dense: [...DENSE_FEATURES],
    mean: mean.map(round),
    std: std.map(round),
    denseWeights: Array.from(wd, round),
    hashBits: opts.hashBits,
    hashedWeights,
    bias: round(b),
    threshold: 0.5,
  };
}
