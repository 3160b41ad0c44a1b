/**
 * Sequence classifiers served by Hugging Face Text Embeddings Inference (TEI) `/predict`, or anything
 * with the same shape: request `{ "inputs": text }` or `{ "inputs": [texts] }`, answer
 * `[{ "label", "score" }]` (one text; `[[…]]` accepted too) or `[[…], […]]` (a batch). Meant for
 * Prompt Guard (`INJECTION` / `JAILBREAK` / `BENIGN`) and similar models; the positive labels are
 * configurable and their probabilities are summed (or the largest taken).
 *
 * Small encoders read ~512 tokens, so texts longer than `window.chars` are cut into overlapping
 * windows, sent as batches, and the worst window wins (its span is reported).
 */
import type { Classifier, ClassifierTask, ClassifyOptions, ClassifyResult } from '../classify/types.js';
import {
  checkTask,
  checkThreshold,
  configError,
  endpointUrl,
  type HttpOptions,
  inputError,
  isObject,
  postJson,
  resolveHttp,
  upstreamError,
} from './http.js';
import type { CategoryMap } from './types.js';

export interface TextClassificationOptions extends HttpOptions {
  /** e.g. `http://localhost:8080`; `path` is appended. */
  baseUrl: string;
  task: ClassifierTask;
  /** Labels whose probability counts as positive, e.g. `['INJECTION', 'JAILBREAK']`. Case-insensitive. */
  positiveLabels: readonly string[];
  /**
   * The model's other labels, e.g. `['BENIGN']`. Optional; when given, an answer with only these labels
   * scores 0 instead of failing (for servers that return only the top label).
   */
  negativeLabels?: readonly string[];
  /** How positive-label probabilities combine: `sum` (default; for one softmax) or `max` (multi-label). */
  aggregate?: 'sum' | 'max';
  /** Route appended to `baseUrl`. Default `/predict`; `''` for endpoints that classify at their root. */
  path?: string;
  /** Only for the id. */
  model?: string;
  /** Windows for long texts (UTF-16 units). Default `{ chars: 2000, overlap: 200 }`; `false` sends the text whole. */
  window?: { chars: number; overlap: number } | false;
  /** Texts per request (TEI's `--max-client-batch-size` defaults to 32). Default 32. */
  maxBatch?: number;
  /** Send `"truncate": true` (TEI), so a window over the model's token limit is cut instead of refused. */
  truncate?: boolean;
  /** Positive label → result categories (e.g. hazard codes). Default: the label itself. */
  categoryMap?: CategoryMap;
  /** Operating point on `score`. Default 0.5. */
  threshold?: number;
  /** Classifier id (and `source`). Default `text-classification:<model or host>`. */
  id?: string;
}

export interface TextClassificationResult extends ClassifyResult {
  /** Every label's probability in the worst window, as the model named them. */
  labels: Record<string, number>;
}

export interface TextClassificationClassifier extends Classifier {
  classify(text: string, options?: ClassifyOptions): Promise<TextClassificationResult>;
}

interface Prediction {
  label: string;
  score: number;
}

const WHAT = 'Text classification';

/** `[start, end)` windows covering `text`, never splitting a surrogate pair. */
export function textWindows(text: string, chars: number, overlap: number): Array<{ start: number; end: number }> {
  if (text.length <= chars) return [{ start: 0, end: text.length }];
  const windows: Array<{ start: number; end: number }> = [];
  const isLow = (i: number) => i > 0 && i < text.length && (text.charCodeAt(i) & 0xfc00) === 0xdc00;
  let start = 0;
  for (;;) {
    let end = Math.min(text.length, start + chars);
    if (isLow(end)) end--;
    windows.push({ start, end });
    if (end >= text.length) return windows;
    let next = Math.max(start + 1, end - overlap);
    if (isLow(next)) next++;
    start = next;
  }
}

function readPredictions(value: unknown, where: string): Prediction[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw upstreamError(`${WHAT}: ${where} is not a non-empty list of { label, score }`);
  }
  return value.map((p) => {
    if (!isObject(p) || typeof p.label !== 'string' || typeof p.score !== 'number' || !Number.isFinite(p.score)) {
      throw upstreamError(`${WHAT}: ${where} holds an entry that is not { label: string, score: number }`);
    }
    if (p.score < 0 || p.score > 1) {
      throw upstreamError(`${WHAT}: ${where} holds a score outside [0, 1]; do not enable raw_scores`);
    }
    return { label: p.label, score: p.score };
  });
}

/** A classifier over a TEI-style `/predict` endpoint. */
export function createTextClassificationClassifier(options: TextClassificationOptions): TextClassificationClassifier {
  const path = options.path ?? '/predict';
  if (path !== '' && !path.startsWith('/')) throw configError(`${WHAT}: path must start with '/' (or be '')`);
  const url = endpointUrl(options.baseUrl, path, '', WHAT);
  const http = resolveHttp(options, WHAT);
  const task = checkTask(options.task, WHAT);
  if (!Array.isArray(options.positiveLabels) || options.positiveLabels.length === 0) {
    throw configError(`${WHAT}: positiveLabels must list at least one label (e.g. ['INJECTION', 'JAILBREAK'])`);
  }
  const positive = new Set(options.positiveLabels.map((l) => l.toLowerCase()));
  const negative = new Set((options.negativeLabels ?? []).map((l) => l.toLowerCase()));
  for (const label of negative) {
    if (positive.has(label)) throw configError(`${WHAT}: label '${label}' is both positive and negative`);
  }
  const aggregate = options.aggregate ?? 'sum';
  if (aggregate !== 'sum' && aggregate !== 'max') throw configError(`${WHAT}: aggregate must be 'sum' or 'max'`);
  const window = options.window ?? { chars: 2000, overlap: 200 };
  if (
    window !== false &&
    (!Number.isInteger(window.chars) ||
      window.chars < 1 ||
      !Number.isInteger(window.overlap) ||
      window.overlap < 0 ||
      window.overlap >= window.chars)
  ) {
    throw configError(`${WHAT}: window needs integers chars ≥ 1 and 0 ≤ overlap < chars`);
  }
  const maxBatch = options.maxBatch ?? 32;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw configError(`${WHAT}: maxBatch must be a positive integer`);
  const threshold = checkThreshold(options.threshold, WHAT);
  const id = options.id ?? `text-classification:${options.model ?? new URL(url).host}`;
  // Keyed by the lower-cased label, as positiveLabels match: a map written `{ JAILBREAK: … }` found nothing
  // for a server that answers `jailbreak`, so a positive answer came back with `categories: []`. Own keys
  // only, so a label such as `constructor` is not read from Object.prototype.
  const categoryMap =
    options.categoryMap === undefined
      ? undefined
      : new Map(Object.entries(options.categoryMap).map(([label, cats]) => [label.toLowerCase(), cats]));
  const categoriesOf = (label: string): readonly string[] =>
    categoryMap === undefined ? [label] : (categoryMap.get(label.toLowerCase()) ?? []);

  /** Combined positive probability of one window's predictions. */
  function positiveScore(predictions: Prediction[]): number {
    // With negativeLabels the configuration names every label the model has: a label in neither list is one
    // nothing maps (another model, or a label left out), and its probability was dropped unseen, so an
    // answer whose top label was unmapped could score 0.
    if (negative.size > 0) {
      const unmapped = predictions.find(
        (p) => !positive.has(p.label.toLowerCase()) && !negative.has(p.label.toLowerCase()),
      );
      if (unmapped !== undefined) {
        throw configError(
          `${WHAT}: the model answered label '${unmapped.label.slice(0, 40)}', which is in neither positiveLabels ` +
            `(${[...positive].join(', ')}) nor negativeLabels (${[...negative].join(', ')}); list every id2label name in one of them`,
        );
      }
    }
    const hits = predictions.filter((p) => positive.has(p.label.toLowerCase()));
    if (hits.length === 0) {
      if (negative.size > 0 && predictions.every((p) => negative.has(p.label.toLowerCase()))) return 0;
      const labels = predictions
        .slice(0, 12)
        .map((p) => p.label.slice(0, 40))
        .join(', ');
      throw configError(
        `${WHAT}: none of positiveLabels (${[...positive].join(', ')}) is among the model's labels (${labels}); ` +
          "set positiveLabels to the model's id2label names",
      );
    }
    if (aggregate === 'max') return Math.max(...hits.map((p) => p.score));
    return Math.min(
      1,
      hits.reduce((sum, p) => sum + p.score, 0),
    );
  }

  async function predict(inputs: string[], signal: AbortSignal | undefined): Promise<Prediction[][]> {
    const body: Record<string, unknown> = { inputs: inputs.length === 1 ? inputs[0] : inputs };
    if (options.truncate) body.truncate = true;
    const json = await postJson(http, url, body, WHAT, signal);
    if (inputs.length === 1) {
      // One text: `[{label, score}]`, or `[[{label, score}]]` as the HF Inference API nests it.
      const list = Array.isArray(json) && json.length === 1 && Array.isArray(json[0]) ? json[0] : json;
      return [readPredictions(list, 'the answer')];
    }
    if (!Array.isArray(json) || json.length !== inputs.length) {
      throw upstreamError(
        `${WHAT}: a batch of ${inputs.length} texts got an answer that is not ${inputs.length} lists`,
      );
    }
    return json.map((list, i) => readPredictions(list, `answer ${i}`));
  }

  return {
    id,
    task,
    threshold,
    async classify(text: string, classifyOptions: ClassifyOptions = {}) {
      if (typeof text !== 'string') throw inputError(WHAT, 'text must be a string');
      const t = checkThreshold(classifyOptions.threshold ?? threshold, WHAT);
      const spans =
        window === false ? [{ start: 0, end: text.length }] : textWindows(text, window.chars, window.overlap);
      let worst = { score: -1, index: 0, predictions: [] as Prediction[] };
      for (let from = 0; from < spans.length; from += maxBatch) {
        const batch = spans.slice(from, from + maxBatch).map((s) => text.slice(s.start, s.end));
        const answers = await predict(batch, classifyOptions.signal);
        answers.forEach((predictions, i) => {
          const score = positiveScore(predictions);
          if (score > worst.score) worst = { score, index: from + i, predictions };
        });
      }
      const score = worst.score;
      const label = score >= t;
      const labels = Object.fromEntries(worst.predictions.map((p) => [p.label, p.score]));
      const hits = worst.predictions
        .filter((p) => positive.has(p.label.toLowerCase()))
        .sort((a, b) => b.score - a.score);
      const categoryScores: Record<string, number> = {};
      for (const p of hits) {
        for (const c of categoriesOf(p.label)) {
          categoryScores[c] = Math.max(categoryScores[c] ?? 0, p.score);
        }
      }
      let categories: string[] = [];
      if (label) {
        const named = hits.filter((p) => p.score >= t);
        const chosen = named.length > 0 ? named : hits.slice(0, 1);
        const mapped = chosen.flatMap((p) => categoriesOf(p.label));
        categories = [...new Set(mapped)];
      }
      const result: TextClassificationResult = {
        task,
        score,
        label,
        categories,
        categoryScores,
        threshold: t,
        source: id,
        labels,
      };
      if (spans.length > 1) result.span = { ...spans[worst.index]! };
      return result;
    },
  };
}
