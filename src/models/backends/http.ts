/**
 * The one HTTP path every external backend uses: JSON POST with a total time budget, bounded retries
 * with backoff on 429 / 5xx / network errors, a cap on the response size, and errors that never carry
 * the texts sent or the credentials (only the HTTP status, the endpoint without its query, and short
 * upstream error codes).
 */
import { LifeguardError } from '../../core/errors.js';
import { CLASSIFIER_TASKS, type ClassifierTask } from '../classify/types.js';

/** Connection options shared by every external backend. */
export interface HttpOptions {
  /** API key, sent as `Authorization: Bearer <key>`. Takes precedence over `apiKeyEnv`. */
  apiKey?: string;
  /** Name of an environment variable that holds the API key (read once, when the classifier is created). */
  apiKeyEnv?: string;
  /** Extra request headers (they override the defaults, `Authorization` included). Never logged. */
  headers?: Record<string, string>;
  /**
   * Budget for one request, retries and backoff included, in ms. Default 10 000. (A long text that the
   * text-classification backend sends in several batches gets it per batch.)
   */
  timeoutMs?: number;
  /** Retries after a 408, 429, 5xx or network error. Default 2 (so at most 3 attempts); 0 disables them. */
  maxRetries?: number;
  /** First backoff delay in ms, doubled on each retry, with full jitter, capped at 4 s. Default 250. */
  retryDelayMs?: number;
  /** The fetch to use (default: Node's global `fetch`), e.g. one that goes through a proxy. */
  fetch?: typeof fetch;
}

export interface ResolvedHttp {
  readonly headers: Headers;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly fetch: typeof fetch;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 2;
const DEFAULT_RETRY_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 4_000;
/** The longest delay a Node timer (and so `AbortSignal.timeout`) accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Classifier answers are small; anything bigger is a wrong endpoint or a hostile one. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export function configError(message: string): LifeguardError {
  return new LifeguardError('LG_ERR_CONFIG_INVALID', message);
}

export function upstreamError(message: string, retryable = false, cause?: unknown): LifeguardError {
  return new LifeguardError('LG_ERR_UPSTREAM', message, { retryable, cause });
}

export function inputError(what: string, message: string): LifeguardError {
  return new LifeguardError('LG_ERR_INPUT_INVALID', `${what}: ${message}`);
}

/** `task` checked against the classifier tasks. */
export function checkTask(task: unknown, what: string): ClassifierTask {
  if (!CLASSIFIER_TASKS.includes(task as ClassifierTask)) {
    throw configError(`${what}: unknown task '${String(task)}'; valid tasks: ${CLASSIFIER_TASKS.join(', ')}`);
  }
  return task as ClassifierTask;
}

export { checkThreshold } from '../classify/types.js';

/** Checks and freezes the connection options; reads the API key from the environment when asked to. */
export function resolveHttp(options: HttpOptions, what: string): ResolvedHttp {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Node's timers hold at most 2^31 − 1 ms: a larger budget became 1 ms (every call "timed out" at once)
  // or, from 2^32 ms, a RangeError from AbortSignal.timeout instead of a LifeguardError.
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMER_MS) {
    throw configError(
      `${what}: timeoutMs must be a positive number of milliseconds up to ${MAX_TIMER_MS} (got ${timeoutMs})`,
    );
  }
  const maxRetries = options.maxRetries ?? DEFAULT_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) {
    throw configError(`${what}: maxRetries must be an integer from 0 to 10 (got ${maxRetries})`);
  }
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  if (!Number.isFinite(retryDelayMs) || retryDelayMs < 0) {
    throw configError(`${what}: retryDelayMs must be a non-negative number (got ${retryDelayMs})`);
  }
  let apiKey = options.apiKey;
  if (apiKey === undefined && options.apiKeyEnv !== undefined) {
    apiKey = process.env[options.apiKeyEnv];
    if (apiKey === undefined || apiKey === '') {
      throw configError(`${what}: the environment variable ${options.apiKeyEnv} (apiKeyEnv) is not set or empty`);
    }
  }
  const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json' });
  if (apiKey !== undefined && apiKey !== '') headers.set('authorization', `Bearer ${apiKey}`);
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
  const f = options.fetch ?? globalThis.fetch;
  if (typeof f !== 'function') throw configError(`${what}: no fetch available (Node ≥ 20.19 has a global fetch)`);
  return { headers, timeoutMs, maxRetries, retryDelayMs, fetch: f };
}

/**
 * The endpoint URL for `baseUrl`: `suffix` is appended unless the path already ends with it; a bare
 * origin gets `rootPrefix` first (`http://host:8000` → `http://host:8000/v1/chat/completions`, while
 * `https://api.example.com/v1` → `…/v1/chat/completions`).
 */
export function endpointUrl(baseUrl: string, suffix: string, rootPrefix: string, what: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw configError(`${what}: baseUrl is not a valid URL (expected e.g. http://localhost:8000/v1)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(`${what}: baseUrl must be an http or https URL (got ${url.protocol})`);
  }
  let path = url.pathname.replace(/\/+$/, '');
  if (suffix !== '' && !path.endsWith(suffix)) path = (path === '' ? rootPrefix : path) + suffix;
  url.pathname = path === '' ? '/' : path;
  return url.toString();
}

/** The URL as it may appear in an error message: no credentials, no query, no fragment. */
export function safeUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** `Retry-After` in ms (seconds or an HTTP date), if present and sane. */
function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function backoffMs(attempt: number, base: number): number {
  return Math.random() * Math.min(MAX_RETRY_DELAY_MS, base * 2 ** attempt);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function readCapped(response: Response, what: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw upstreamError(`${what}: response of ${declared} bytes is over the ${MAX_RESPONSE_BYTES}-byte limit`);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw upstreamError(`${what}: response is over the ${MAX_RESPONSE_BYTES}-byte limit`);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** Short identifier-like upstream error codes (`rate_limit_exceeded`, `Validation`); never free text. */
async function upstreamCode(response: Response): Promise<string | undefined> {
  let body: string;
  try {
    body = await readCapped(response, '');
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const inner = isObject(parsed.error) ? parsed.error : parsed;
  for (const key of ['code', 'type', 'error_type']) {
    const value = inner[key];
    if (typeof value === 'string' && /^[\w./-]{1,64}$/.test(value)) return value;
  }
  return undefined;
}

function statusMessage(
  status: number,
  url: string,
  code: string | undefined,
  attempts: number,
  hint: string | undefined,
): string {
  const detail = code === undefined ? `HTTP ${status}` : `HTTP ${status}, ${code}`;
  const where = `${safeUrl(url)} answered ${detail}`;
  if (status === 401 || status === 403) return `${where}: the credentials were rejected; check apiKey / apiKeyEnv`;
  if (status === 404) return `${where}: check baseUrl (and the model name)`;
  if (status === 413) return `${where}: the input is too large for this endpoint`;
  if (status === 429) return `${where} (rate limited) after ${attempts} attempt(s)`;
  if (status >= 500) return `${where} (server error) after ${attempts} attempt(s)`;
  return `${where}: the request was rejected; check the model name and the options this server supports${hint ? ` (${hint})` : ''}`;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * POSTs `body` as JSON and returns the parsed JSON answer. Rejects with a `LifeguardError`
 * (`LG_ERR_UPSTREAM`; `retryable` set for timeouts, 408, 429, 5xx and network errors), or with the
 * caller's abort reason when `signal` aborts.
 */
export async function postJson(
  http: ResolvedHttp,
  url: string,
  body: unknown,
  what: string,
  signal?: AbortSignal,
  /** Appended to the message of a 400 / 422 rejection, e.g. an option the server may not support. */
  rejectionHint?: string,
): Promise<unknown> {
  const deadline = AbortSignal.timeout(http.timeoutMs);
  const combined = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
  const payload = JSON.stringify(body);
  const started = Date.now();
  const timeout = (cause?: unknown) =>
    upstreamError(
      `${what}: no answer from ${safeUrl(url)} within ${http.timeoutMs} ms (timeoutMs); the endpoint is slow or unreachable`,
      true,
      cause,
    );
  // Why the call stopped: the caller's abort wins over our deadline.
  const stopped = (cause?: unknown): unknown => {
    if (signal?.aborted) return signal.reason;
    return timeout(cause);
  };

  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await http.fetch(url, { method: 'POST', headers: http.headers, body: payload, signal: combined });
    } catch (err) {
      if (combined.aborted) throw stopped();
      const error = upstreamError(
        `${what}: could not reach ${safeUrl(url)} (${networkCode(err)}) after ${attempt + 1} attempt(s)`,
        true,
        err,
      );
      if (attempt >= http.maxRetries) throw error;
      await pause(backoffMs(attempt, http.retryDelayMs), combined, stopped);
      continue;
    }

    if (response.ok) {
      let text: string;
      try {
        text = await readCapped(response, what);
      } catch (err) {
        if (combined.aborted) throw stopped();
        if (LifeguardError.isInstance(err)) throw err;
        throw upstreamError(`${what}: the connection broke while reading the answer`, true, err);
      }
      try {
        return JSON.parse(text);
      } catch {
        throw upstreamError(`${what}: ${safeUrl(url)} answered HTTP ${response.status} with a body that is not JSON`);
      }
    }

    const retryable = isRetryableStatus(response.status);
    const retryAfter = retryAfterMs(response);
    const code = await upstreamCode(response);
    // Prefixed with the backend, as every other error is: `http://…/predict answered HTTP 503` alone did
    // not say which backend of a cascade or a guard policy failed.
    const error = upstreamError(
      `${what}: ${statusMessage(response.status, url, code, attempt + 1, rejectionHint)}`,
      retryable,
    );
    if (!retryable || attempt >= http.maxRetries) throw error;
    const delay = retryAfter ?? backoffMs(attempt, http.retryDelayMs);
    // Waiting past the budget only to time out helps nobody: report the upstream error now.
    if (Date.now() - started + delay >= http.timeoutMs) throw error;
    await pause(delay, combined, stopped);
  }
}

async function pause(ms: number, signal: AbortSignal, stopped: () => unknown): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch {
    throw stopped();
  }
}

function networkCode(err: unknown): string {
  const cause = isObject(err) && isObject(err.cause) ? err.cause : undefined;
  const code = cause?.code;
  if (typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code)) return code;
  return 'network error';
}
