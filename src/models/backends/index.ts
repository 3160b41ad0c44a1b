/**
 * External classifier backends behind the shared `Classifier` contract (`../classify/types.ts`):
 * Llama Guard 3 over OpenAI-compatible chat completions, OpenAI-compatible moderation, TEI-style
 * sequence classifiers (Prompt Guard), and a local → external cascade. See docs/classifier-backends.md.
 *
 * To add a backend: a `create…Classifier(options)` factory in its own file that takes `HttpOptions`,
 * posts through `postJson` (timeouts, retries, errors without texts or keys), maps the upstream
 * taxonomy with a `CategoryMap`, and is tested against a local server speaking the real protocol.
 */
export {
  type CascadeClassifier,
  type CascadeError,
  type CascadeOptions,
  type CascadeResult,
  createCascade,
} from './cascade.js';
export type { HttpOptions } from './http.js';
export {
  buildLlamaGuardPrompt,
  createLlamaGuardClassifier,
  LLAMA_GUARD_3_CATEGORIES,
  LLAMA_GUARD_3_TEMPLATE,
  LLAMA_GUARD_TOXICITY_MAP,
  type LlamaGuardClassifier,
  type LlamaGuardClassifyOptions,
  type LlamaGuardOptions,
  type LlamaGuardResult,
  parseLlamaGuardAnswer,
  unsafeProbability,
} from './llama-guard.js';
export {
  createOpenAIModerationClassifier,
  MODERATION_HAZARD_MAP,
  MODERATION_TOXICITY_MAP,
  type ModerationClassifier,
  type ModerationResult,
  type OpenAIModerationOptions,
} from './openai-moderation.js';
export {
  createTextClassificationClassifier,
  type TextClassificationClassifier,
  type TextClassificationOptions,
  type TextClassificationResult,
  textWindows,
} from './text-classification.js';
export type { CategoryMap, ChatMessage } from './types.js';
