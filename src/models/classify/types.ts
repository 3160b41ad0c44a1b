import { LifeguardError } from '../../core/errors.js';
import type { HazardCode } from '../../core/taxonomy.js';

/** The judgements Lifeguard's classifiers make. */
export const CLASSIFIER_TASKS = ['injection', 'harmful', 'toxicity', 'refusal'] as const;
export type ClassifierTask = (typeof CLASSIFIER_TASKS)[number];

/** Toxicity sub-categories (from the moderation and hate-speech data). */
export const TOXICITY_CATEGORIES = ['hate', 'harassment', 'profanity', 'sexual', 'violence', 'self-harm'] as const;
export type ToxicityCategory = (typeof TOXICITY_CATEGORIES)[number];

/** Half-open span `[start, end)` in UTF-16 code units of the original text. */
export interface TextSpan {
  start: number;
  end: number;
}

/** What any classifier, local or external, answers about one text. */
export interface ClassifyResult {
  task: ClassifierTask;
  /** Probability of the positive class (injection / harmful / toxic / refusal), calibrated, in [0, 1]. */
  score: number;
  /** `score >= threshold` at the classifier's operating point. */
  label: boolean;
  /** Multi-label categories that apply: hazard codes (`S2`) for `harmful`, {@link ToxicityCategory} for `toxicity`. */
  categories?: string[];
  /** Per-category probabilities, when the classifier produces them. */
  categoryScores?: Record<string, number>;
  /** `refusal` only: the answer refuses part of the request and complies with the rest. */
  partial?: boolean;
  /** Long texts are scored by windows: the worst window, in the original text. */
  span?: TextSpan;
  /** The threshold `label` was decided at. */
  threshold: number;
  /** Who answered: `local:injection@1`, `llama-guard:<model>`, `cascade(local→llama-guard)`, … */
  source: string;
}

export interface ClassifyOptions {
  /** Override the operating-point threshold. */
  threshold?: number;
  /** Local models: score by windows of this many characters instead of the model's own. */
  window?: number;
  /**
   * Local models trained to read a short text's sentences on their own (`harmful`): whether to (default: true).
   * Meant for requests, where a wrapper dilutes the ask; the guard turns it off for answers, whose sentences
   * read alone look like requests more often than the answer does.
   */
  sentences?: boolean;
  /** Abort an external call. */
  signal?: AbortSignal;
}

/** The one interface local models, external backends and cascades share. */
export interface Classifier {
  readonly id: string;
  readonly task: ClassifierTask;
  /** The default operating-point threshold on `score`. */
  readonly threshold: number;
  classify(text: string, options?: ClassifyOptions): Promise<ClassifyResult>;
}

/** Local classifiers answer synchronously too (microseconds; no I/O). */
export interface LocalClassifier extends Classifier {
  classifySync(text: string, options?: ClassifyOptions): ClassifyResult;
}

export type { HazardCode };

/**
 * The operating point: `value` (default 0.5) checked to be in [0, 1], for the local classifiers and every
 * backend alike. A NaN threshold made every label false (fail-open), one outside [0, 1] every label the same.
 */
export function checkThreshold(value: number | undefined, what: string): number {
  const t = value ?? 0.5;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 1) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${what}: threshold must be a number in [0, 1] (got ${t})`);
  }
  return t;
}
