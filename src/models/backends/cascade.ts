/**
 * A cascade: the local classifier answers everything it is sure about; only a local score inside the
 * uncertain band `[lo, hi]` (both ends included) goes to the external classifier. When the external call
 * fails, `onExternalError` decides: `fail-open` keeps the local answer, `fail-closed` sets `label: true`.
 * Either way the result carries the `error`, and `onError` (if given) is called; the caller's own abort
 * is never swallowed.
 */
import { LifeguardError } from '../../core/errors.js';
import type { Classifier, ClassifyOptions, ClassifyResult } from '../classify/types.js';
import { configError } from './http.js';

export interface CascadeOptions {
  /** Answers first; usually a `LocalClassifier` (microseconds, no I/O). */
  local: Classifier;
  /** Asked only when the local score is inside `uncertain`. Must have the same task. */
  external: Classifier;
  /** `[lo, hi]` on the local score, `0 ≤ lo ≤ hi ≤ 1`, both ends included. */
  uncertain: readonly [number, number];
  /** What to do when the external classifier fails. Default `fail-open` (the local answer stands). */
  onExternalError?: 'fail-open' | 'fail-closed';
  /** Called with every external failure (for metrics or alerts); the result reports it as well. */
  onError?: (error: unknown) => void;
  /** Classifier id. Default `cascade(<local id>→<external id>)`. */
  id?: string;
}

export interface CascadeError {
  /** The `LifeguardError` code, or `LG_ERR_UPSTREAM` for another error. */
  code: string;
  message: string;
  retryable: boolean;
}

export interface CascadeResult extends ClassifyResult {
  /**
   * Who decided: `local` (score outside the band), `external`, or, after an external failure,
   * `fail-open` (the local answer) or `fail-closed` (`label` forced to true; `score` stays the local one).
   */
  decidedBy: 'local' | 'external' | 'fail-open' | 'fail-closed';
  /** The local answer (always computed). */
  local: ClassifyResult;
  /** The external answer, when it was asked and answered. */
  external?: ClassifyResult;
  /** Why the external classifier did not answer. */
  error?: CascadeError;
}

export interface CascadeClassifier extends Classifier {
  classify(text: string, options?: ClassifyOptions): Promise<CascadeResult>;
}

function describe(error: unknown): CascadeError {
  if (LifeguardError.isInstance(error)) return { code: error.code, message: error.message, retryable: error.retryable };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'LG_ERR_UPSTREAM', message, retryable: false };
}

/**
 * `promise`, or the caller's abort reason as soon as `signal` aborts: an external classifier that ignores
 * the signal (any `Classifier` may be plugged in) kept the cascade waiting after the caller gave up.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => {}); // its own rejection (often the same abort) is not an unhandled one
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Local first, external only inside the uncertain band. */
export function createCascade(options: CascadeOptions): CascadeClassifier {
  const { local, external } = options;
  if (local === undefined || external === undefined) throw configError('cascade: local and external are required');
  if (local.task !== external.task) {
    throw configError(`cascade: local (${local.task}) and external (${external.task}) classifiers differ in task`);
  }
  const [lo, hi] = options.uncertain ?? [];
  if (
    typeof lo !== 'number' ||
    typeof hi !== 'number' ||
    !Number.isFinite(lo) ||
    !Number.isFinite(hi) ||
    lo < 0 ||
    hi > 1 ||
    lo > hi
  ) {
    throw configError(`cascade: uncertain must be [lo, hi] with 0 ≤ lo ≤ hi ≤ 1 (got [${lo}, ${hi}])`);
  }
  const failMode = options.onExternalError ?? 'fail-open';
  if (failMode !== 'fail-open' && failMode !== 'fail-closed') {
    throw configError("cascade: onExternalError must be 'fail-open' or 'fail-closed'");
  }
  const id = options.id ?? `cascade(${local.id}→${external.id})`;

  return {
    id,
    task: local.task,
    threshold: local.threshold,
    async classify(text: string, classifyOptions: ClassifyOptions = {}) {
      const localResult = await local.classify(text, classifyOptions);
      if (localResult.score < lo || localResult.score > hi) {
        return { ...localResult, source: `cascade(${localResult.source})`, decidedBy: 'local', local: localResult };
      }
      let externalResult: ClassifyResult;
      try {
        externalResult = await untilAborted(external.classify(text, classifyOptions), classifyOptions.signal);
      } catch (error) {
        // The caller asked to stop: that is not the external classifier failing.
        if (classifyOptions.signal?.aborted) throw error;
        options.onError?.(error);
        return {
          ...localResult,
          label: failMode === 'fail-closed' ? true : localResult.label,
          source: `cascade(${localResult.source}→${external.id} failed, ${failMode})`,
          decidedBy: failMode,
          local: localResult,
          error: describe(error),
        };
      }
      return {
        ...externalResult,
        source: `cascade(${localResult.source}→${externalResult.source})`,
        decidedBy: 'external',
        local: localResult,
        external: externalResult,
      };
    },
  };
}
