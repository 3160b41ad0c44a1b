import { Pool } from 'undici';

/** What the gateway reads of an upstream answer: status, type, body (whole, or as a byte stream). */
export interface UpstreamResponse {
  status: number;
  contentType: string | undefined;
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
