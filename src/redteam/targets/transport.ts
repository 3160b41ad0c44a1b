import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Agent, errors as undiciErrors } from 'undici';
import { parseRetryAfter, retryableStatus, UpstreamError } from './errors.js';

/** The largest answer body read from an endpoint. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

let shared: Agent | undefined;

/**
 * One keep-alive connection pool per origin for every target in the process (undici `Agent`): at
 * concurrency 64 against a fast endpoint, plain `fetch` spends most of its time in web streams.
 */
export function sharedAgent(): Agent {
  shared ??= new Agent({
    connections: 256,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    maxResponseSize: MAX_RESPONSE_BYTES,
  });
  return shared;
}

/** Closes the shared pool (idle sockets would otherwise keep it until their keep-alive runs out). */
export async function closeTargetConnections(): Promise<void> {
  const a = shared;
  shared = undefined;
  if (a) await a.close().catch(() => {});
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpSend {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Wait this long for the headers and between body chunks. */
  timeoutMs: number;
  /**
   * The whole exchange, body read to its end, within this long: `timeoutMs` alone never fires on an endpoint
   * that sends a byte every few seconds. Unset: no deadline.
   */
  deadlineMs?: number;
  signal?: AbortSignal;
}

/**
 * Sends one request and reads the whole answer. Non-2xx answers, timeouts and network failures throw an
 * `UpstreamError` (retryable for 429 / 408 / 5xx / network, with Retry-After carried); `label` names the
 * target in messages. The API key never appears in a message.
 */
export async function sendHttp(label: string, url: URL, init: HttpSend): Promise<HttpReply> {
  if (init.deadlineMs === undefined) return exchange(label, url, init, init.signal, () => false);
  // One controller per request, aborted by the deadline or by the caller's signal; the timer and the listener
  // are removed when the exchange ends (AbortSignal.any keeps its sources alive on Node 20).
  const ctl = new AbortController();
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    ctl.abort(new DOMException('deadline', 'TimeoutError'));
  }, init.deadlineMs);
  const forward = () => ctl.abort(init.signal?.reason);
  if (init.signal?.aborted) forward();
  else init.signal?.addEventListener('abort', forward, { once: true });
  try {
    return await exchange(label, url, init, ctl.signal, () => late && !init.signal?.aborted);
  } finally {
    clearTimeout(timer);
    init.signal?.removeEventListener('abort', forward);
  }
}

async function exchange(
  label: string,
  url: URL,
  init: HttpSend,
  signal: AbortSignal | undefined,
  pastDeadline: () => boolean,
): Promise<HttpReply> {
  const failed = (e: unknown) =>
    pastDeadline()
      ? new UpstreamError(`${label}: no complete answer within deadlineMs (${init.deadlineMs} ms) (will retry)`, {
          cause: e,
          retryable: true,
        })
      : networkError(label, e, init.signal);
  let res: Awaited<ReturnType<Agent['request']>>;
  try {
    res = await sharedAgent().request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: init.method as 'POST',
      headers: init.headers,
      body: init.body,
      signal,
      headersTimeout: init.timeoutMs,
      bodyTimeout: init.timeoutMs,
    });
  } catch (e) {
    throw failed(e);
  }
  let body: string;
  const encoding = res.headers['content-encoding'];
  try {
    body = encoding === undefined ? await res.body.text() : decodeBody(label, encoding, await res.body.arrayBuffer());
  } catch (e) {
    if (!(e instanceof UpstreamError)) throw failed(e);
    // an undecodable error body must not hide the status (a 503 stays retryable)
    if (res.statusCode >= 200 && res.statusCode < 300) throw e;
    body = '';
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const retryable = retryableStatus(res.statusCode);
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], res.headers['retry-after-ms']);
    throw new UpstreamError(
      `${label}: endpoint answered HTTP ${res.statusCode}${errorDetail(body)}${retryable ? ' (will retry)' : ''}`,
      { status: res.statusCode, retryable, retryAfterMs },
    );
  }
  return { status: res.statusCode, headers: res.headers, body };
}

function networkError(label: string, e: unknown, signal: AbortSignal | undefined): UpstreamError {
  if (signal?.aborted || (e as Error)?.name === 'AbortError') {
    return new UpstreamError(`${label}: request aborted`, { cause: e, aborted: true });
  }
  const timeout =
    e instanceof undiciErrors.HeadersTimeoutError ||
    e instanceof undiciErrors.BodyTimeoutError ||
    e instanceof undiciErrors.ConnectTimeoutError;
  if (e instanceof undiciErrors.ResponseExceededMaxSizeError) {
    return new UpstreamError(`${label}: answer larger than ${MAX_RESPONSE_BYTES} bytes`, { cause: e });
  }
  const code = (e as { code?: string })?.code;
  const what = timeout ? 'timed out' : `could not be reached (${code ?? (e as Error)?.message ?? 'network error'})`;
  return new UpstreamError(`${label}: endpoint ${what} (will retry)`, { cause: e, retryable: true });
}

/** A short, safe excerpt of an error body: the OpenAI-style `error.message` when there is one. */
function errorDetail(body: string): string {
  if (!body) return '';
  let msg: string | undefined;
  try {
    const j = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof j?.error === 'string' ? j.error : (j?.error?.message ?? j?.message);
    if (typeof m === 'string') msg = m;
  } catch {
    msg = body;
  }
  if (!msg) return '';
  const one = msg.replace(/\s+/g, ' ').trim();
  return `: ${one.length > 200 ? `${one.slice(0, 200)}…` : one}`;
}

/**
 * The body as text, undoing `Content-Encoding` (undici's `request` does not; a server or proxy that
 * compresses unasked would otherwise read as "not JSON"). Decompressed size is bounded like the body.
 */
function decodeBody(label: string, header: string | string[], raw: ArrayBuffer): string {
  let buf = Buffer.from(raw);
  const codings = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  const opts = { maxOutputLength: MAX_RESPONSE_BYTES };
  // codings are listed in the order they were applied: undo them last first
  for (const coding of codings.reverse()) {
    try {
      if (coding === 'gzip' || coding === 'x-gzip') buf = gunzipSync(buf, opts);
      else if (coding === 'deflate') buf = inflateSync(buf, opts);
      else if (coding === 'br') buf = brotliDecompressSync(buf, opts);
      else throw new UpstreamError(`${label}: the answer is encoded as "${coding}", which is not supported`);
    } catch (e) {
      if (e instanceof UpstreamError) throw e;
      throw new UpstreamError(`${label}: could not decode the ${coding}-encoded answer (${(e as Error).message})`);
    }
  }
  return buf.toString('utf8');
}
