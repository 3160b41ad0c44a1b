import { Pool } from 'undici';
import { errors, type OpenAIError } from './openai-errors.js';

/** What the gateway reads of an upstream answer: status, type, body (whole, or as a byte stream). */
export interface UpstreamResponse {
  status: number;
  contentType: string | undefined;
  /** A response header (`retry-after`, …), by its lower-case name. */
  header(name: string): string | undefined;
  text(): Promise<string>;
  /** The body as bytes, as they arrive (SSE). */
  body: AsyncIterable<Uint8Array>;
  /** Stops reading the body (the connection is dropped, not reused). */
  cancel(): void;
}

export interface UpstreamRequest {
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** How the gateway calls its upstream on the hot routes (chat and text completions). */
export interface UpstreamClient {
  request(url: string, init: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

/**
 * Keep-alive connections to the upstream through an undici `Pool` per origin: no per-request
 * WHATWG fetch machinery (Request/Response objects, web streams), the request written in one go.
 */
export function poolUpstream(options: { connections?: number } = {}): UpstreamClient {
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string) => {
    let p = pools.get(origin);
    if (!p) {
      p = new Pool(origin, {
        connections: options.connections ?? 256,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        // The gateway's own timer (upstream.timeoutMs) bounds the call; undici's must not cut in first.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      pools.set(origin, p);
    }
    return p;
  };
  return {
    async request(url, init) {
      const u = new URL(url);
      const res = await poolFor(u.origin).request({
        path: u.pathname + u.search,
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal: init.signal,
      });
      const type = res.headers['content-type'];
      return {
        status: res.statusCode,
        contentType: Array.isArray(type) ? type[0] : type,
        header: (name) => {
          const v = res.headers[name];
          return Array.isArray(v) ? v[0] : v;
        },
        text: () => res.body.text(),
        body: res.body,
        cancel: () => res.body.destroy(),
      };
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.destroy()));
      pools.clear();
    },
  };
}

/** The same through a `fetch` (the in-process adapter and tests inject theirs). */
export function fetchUpstream(doFetch: typeof fetch): UpstreamClient {
  return {
    async request(url, init) {
      const res = await doFetch(url, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal: init.signal,
      });
      const stream = res.body;
      return {
        status: res.status,
        contentType: res.headers.get('content-type') ?? undefined,
        header: (name) => res.headers.get(name) ?? undefined,
        text: () => res.text(),
        body: stream ?? (async function* () {})(),
        cancel: () => {
          stream?.cancel().catch(() => {});
        },
      };
    },
    async close() {},
  };
}

/** Why the gateway gave up on an upstream answer: the error it answers (or sends as an event) and the metrics outcome. */
export class UpstreamFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: OpenAIError,
    readonly outcome: string,
  ) {
    super(error.error.message);
  }
}

/**
 * The upstream answer's body within limits: at most `maxBytes` in all and, with `idleMs`, at most `idleMs` of
 * waiting for each next chunk (the timer runs only while the reader waits for the upstream). Past either, the
 * request is aborted, the body cancelled and an {@link UpstreamFailure} thrown to the reader.
 */
export async function* limitedBody(
  res: UpstreamResponse,
  ctrl: AbortController,
  limits: { maxBytes: number; idleMs?: number },
): AsyncGenerator<Uint8Array> {
  const it = res.body[Symbol.asyncIterator]();
  const giveUp = (failure: UpstreamFailure) => {
    ctrl.abort();
    res.cancel();
    return failure;
  };
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (;;) {
      const idleMs = limits.idleMs;
      const next =
        idleMs === undefined
          ? await it.next()
          : await new Promise<IteratorResult<Uint8Array>>((resolve, reject) => {
              timer = setTimeout(
                () => reject(giveUp(new UpstreamFailure(504, errors.streamTimeout(idleMs), 'stream_timeout'))),
                idleMs,
              );
              it.next().then(resolve, reject);
            });
      clearTimeout(timer);
      if (next.done) return;
      size += next.value.byteLength;
      if (size > limits.maxBytes)
        throw giveUp(new UpstreamFailure(502, errors.upstreamTooLarge(limits.maxBytes), 'stream_too_large'));
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
  }
}

/** A body read whole, as UTF-8. */
export async function readText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
}

/** An upstream error message fit to pass on: its `message` (or the text), control characters out, 200 characters at most. */
export function sanitiseUpstreamMessage(error: unknown): string {
  const raw =
    typeof error === 'string'
      ? error
      : error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string'
        ? (error as { message: string }).message
        : JSON.stringify(error ?? null);
  const clean = raw
    .replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim();
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
