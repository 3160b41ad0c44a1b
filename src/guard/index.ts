/** `lifeguard/guard`: the runtime guard — policy, engine, streaming checks. */

export { GuardBlockedError, type LifeguardMiddlewareOptions, lifeguardMiddleware } from './adapters/ai-sdk.js';
export { type GuardedFetchOptions, guardedFetch } from './adapters/openai-fetch.js';
export { buildBackend } from './backends.js';
export {
  type CheckContext,
  createGuard,
  Guard,
  type GuardOptions,
  GuardSession,
  messageText,
  StreamGuard,
} from './engine.js';
export { allowFilter, listDetector } from './lists.js';
export * from './policy.js';
export type * from './types.js';
