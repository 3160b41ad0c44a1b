import { LifeguardError } from '../../core/errors.js';
import { augmentPositives } from './augment.js';
import { trainEmbeddingBag } from './embedding-bag.js';
import {
  extractFeatures,
  type FeatureConfig,
  featureDimension,
  packageVectors,
  type SparseVector,
} from './features.js';
import { calibrated } from './linear.js';
import { type BinaryMetrics, binaryMetrics, thresholdAtFpr } from './metrics.js';
import { type ClassifierModel, type ModelMeta, quantize, sha256 } from './model-io.js';
import type { Recipe } from './recipe.js';
import { type LabelledText, loadSource } from './sources.js';
import { type Example, fitPlatt, trainLinear } from './train.js';
import { trainWideDeep, WideDeepModel } from './wide-deep.js';
import { sentenceWindows, trainingWindowsOf } from './windows.js';

export type Split = 'train' | 'calibration' | 'test';

export interface Dataset {
  items: LabelledText[];
  split: Split[];
  /** Features of each text (of its first window when the recipe trains by windows). */
  features: SparseVector[];
  /** Features of each scoring window, as inference sees the text (one entry unless `train.windows`). */
  windows: SparseVector[][];
}

/** Per-source results on held-out records at the model's default threshold. */
export interface SourceMetrics {
  source: string;
  n: number;
  positives: number;
  negatives: number;
  /** Share of positives flagged (null without positives). */
  tpr: number | null;
  /** Share of negatives flagged (null without negatives). */
  fpr: number | null;
}

export interface TrainReport {
  task: string;
  version: number;
  counts: { train: number; calibration: number; test: number; bySource: Record<string, number> };
  /** Held-out test split, every source mixed. */
  test: { default: BinaryMetrics; fpr1: BinaryMetrics; fpr5: BinaryMetrics };
  perSource: SourceMetrics[];
  /** Leave-one-source-out: trained without the source, scored on all of it — the generalisation estimate. */
  leaveOneSourceOut?: SourceMetrics[];
  categories?: Record<string, { positives: number; precision: number; recall: number }>;
}

/** FNV-1a of the text → a stable position in [0, 1) that decides the split. */
function splitPoint(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32;
}

/** Which split a record of `recipe` falls in: the source's fixed split, else a hash of its text. */
export function splitOf(recipe: Recipe, item: Pick<LabelledText, 'text' | 'split'>): Split {
  if (item.split === 'train') return 'train';
  if (item.split === 'test') return 'test';
  const u = splitPoint(item.text, recipe.seed);
  if (u < recipe.split.test) return 'test';
  if (u < recipe.split.test + recipe.split.calibration) return 'calibration';
  return 'train';
}

export function loadDataset(recipe: Recipe, root: string): Dataset {
  const seen = new Set<string>();
  const items: LabelledText[] = [];
  for (const spec of recipe.sources) {
    for (const item of loadSource(spec, root, recipe.seed)) {
      const key = item.text.trim().toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      if (recipe.task === 'refusal') item.categories = item.label ? (item.partial ? ['partial'] : []) : [];
      items.push(item);
    }
  }
  checkLoaded(recipe, items);
  const split = items.map((it) => splitOf(recipe, it));
  const windows = items.map((it) =>
    textWindows(recipe, it.text).map((t) => extractFeatures(t, recipe.features as FeatureConfig)),
  );
  return { items, split, features: windows.map((w) => w[0]), windows };
}

/**
 * Refuses data no model can come from before the slow part (features, training): a source that gave no text
 * (a misspelt field, a filter that matches nothing) and data of one class only. `models train` found these
 * only after training every leave-one-source-out model.
 */
function checkLoaded(recipe: Recipe, items: readonly LabelledText[]): void {
  const from = new Set(items.map((it) => it.source));
  const empty = recipe.sources.map((s) => s.id).filter((id) => !from.has(id));
  if (empty.length > 0) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `recipe source(s) ${empty.join(', ')} gave no texts: check the text and label fields, filters and paths (or every text repeats an earlier source)`,
    );
  }
  const positives = items.filter((it) => it.label).length;
  if (positives === 0 || positives === items.length) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `the recipe's sources hold ${positives} positive and ${items.length - positives} negative texts: a model needs both classes; check the sources' labels`,
    );
  }
}

/**
 * What inference scores of a text: its prefix (when the recipe sets one), cut into windows when training by
 * windows, then its sentences when the recipe scores them (a short text only; the whole text stays first).
 * The windows are those the committed models were trained on (`trainingWindowsOf`); inference spreads as few
 * windows evenly over the same text.
 */
function textWindows(recipe: Recipe, text: string): string[] {
  const t = recipe.prefix !== undefined && text.length > recipe.prefix ? text.slice(0, recipe.prefix) : text;
  if (!recipe.train.windows) return [t];
  const out = trainingWindowsOf(t, recipe.window).map((s) => t.slice(s.start, s.end));
  for (const s of sentenceWindows(t, recipe.segments, recipe.window)) out.push(t.slice(s.start, s.end));
  return out;
}

/** The worst window's raw logit of head 0 (calibration is monotone, so this is the worst window's score). */
function maxLogit(model: ClassifierModel, windows: readonly SparseVector[]): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const x of windows) best = Math.max(best, model.logit(x, 0));
  return best;
}

function headsOf(recipe: Recipe): string[] {
  return [recipe.task, ...recipe.categories];
}

function toExamples(item: LabelledText, windows: SparseVector[], heads: string[]): Example[] {
  const y = new Float32Array(heads.length);
  y[0] = item.label ? 1 : 0;
  for (let h = 1; h < heads.length; h++) {
    y[h] = item.categories === undefined ? Number.NaN : item.categories.includes(heads[h]) ? 1 : 0;
  }
  if (windows.length === 1) return [{ x: windows[0], y, weight: item.weight }];
  // A positive trains on its worst window; every window of a negative is a negative.
  if (item.label) return [{ x: windows[0], y, weight: item.weight, bag: windows }];
  const w = item.weight / Math.sqrt(windows.length);
  return windows.map((x) => ({ x, y, weight: w }));
}

interface Fitted {
  model: ClassifierModel;
  calibration: { a: number; b: number };
  thresholds: ModelMeta['thresholds'];
  /** The `fpr5` and `fpr10` thresholds, whichever point the recipe uses (for analyses of the operating point). */
  points: { fpr5: number; fpr10: number };
  bytes: Uint8Array;
  scales: number[];
  signalWeights: number[][];
  bias: number[];
}

/** Trains on the rows `use(i)` selects for training, calibrates on those it selects for calibration. */
function fitModel(
  recipe: Recipe,
  data: Dataset,
  inTrain: (i: number) => boolean,
  inCalib: (i: number) => boolean,
): Fitted {
  const heads = headsOf(recipe);
  const features = recipe.features as FeatureConfig;
  const examples: Example[] = [];
  for (let i = 0; i < data.items.length; i++) {
    if (inTrain(i)) examples.push(...toExamples(data.items[i], data.windows[i], heads));
  }
  const trainItems = data.items.filter((_, i) => inTrain(i));
  for (const aug of augmentPositives(trainItems, recipe.augment, recipe.seed)) {
    examples.push(
      ...toExamples(
        aug,
        textWindows(recipe, aug.text).map((t) => extractFeatures(t, features)),
        heads,
      ),
    );
  }
  const spec = recipe.model;
  let model: ClassifierModel;
  let stored: Pick<Fitted, 'bytes' | 'scales' | 'signalWeights' | 'bias'>;
  if (spec?.kind === 'embedding-bag') {
    const buckets = 1 << features.bits;
    const bag = trainEmbeddingBag(examples, buckets, featureDimension(features) - buckets, heads.length, {
      ...recipe.train,
      seed: recipe.seed,
      dim: spec.dim,
      hidden: spec.hidden,
      dropout: spec.dropout,
      ...(spec.embeddingRate !== undefined ? { embeddingRate: spec.embeddingRate } : {}),
    });
    model = bag;
    stored = { bytes: bag.toBytes(), scales: [], signalWeights: [], bias: Array.from(bag.b2) };
  } else if (spec?.kind === 'wide-deep') {
    const hashed = 1 << features.bits;
    const raw = trainWideDeep(examples, featureDimension(features), hashed, heads.length, {
      ...recipe.train,
      seed: recipe.seed,
      hidden: spec.hidden,
      ...(spec.layerRate !== undefined ? { layerRate: spec.layerRate } : {}),
      ...(spec.layerL2 !== undefined ? { layerL2: spec.layerL2 } : {}),
    });
    const q = quantize(raw.linear, features);
    const wd = new WideDeepModel(q.dequantized, hashed, spec.hidden, raw.w1, raw.b1, raw.w2, q.scales);
    model = wd;
    const layer = wd.layerBytes();
    const bytes = new Uint8Array(q.bytes.length + layer.length);
    bytes.set(q.bytes, 0);
    bytes.set(layer, q.bytes.length);
    stored = { bytes, scales: q.scales, signalWeights: q.signalWeights, bias: q.bias };
  } else {
    const raw = trainLinear(examples, featureDimension(features), heads.length, { ...recipe.train, seed: recipe.seed });
    const q = quantize(raw, features);
    model = q.dequantized;
    stored = { bytes: q.bytes, scales: q.scales, signalWeights: q.signalWeights, bias: q.bias };
  }
  const logits: number[] = [];
  const labels: boolean[] = [];
  for (let i = 0; i < data.items.length; i++) {
    if (!inCalib(i)) continue;
    logits.push(maxLogit(model, data.windows[i]));
    labels.push(data.items[i].label);
  }
  const calibration = fitPlatt(logits, labels);
  const noThresholds = new Set(recipe.sources.filter((s) => !s.thresholds).map((s) => s.id));
  const setsThreshold: boolean[] = [];
  for (let i = 0; i < data.items.length; i++)
    if (inCalib(i)) setsThreshold.push(!noThresholds.has(data.items[i].source));
  const negScores = logits.filter((_, k) => !labels[k] && setsThreshold[k]).map((z) => calibrated(z, calibration));
  const t: Omit<ModelMeta['thresholds'], 'default'> = {
    fpr1: thresholdAtFpr(negScores, 0.01),
    fpr5: thresholdAtFpr(negScores, 0.05),
    // Only a model that uses it carries `fpr10` (the others' files stay as they were).
    ...(recipe.operatingPoint === 'fpr10' ? { fpr10: thresholdAtFpr(negScores, 0.1) } : {}),
    p50: 0.5,
  };
  return {
    model,
    calibration,
    thresholds: {
      ...t,
      default: typeof recipe.operatingPoint === 'number' ? recipe.operatingPoint : (t[recipe.operatingPoint] as number),
    },
    points: { fpr5: t.fpr5, fpr10: thresholdAtFpr(negScores, 0.1) },
    ...stored,
  };
}

function perSource(data: Dataset, scores: Map<number, number>, threshold: number): SourceMetrics[] {
  const by = new Map<string, { tp: number; pos: number; fp: number; neg: number }>();
  for (const [i, s] of scores) {
    const it = data.items[i];
    const m = by.get(it.source) ?? { tp: 0, pos: 0, fp: 0, neg: 0 };
    if (it.label) {
      m.pos++;
      if (s >= threshold) m.tp++;
    } else {
      m.neg++;
      if (s >= threshold) m.fp++;
    }
    by.set(it.source, m);
  }
  return [...by].map(([source, m]) => ({
    source,
    n: m.pos + m.neg,
    positives: m.pos,
    negatives: m.neg,
    tpr: m.pos ? m.tp / m.pos : null,
    fpr: m.neg ? m.fp / m.neg : null,
  }));
}

export interface TrainResult {
  meta: ModelMeta;
  weights: Uint8Array;
  report: TrainReport;
}

/** The whole recipe: load, split, train, quantise, calibrate, pick operating points, evaluate. */
export function trainFromRecipe(
  recipe: Recipe,
  root: string,
  options: {
    leaveOneSourceOut?: boolean;
    log?: (line: string) => void;
    /** Restrict leave-one-source-out to these source ids (default: every source). */
    holdOut?: string[];
    /** Called with every held-out text's leave-one-source-out score (for analyses beyond the default threshold). */
    onHeldOutScore?: (item: LabelledText, score: number, points: { fpr5: number; fpr10: number }) => void;
  } = {},
): TrainResult {
  const log = options.log ?? (() => {});
  const data = loadDataset(recipe, root);
  log(`loaded ${data.items.length} texts from ${recipe.sources.length} sources`);
  const fitted = fitModel(
    recipe,
    data,
    (i) => data.split[i] === 'train',
    (i) => data.split[i] === 'calibration',
  );
  const heads = headsOf(recipe);
  const testScores = new Map<number, number>();
  const catStats: Record<string, { tp: number; fp: number; fn: number; positives: number }> = {};
  for (const c of recipe.categories) catStats[c] = { tp: 0, fp: 0, fn: 0, positives: 0 };
  for (let i = 0; i < data.items.length; i++) {
    if (data.split[i] !== 'test') continue;
    testScores.set(i, calibrated(maxLogit(fitted.model, data.windows[i]), fitted.calibration));
    const cats = data.items[i].categories;
    if (cats === undefined) continue;
    for (let h = 1; h < heads.length; h++) {
      const truth = cats.includes(heads[h]);
      const pred = data.windows[i].some((x) => fitted.model.logit(x, h) >= 0);
      const st = catStats[heads[h]];
      if (truth) st.positives++;
      if (truth && pred) st.tp++;
      else if (pred) st.fp++;
      else if (truth) st.fn++;
    }
  }
  const idx = [...testScores.keys()];
  const s = idx.map((i) => testScores.get(i) as number);
  const l = idx.map((i) => data.items[i].label);
  const bySource: Record<string, number> = {};
  for (const it of data.items) bySource[it.source] = (bySource[it.source] ?? 0) + 1;
  const report: TrainReport = {
    task: recipe.task,
    version: recipe.version,
    counts: {
      train: data.split.filter((x) => x === 'train').length,
      calibration: data.split.filter((x) => x === 'calibration').length,
      test: idx.length,
      bySource,
    },
    test: {
      default: binaryMetrics(s, l, fitted.thresholds.default),
      fpr1: binaryMetrics(s, l, fitted.thresholds.fpr1),
      fpr5: binaryMetrics(s, l, fitted.thresholds.fpr5),
    },
    perSource: perSource(data, testScores, fitted.thresholds.default),
  };
  if (recipe.categories.length > 0) {
    report.categories = Object.fromEntries(
      Object.entries(catStats).map(([c, st]) => [
        c,
        {
          positives: st.positives,
          precision: st.tp + st.fp ? st.tp / (st.tp + st.fp) : 0,
          recall: st.tp + st.fn ? st.tp / (st.tp + st.fn) : 0,
        },
      ]),
    );
  }
  if (options.leaveOneSourceOut) {
    report.leaveOneSourceOut = [];
    for (const spec of recipe.sources) {
      const held = spec.id;
      if (options.holdOut && !options.holdOut.includes(held)) continue;
      log(`leave-one-source-out: ${held}`);
      // A test-only source was never trained or calibrated on: the main model is already without it.
      const f =
        spec.split === 'test'
          ? fitted
          : fitModel(
              recipe,
              data,
              (i) => data.split[i] === 'train' && data.items[i].source !== held,
              (i) => data.split[i] === 'calibration' && data.items[i].source !== held,
            );
      const scores = new Map<number, number>();
      for (let i = 0; i < data.items.length; i++) {
        if (data.items[i].source !== held) continue;
        const score = calibrated(maxLogit(f.model, data.windows[i]), f.calibration);
        scores.set(i, score);
        options.onHeldOutScore?.(data.items[i], score, f.points);
      }
      report.leaveOneSourceOut.push(...perSource(data, scores, f.thresholds.default));
    }
  }
  const bag = recipe.model?.kind === 'embedding-bag' ? recipe.model : undefined;
  const deep = recipe.model?.kind === 'wide-deep' ? recipe.model : undefined;
  const meta: ModelMeta = {
    format: bag ? 'lifeguard-embedding-bag/1' : deep ? 'lifeguard-wide-deep/1' : 'lifeguard-linear/1',
    task: recipe.task,
    version: recipe.version,
    features: withVectorsChecksum(recipe.features as FeatureConfig),
    ...(bag ? { model: { kind: 'embedding-bag' as const, dim: bag.dim, hidden: bag.hidden } } : {}),
    ...(deep ? { model: { kind: 'wide-deep' as const, hidden: deep.hidden } } : {}),
    heads,
    calibration: fitted.calibration,
    thresholds: fitted.thresholds,
    operatingPoint: recipe.operatingPoint,
    window: recipe.window,
    ...(recipe.prefix !== undefined ? { prefix: recipe.prefix } : {}),
    ...(recipe.segments > 0 ? { segments: recipe.segments } : {}),
    scales: fitted.scales,
    signalWeights: fitted.signalWeights,
    bias: fitted.bias,
    weightsSha256: sha256(fitted.bytes),
  };
  return { meta, weights: fitted.bytes, report };
}

/** The feature config as stored: with the checksum of the word vectors training read, when it read any. */
function withVectorsChecksum(features: FeatureConfig): FeatureConfig {
  const sha256 = features.vectors || features.objects ? packageVectors().sha256 : undefined;
  if (!sha256) return features;
  return {
    ...features,
    ...(features.vectors ? { vectors: { ...features.vectors, sha256 } } : {}),
    ...(features.objects ? { objects: { ...features.objects, sha256 } } : {}),
  };
}
