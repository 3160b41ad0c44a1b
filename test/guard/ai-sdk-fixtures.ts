import type { LanguageModelV3Usage } from '@ai-sdk/provider';

/** Token usage for mock AI SDK models (the middleware passes it through; tests only need a valid shape). */
export const USAGE: LanguageModelV3Usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 20, text: 20, reasoning: 0 },
};
