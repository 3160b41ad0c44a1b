/**
 * OpenAI's `/v1/moderations` (and servers that copy it): request `{ input, model }`, answer
 * `results[0].{flagged, categories, category_scores}` with OpenAI's category names. The scores are
 * mapped onto our task (toxicity categories, or MLCommons hazard codes for `harmful`); `score` is the
 * highest mapped score. OpenAI's own `flagged` decision is reported next to ours, never used for `label`.
 */
import { MLCOMMONS_HAZARDS } from '../../core/taxonomy.js';
import {
  type Classifier,
  type ClassifierTask,
  type ClassifyOptions,
  type ClassifyResult,
  TOXICITY_CATEGORIES,
} from '../classify/types.js';
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

/** OpenAI moderation categories → toxicity categories. `illicit*` are not toxicity. */
export const MODERATION_TOXICITY_MAP: CategoryMap = {
  hate: ['hate'],
  'hate/threatening': ['hate', 'violence'],
  harassment: ['harassment'],
  'harassment/threatening': ['harassment', 'violence'],
  'self-harm': ['self-harm'],
  'self-harm/intent': ['self-harm'],
  'self-harm/instructions': ['self-harm'],
  sexual: ['sexual'],
  'sexual/minors': ['sexual'],
  violence: ['violence'],
  'violence/graphic': ['violence'],
  illicit: [],
  'illicit/violent': [],
};

/**
 * OpenAI moderation categories → MLCommons hazard codes (the Llama Guard 3 numbering). Approximate: the
 * two taxonomies were drawn up separately. `harassment` has no hazard code (it is a toxicity matter);
 * S5–S9, S13 and S14 have no moderation category.
 */
export const MODERATION_HAZARD_MAP: CategoryMap = {
  hate: ['S10'],
  'hate/threatening': ['S10', 'S1'],
  harassment: [],
  'harassment/threatening': ['S1'],
  'self-harm': ['S11'],
  'self-harm/intent': ['S11'],
  'self-harm/instructions': ['S11'],
  sexual: ['S12'],
  'sexual/minors': ['S4'],
  violence: ['S1'],
  'violence/graphic': ['S1'],
  illicit: ['S2'],
  'illicit/violent': ['S1'],
};

export interface OpenAIModerationOptions extends HttpOptions {
  /** e.g. `https://api.openai.com/v1`; `/moderations` is appended. */
  baseUrl: string;
  /** Default `omni-moderation-latest`. */
  model?: string;
  /** `toxicity` or `harmful`. */
  task: ClassifierTask;
  /** Moderation category → result categories; defaults to {@link MODERATION_TOXICITY_MAP} / {@link MODERATION_HAZARD_MAP}. */
  categoryMap?: CategoryMap;
  /** Operating point on `score`. Default 0.5. */
  threshold?: number;
  /** Classifier id (and `source`). Default `openai-moderation:<model>`. */
  id?: string;
}

export interface ModerationResult extends ClassifyResult {
  /** What the moderation endpoint itself decided (over all its categories, with its own thresholds). */
  upstream: { flagged: boolean; categories: string[] };
}

export interface ModerationClassifier extends Classifier {
  classify(text: string, options?: ClassifyOptions): Promise<ModerationResult>;
}

const WHAT = 'OpenAI moderation';

/** A classifier over an OpenAI-compatible moderation endpoint. */
export function createOpenAIModerationClassifier(options: OpenAIModerationOptions): ModerationClassifier {
  const url = endpointUrl(options.baseUrl, '/moderations', '/v1', WHAT);
  const http = resolveHttp(options, WHAT);
  const task = checkTask(options.task, WHAT);
  if (task !== 'toxicity' && task !== 'harmful' && options.categoryMap === undefined) {
    throw configError(
      `${WHAT}: the moderation categories cover the tasks toxicity and harmful; for '${task}' pass a categoryMap`,
    );
  }
  const map = options.categoryMap ?? (task === 'toxicity' ? MODERATION_TOXICITY_MAP : MODERATION_HAZARD_MAP);
  const order: readonly string[] =
    task === 'toxicity' ? TOXICITY_CATEGORIES : task === 'harmful' ? Object.keys(MLCOMMONS_HAZARDS) : [];
  const model = options.model ?? 'omni-moderation-latest';
  const threshold = checkThreshold(options.threshold, WHAT);
  const id = options.id ?? `openai-moderation:${model}`;

  return {
    id,
    task,
    threshold,
    async classify(text: string, classifyOptions: ClassifyOptions = {}) {
      if (typeof text !== 'string') throw inputError(WHAT, 'text must be a string');
      const t = checkThreshold(classifyOptions.threshold ?? threshold, WHAT);
      const json = await postJson(http, url, { input: text, model }, WHAT, classifyOptions.signal);
      const result = isObject(json) && Array.isArray(json.results) ? json.results[0] : undefined;
      if (!isObject(result) || !isObject(result.category_scores)) {
        throw upstreamError(`${WHAT}: the answer has no results[0].category_scores; is ${url} a moderation endpoint?`);
      }
      const scores: Record<string, number> = {};
      let known = 0;
      for (const [name, value] of Object.entries(result.category_scores)) {
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
          throw upstreamError(`${WHAT}: category_scores['${name.slice(0, 40)}'] is not a probability`);
        }
        // Own keys only: a category named `constructor` or `toString` found Object.prototype's function
        // and failed with a bare TypeError ("targets is not iterable") instead of being skipped as unknown.
        const targets = Object.hasOwn(map, name) ? map[name] : undefined;
        if (!Array.isArray(targets)) continue;
        known++;
        for (const target of targets) scores[target] = Math.max(scores[target] ?? 0, value);
      }
      if (known === 0) {
        const names = Object.keys(result.category_scores).slice(0, 12).join(', ');
        throw upstreamError(
          `${WHAT}: none of the categories in the answer (${names || 'none'}) is in the category map; pass a categoryMap`,
        );
      }
      // A category the endpoint flagged but gave no score for cannot be scored: left out, the answer read as
      // "safe" (score 0) while `upstream.flagged` said otherwise. Only categories that count for this task.
      const flags = isObject(result.categories) ? result.categories : {};
      for (const [name, flagged] of Object.entries(flags)) {
        if (flagged !== true || Object.hasOwn(result.category_scores, name)) continue;
        const targets = Object.hasOwn(map, name) ? map[name] : undefined;
        if (Array.isArray(targets) && targets.length > 0) {
          throw upstreamError(
            `${WHAT}: category '${name.slice(0, 40)}' is flagged but has no score in category_scores; the answer cannot be scored`,
          );
        }
      }
      const categoryScores: Record<string, number> = {};
      for (const name of [...order, ...Object.keys(scores).filter((k) => !order.includes(k))]) {
        if (scores[name] !== undefined) categoryScores[name] = scores[name];
      }
      const score = Math.max(0, ...Object.values(categoryScores));
      return {
        task,
        score,
        label: score >= t,
        categories: Object.keys(categoryScores).filter((name) => categoryScores[name]! >= t),
        categoryScores,
        threshold: t,
        source: id,
        upstream: {
          flagged: result.flagged === true,
          categories: Object.keys(flags).filter((name) => flags[name] === true),
        },
      };
    },
  };
}
