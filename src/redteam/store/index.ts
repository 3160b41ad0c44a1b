/** The run log (append-only SQLite per run) and the response cache shared across runs. */
export { ResponseCache } from './cache.js';
export {
  type ItemRow,
  type RequestRow,
  RUN_LOG_VERSION,
  type RunState,
  RunStore,
  type VerdictRow,
} from './run-store.js';
