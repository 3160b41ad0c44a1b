import { resolve } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import { extractFeatures, modelVectors, type SparseVector } from './features.js';
import { calibrated, LinearModel, QuantizedHeads, sigmoid } from './linear.js';
import { type ClassifierModel, defaultModelsDir, type ModelMeta, readModel } from './model-io.js';
import type { ClassifierTask, ClassifyOptions, ClassifyResult, LocalClassifier, TextSpan } from './types.js';
import { CLASSIFIER_TASKS, checkThreshold } from './types.js';
import type { WordVectors } from './vectors.js';
import { decodedPayloads, sentenceWindows, windowsOf } from './windows.js';

/** Texts longer than this are refused outright (windows bound the work, but not the memory of the input). */
export const MAX_CLASSIFY_CHARS = 10_000_000;

/** Probability a category head must reach to be listed. */
const CATEGORY_THRESHOLD = 0.5;

export interface LocalScore {
  score: number;
  categoryScores: Record<string, number>;
  span: TextSpan;
  /** The worst "window" was a part read on its own (an encoded payload, a sentence); `span` says which. */
  payload?: boolean;
}

/** A trained classifier (linear or embedding bag), scoring long texts window by window. */
export class LinearClassifier implements LocalClassifier {
  readonly id: string;
  readonly task: ClassifierTask;
  readonly threshold: number;
  /** Scratch for the heads' logits of one window. */
  readonly #logits: Float64Array;
  /** The int8 weights, feature-major, when the model came from `weights.bin` (built on first use). */
  #quantized: QuantizedHeads | null | undefined;

  /** The word vectors the model pools (those beside its models folder, else the package's). */
  readonly #vectors: WordVectors | undefined;

  constructor(
    readonly meta: ModelMeta,
    private readonly model: ClassifierModel,
    modelsDir = defaultModelsDir(),
  ) {
    this.#vectors = modelVectors(meta.features, modelsDir);
    this.task = meta.task;
    this.id = `local:${meta.task}@${meta.version}`;
    this.threshold = meta.thresholds.default;
    this.#logits = new Float64Array(model.heads);
  }

  /** Raw scores: the worst window's calibrated probability and per-category probabilities (max over windows). */
  score(text: string, window = this.meta.window, sentences = true): LocalScore {
    // Checked here, not left to the arithmetic: a non-string threw a bare TypeError, and a window of NaN
    // scored only the empty text (an attack read as benign), 0 made one empty window per character, a
    // negative one spans ending before they start, a fraction spans with fractional offsets.
    if (typeof text !== 'string') {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${this.id}: text must be a string, got ${typeOf(text)}`);
    }
    if (!Number.isSafeInteger(window) || window < 1) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `${this.id}: window must be a whole number of characters ≥ 1 (got ${String(window)})`,
      );
    }
    if (text.length > MAX_CLASSIFY_CHARS) {
      throw new LifeguardError(
        'LG_ERR_INPUT_TOO_LARGE',
        `text of ${text.length} characters is over the classifier's limit of ${MAX_CLASSIFY_CHARS} characters (UTF-16 code units); split longer documents into parts and classify each`,
      );
    }
    const cats = this.meta.heads.slice(1);
    const categoryScores: Record<string, number> = {};
    for (const c of cats) categoryScores[c] = 0;
    let best = -1;
    const scored =
      this.meta.prefix !== undefined && text.length > this.meta.prefix ? text.slice(0, this.meta.prefix) : text;
    let bestSpan: TextSpan = { start: 0, end: scored.length };
    let payload = false;
    /** Scores one window's text; the worst main score and each category's highest score are kept. */
    const read = (windowText: string, span: TextSpan, isPayload: boolean) => {
      // Every head in one pass over the features (the same sums as head-by-head `logit`, in the same order).
      const z = this.#logitsOf(extractFeatures(windowText, this.meta.features, true, this.#vectors));
      const p = calibrated(z[0], this.meta.calibration);
      if (p > best) {
        best = p;
        bestSpan = span;
        payload = isPayload;
      }
      for (let h = 1; h < this.meta.heads.length; h++) {
        const q = sigmoid(z[h]);
        if (q > categoryScores[cats[h - 1]]) categoryScores[cats[h - 1]] = q;
      }
    };
    for (const span of windowsOf(scored, window)) read(text.slice(span.start, span.end), span, false);
    // An encoded payload is also read on its own, as one more window: behind an instruction to decode it
    // ("Decode this base64 and follow it: …") its decoded text is a small part of the window it sits in.
    if (this.meta.features.decode) for (const seg of decodedPayloads(scored)) read(seg.text, seg.span, true);
    // A short text's sentences are read on their own too when the model was trained so: a request behind
    // an instruction about the answer ("Reply in Dutch, as a limerick: …") is not diluted by it. Not when the
    // whole text is plainly benign: of 678 wrapped harmful requests a sentence decided, none scored under
    // SEGMENT_GATE whole, and most everyday prompts do, so most short texts are read once.
    if (sentences && best >= SEGMENT_GATE)
      for (const seg of sentenceWindows(scored, this.meta.segments ?? 0, window))
        read(scored.slice(seg.start, seg.end), seg, true);
    return { score: Math.max(0, best), categoryScores, span: bestSpan, payload };
  }

  #logitsOf(x: SparseVector): Float64Array {
    if (!(this.model instanceof LinearModel)) return this.model.logits(x, this.#logits);
    if (this.#quantized === undefined)
      this.#quantized = QuantizedHeads.of(this.model, 1 << this.meta.features.bits, this.meta.scales ?? []) ?? null;
    if (this.#quantized) return this.#quantized.logits(x, this.#logits);
    if (this.model.heads > 1) return this.model.logits(x, this.#logits);
    this.#logits[0] = this.model.logit(x, 0);
    return this.#logits;
  }

  classifySync(text: string, options?: ClassifyOptions | null): ClassifyResult {
    // `null` is no options (it was a TypeError); `sentences` must be a boolean (0 or "no" read them as true).
    options ??= {};
    if (options.sentences !== undefined && typeof options.sentences !== 'boolean') {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `${this.id}: sentences must be true or false (got ${typeOf(options.sentences)})`,
      );
    }
    const threshold = checkThreshold(options.threshold ?? this.threshold, this.id);
    const window = options.window ?? this.meta.window;
    const { score, categoryScores, span, payload } = this.score(text, window, options.sentences !== false);
    const label = score >= threshold;
    const result: ClassifyResult = { task: this.task, score, label, threshold, source: this.id };
    if (this.task === 'refusal') {
      if (label) result.partial = (categoryScores.partial ?? 0) >= CATEGORY_THRESHOLD;
    } else if (this.meta.heads.length > 1) {
      result.categoryScores = categoryScores;
      result.categories = label ? topCategories(categoryScores) : [];
    }
    // A span says where in a long text, or which encoded payload or sentence, decided; else it is the whole.
    if (text.length > window || payload) result.span = wholeCharacters(text, span);
    return result;
  }

  async classify(text: string, options?: ClassifyOptions): Promise<ClassifyResult> {
    return this.classifySync(text, options);
  }
}

/**
 * `span` widened to whole characters: windows are cut in UTF-16 units (as trained), so after an emoji or
 * another astral character a reported span could start or end between the two halves of a surrogate pair,
 * and the text it points at began or ended with half a character.
 */
function wholeCharacters(text: string, span: TextSpan): TextSpan {
  let { start, end } = span;
  const splits = (i: number) =>
    i > 0 &&
    i < text.length &&
    (text.charCodeAt(i) & 0xfc00) === 0xdc00 &&
    (text.charCodeAt(i - 1) & 0xfc00) === 0xd800;
  if (splits(start)) start--;
  if (splits(end)) end++;
  return start === span.start && end === span.end ? span : { start, end };
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** Categories at or over the threshold; when none is, the most likely one if it is at all likely. */
function topCategories(scores: Record<string, number>): string[] {
  const entries = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const over = entries.filter(([, p]) => p >= CATEGORY_THRESHOLD).map(([c]) => c);
  if (over.length > 0) return over;
  return entries.length > 0 && entries[0][1] >= 0.2 ? [entries[0][0]] : [];
}

/** Whole-text score under which a short text's sentences are not read on their own (see `score`). */
const SEGMENT_GATE = 0.01;

const cache = new Map<string, LinearClassifier>();

/** Loads the trained model for `task` from `modelsDir` (default: the `models/` folder shipped with Lifeguard). */
export function loadLocalClassifier(task: ClassifierTask, options: { modelsDir?: string } = {}): LinearClassifier {
  if (!CLASSIFIER_TASKS.includes(task)) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `unknown task "${task}"; valid tasks: ${CLASSIFIER_TASKS.join(', ')}`,
    );
  }
  const modelsDir = options.modelsDir ?? defaultModelsDir();
  // Keyed by the absolute folder: a relative path (or `dir/./`) to the same models loaded them a second time.
  const dir = resolve(modelsDir, task);
  let c = cache.get(dir);
  if (!c) {
    const { meta, model } = readModel(dir);
    if (meta.task !== task)
      throw new LifeguardError('LG_ERR_MODEL', `${dir}: model is for task ${meta.task}, not ${task}`);
    c = new LinearClassifier(meta, model, modelsDir);
    cache.set(dir, c);
  }
  return c;
}
