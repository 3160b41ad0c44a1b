/**
 * `lifeguard/redteam`: attack, judge and score model endpoints, and replay published results offline.
 * Each area keeps its own index (targets, goals, attacks, judges, runner, report); this is the public surface.
 */
export * from './attacks/index.js';
export {
  BudgetSchema,
  configHash,
  loadRedteamConfig,
  OutputSchema,
  PricingSchema,
  parseRedteamConfig,
  RateLimitSchema,
  type RedteamConfig,
  type RedteamConfigInput,
  RedteamConfigSchema,
  RetrySchema,
  RunnerSchema,
  redteamConfigJsonSchema,
  resolvePaths,
} from './config.js';
export * from './converters/index.js';
export * from './goals/index.js';
export * from './judges/index.js';
export * from './metrics/index.js';
export * from './replay/index.js';
export * from './report/index.js';
export * from './runner/index.js';
export { REDTEAM_STARTER_CONFIG, redteamStarterConfig } from './starter.js';
export * from './store/index.js';
export * from './targets/index.js';
export { isToolCallAnswer, isToolCallText, toolCallText } from './tool-calls.js';
export type * from './types.js';
