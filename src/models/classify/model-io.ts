import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import { EmbeddingBagModel } from './embedding-bag.js';
import { type FeatureConfig, featureDimension, vectorDimension } from './features.js';
import { type Calibration, LinearModel } from './linear.js';
import { SIGNALS } from './signals.js';
import { CLASSIFIER_TASKS, type ClassifierTask } from './types.js';
import { WideDeepModel } from './wide-deep.js';

/** A trained scorer: logistic regression, an embedding bag or wide-and-deep, over the same sparse features. */
export type ClassifierModel = LinearModel | EmbeddingBagModel | WideDeepModel;

/** `model.json`: everything but the hashed weights, which live in `weights.bin` (int8 per head). */
export interface ModelMeta {
  /**
   * `lifeguard-embedding-bag/1`: `weights.bin` holds an {@link EmbeddingBagModel} of the shape in `model`.
   * `lifeguard-wide-deep/1`: the linear format's bytes, then the {@link WideDeepModel} layer as float32.
   */
  format: 'lifeguard-linear/1' | 'lifeguard-embedding-bag/1' | 'lifeguard-wide-deep/1';
  task: ClassifierTask;
  /** Model version: the recipe's version. */
  version: number;
  features: FeatureConfig;
  /** Head 0 is the task label; the rest are categories. */
  heads: string[];
  calibration: Calibration;
  /** `fpr10` is only present in models whose operating point is `fpr10`. */
  thresholds: { fpr1: number; fpr5: number; fpr10?: number; p50: number; default: number };
  /** A named point, or the fixed threshold the recipe set. */
  operatingPoint: 'fpr1' | 'fpr5' | 'fpr10' | 'p50' | number;
  window: number;
  /** Only the first this-many characters of a text are scored (absent: all of it). */
  prefix?: number;
  /** Sentences of a text of at most this many characters are scored as windows of their own (recipe `segments`). */
  segments?: number;
  /** Embedding-bag models only: the network's shape (the linear format has no such field). */
  model?: { kind: 'embedding-bag'; dim: number; hidden: number } | { kind: 'wide-deep'; hidden: number };
  /** Per head: dequantisation scale of the int8 hashed block (linear models; empty for an embedding bag). */
  scales: number[];
  /** Per head: weights of the signal features (not hashed, kept exact). */
  signalWeights: number[][];
  bias: number[];
  weightsSha256: string;
  /** Metrics measured when the model was trained (see the model card). */
  metrics?: unknown;
}

/** Splits a trained model into int8 hashed blocks + exact signal weights; returns the dequantised model too. */
export function quantize(
  model: LinearModel,
  features: FeatureConfig,
): {
  bytes: Uint8Array;
  scales: number[];
  signalWeights: number[][];
  bias: number[];
  dequantized: LinearModel;
} {
  const hashed = 1 << features.bits;
  const dim = model.dim;
  const bytes = new Int8Array(hashed * model.heads);
  const scales: number[] = [];
  const signalWeights: number[][] = [];
  const deq = LinearModel.zeros(dim, model.heads);
  for (let h = 0; h < model.heads; h++) {
    const off = h * dim;
    let max = 0;
    for (let j = 0; j < hashed; j++) max = Math.max(max, Math.abs(model.weights[off + j]));
    const scale = max > 0 ? max / 127 : 1;
    scales.push(scale);
    for (let j = 0; j < hashed; j++) {
      const q = Math.max(-127, Math.min(127, Math.round(model.weights[off + j] / scale)));
      bytes[h * hashed + j] = q;
      deq.weights[off + j] = q * scale;
    }
    const sw: number[] = [];
    for (let j = hashed; j < dim; j++) {
      sw.push(model.weights[off + j]);
      deq.weights[off + j] = model.weights[off + j];
    }
    signalWeights.push(sw);
    deq.bias[h] = model.bias[h];
  }
  return { bytes: new Uint8Array(bytes.buffer), scales, signalWeights, bias: Array.from(model.bias), dequantized: deq };
}

export function dequantize(meta: ModelMeta, bytes: Uint8Array): LinearModel {
  const hashed = 1 << meta.features.bits;
  const dim = featureDimension(meta.features);
  const heads = meta.heads.length;
  if (bytes.length !== hashed * heads) {
    throw new LifeguardError('LG_ERR_MODEL', `weights.bin: expected ${hashed * heads} bytes, got ${bytes.length}`);
  }
  if (
    meta.signalWeights.some((s) => s.length !== dim - hashed) ||
    dim - hashed !== SIGNALS.length + 1 + vectorDimension(meta.features)
  ) {
    throw new LifeguardError('LG_ERR_MODEL', 'model.json: signal weights do not match this version of the signal list');
  }
  const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const model = LinearModel.zeros(dim, heads);
  for (let h = 0; h < heads; h++) {
    const off = h * dim;
    const scale = meta.scales[h];
    for (let j = 0; j < hashed; j++) model.weights[off + j] = q[h * hashed + j] * scale;
    for (let j = hashed; j < dim; j++) model.weights[off + j] = meta.signalWeights[h][j - hashed];
    model.bias[h] = meta.bias[h];
  }
  return model;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes `model.json` (stable key order, no timestamps: retraining reproduces the files) and `weights.bin`. */
export function writeModel(dir: string, meta: ModelMeta, bytes: Uint8Array): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'weights.bin'), bytes);
  writeFileSync(join(dir, 'model.json'), `${JSON.stringify(meta, roundFloats, 2)}\n`);
}

function roundFloats(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(9)) : value;
}

export function readModel(dir: string): { meta: ModelMeta; model: ClassifierModel } {
  const metaPath = join(dir, 'model.json');
  const weightsPath = join(dir, 'weights.bin');
  if (!existsSync(metaPath) || !existsSync(weightsPath)) {
    throw new LifeguardError(
      'LG_ERR_MODEL',
      `no trained model in ${dir} (model.json and weights.bin); run \`lifeguard models train\``,
    );
  }
  const meta = readModelMeta(metaPath);
  if (!FORMATS.includes(meta.format))
    throw new LifeguardError('LG_ERR_MODEL', `${metaPath}: unknown format ${meta.format}`);
  checkModelMeta(meta, metaPath);
  const bytes = new Uint8Array(readFileSync(weightsPath));
  if (sha256(bytes) !== meta.weightsSha256)
    throw new LifeguardError('LG_ERR_MODEL', `${weightsPath}: checksum does not match model.json`);
  if (meta.format === 'lifeguard-embedding-bag/1') return { meta, model: readEmbeddingBag(meta, bytes) };
  if (meta.format === 'lifeguard-wide-deep/1') return { meta, model: readWideDeep(meta, bytes) };
  return { meta, model: dequantize(meta, bytes) };
}

/**
 * `model.json` parsed, or an `LG_ERR_MODEL` naming the file: a damaged file was a bare SyntaxError (a stack
 * trace from `lifeguard classify --models DIR` and `models list`).
 */
export function readModelMeta(metaPath: string): ModelMeta {
  let meta: unknown;
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8'));
  } catch (e) {
    throw new LifeguardError(
      'LG_ERR_MODEL',
      `${metaPath}: cannot read the model description: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta))
    throw new LifeguardError('LG_ERR_MODEL', `${metaPath}: not a model description (expected a JSON object)`);
  return meta as ModelMeta;
}

/**
 * The fields the loader and the scorer read, checked before the weights are: a damaged `model.json` was a bare
 * TypeError, an `LG_ERR_CONFIG_INVALID` blaming the caller's options (no `window`), or worse loaded and scored
 * wrong without a word (scales or biases short of the heads scored every text 0, a missing default threshold
 * became 0.5, a `prefix` of 0 read nothing).
 */
function checkModelMeta(meta: ModelMeta, metaPath: string): void {
  const bad = (what: string): never => {
    throw new LifeguardError('LG_ERR_MODEL', `${metaPath}: ${what}`);
  };
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const finiteList = (v: unknown, n: number) => Array.isArray(v) && v.length === n && v.every(finite);
  const count = (v: unknown, min: number) => Number.isSafeInteger(v) && (v as number) >= min;
  if (!CLASSIFIER_TASKS.includes(meta.task)) bad(`unknown task ${JSON.stringify(meta.task)}`);
  if (!finite(meta.version)) bad('`version` must be a number');
  const f = meta.features as FeatureConfig | undefined;
  if (typeof f !== 'object' || f === null || !count(f.bits, 1) || f.bits > 30)
    bad('`features.bits` must be a whole number in [1, 30]');
  const heads = meta.heads;
  if (!Array.isArray(heads) || heads.length === 0 || !heads.every((h) => typeof h === 'string'))
    bad('`heads` must be a non-empty list of names');
  const cal = meta.calibration as Calibration | undefined;
  if (typeof cal !== 'object' || cal === null || !finite(cal.a) || !finite(cal.b))
    bad('`calibration` must have numbers `a` and `b`');
  const t = meta.thresholds?.default;
  if (!finite(t) || (t as number) < 0 || (t as number) > 1) bad('`thresholds.default` must be a number in [0, 1]');
  if (!count(meta.window, 1)) bad('`window` must be a whole number ≥ 1');
  if (meta.prefix !== undefined && !count(meta.prefix, 1)) bad('`prefix` must be a whole number ≥ 1');
  if (meta.segments !== undefined && !count(meta.segments, 0)) bad('`segments` must be a whole number ≥ 0');
  if (!finiteList(meta.bias, heads.length)) bad(`\`bias\` must be ${heads.length} numbers, one per head`);
  if (meta.format !== 'lifeguard-embedding-bag/1') {
    if (!finiteList(meta.scales, heads.length)) bad(`\`scales\` must be ${heads.length} numbers, one per head`);
    const sw = meta.signalWeights;
    if (!Array.isArray(sw) || sw.length !== heads.length || !sw.every((w) => Array.isArray(w) && w.every(finite)))
      bad(`\`signalWeights\` must be ${heads.length} lists of numbers, one per head`);
  }
}

const FORMATS: readonly ModelMeta['format'][] = [
  'lifeguard-linear/1',
  'lifeguard-embedding-bag/1',
  'lifeguard-wide-deep/1',
];

/** A wide-and-deep model: the linear bytes, then the layer, checked against the shape `model.json` declares. */
export function readWideDeep(meta: ModelMeta, bytes: Uint8Array): WideDeepModel {
  if (meta.model?.kind !== 'wide-deep')
    throw new LifeguardError('LG_ERR_MODEL', 'model.json: a wide-deep model needs its `model` shape');
  const hashed = 1 << meta.features.bits;
  const linearBytes = hashed * meta.heads.length;
  if (bytes.length < linearBytes)
    throw new LifeguardError('LG_ERR_MODEL', `weights.bin: expected over ${linearBytes} bytes, got ${bytes.length}`);
  const linear = dequantize(meta, bytes.subarray(0, linearBytes));
  try {
    return WideDeepModel.fromLayerBytes(linear, hashed, meta.model.hidden, bytes.subarray(linearBytes), meta.scales);
  } catch (e) {
    throw new LifeguardError('LG_ERR_MODEL', (e as Error).message);
  }
}

/** The embedding bag in `bytes`, checked against the shape `model.json` declares. */
export function readEmbeddingBag(meta: ModelMeta, bytes: Uint8Array): EmbeddingBagModel {
  if (meta.model?.kind !== 'embedding-bag')
    throw new LifeguardError('LG_ERR_MODEL', 'model.json: an embedding-bag model needs its `model` shape');
  const dense = featureDimension(meta.features) - (1 << meta.features.bits);
  if (dense !== SIGNALS.length + 1 + vectorDimension(meta.features))
    throw new LifeguardError('LG_ERR_MODEL', 'model.json: the model does not match this version of the signal list');
  try {
    return EmbeddingBagModel.fromBytes(bytes, {
      buckets: 1 << meta.features.bits,
      dim: meta.model.dim,
      dense,
      hidden: meta.model.hidden,
      heads: meta.heads.length,
    });
  } catch (e) {
    throw new LifeguardError('LG_ERR_MODEL', (e as Error).message);
  }
}

export { defaultModelsDir } from './models-dir.js';
