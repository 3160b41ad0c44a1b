import { LifeguardError } from '../../core/errors.js';

/**
 * An endpoint said no or could not be reached. `retryable` for 429, 408, 5xx and network errors;
 * `retryAfterMs` carries the endpoint's `Retry-After` / `retry-after-ms` so the runner's backoff honours it.
 */
export class UpstreamError extends LifeguardError {
  /** HTTP status, when the endpoint answered. */
  readonly status?: number;
  /** How long the endpoint asked us to wait before retrying, ms. */
  readonly retryAfterMs?: number;
  /** The caller's signal aborted the request (a stop, not a failure of the endpoint). */
  readonly aborted: boolean;

  constructor(
    message: string,
    options: { cause?: unknown; retryable?: boolean; status?: number; retryAfterMs?: number; aborted?: boolean } = {},
  ) {
    super('LG_ERR_UPSTREAM', message, { cause: options.cause, retryable: options.retryable });
    this.name = 'UpstreamError';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.aborted = options.aborted ?? false;
  }
}

/** `retryAfterMs` of an error when it carries one (works across package copies: duck-typed). */
export function retryAfterOf(e: unknown): number | undefined {
  const v = (e as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** Whether an error says a retry may succeed. */
export function isRetryable(e: unknown): boolean {
  return LifeguardError.isInstance(e) && e.retryable;
}

/** Retry-After as ms: `retry-after-ms`, else `Retry-After` in seconds or as an HTTP date; undefined when absent/bad. */
export function parseRetryAfter(
  retryAfter: string | string[] | undefined,
  retryAfterMs?: string | string[] | undefined,
  now = Date.now(),
): number | undefined {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim();
  const ms = one(retryAfterMs);
  if (ms && /^\d+(?:\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  const ra = one(retryAfter);
  if (!ra) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(ra)) return Math.round(Number(ra) * 1000);
  if (ra.length > 64) return undefined;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Whether an HTTP status is worth retrying. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status === 409 || status >= 500;
}
