/**
 * The red-team runner: goals × attacks × repeats through the target (cache, rate limit, retries,
 * budgets), judged, logged append-only in `run.sqlite` so an interrupted run resumes where it stopped.
 */
export {
  Budget,
  BudgetExceeded,
  backoffMs,
  RateLimiter,
  type RequestRole,
  type Spend,
  Stopped,
  sleep,
} from './limits.js';
export { type ReportHooks, writeOutputs } from './outputs.js';
export { itemKey, itemSeed, type PlannedItem, planItems, requestHash } from './plan.js';
export {
  collectResults,
  DEFAULT_CACHE_PATH,
  type RunCounts,
  type RunOptions,
  type RunOutcome,
  type RunProgress,
  runRedteam,
} from './run.js';
