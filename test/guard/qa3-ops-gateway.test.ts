import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig, type RunningGateway, serveGateway, sha256Hex } from '../../src/guard/gateway/index.js';
import { RateLimiter } from '../../src/guard/gateway/rate-limit.js';

/** What the fake upstream saw of the last request. */
let seen: { url?: string; headers: IncomingHttpHeaders; bytes: number } = { headers: {}, bytes: 0 };
let upstream: Server;
let upstreamUrl: string;

const EMBEDDING = JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }] });

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (d: Buffer) => {
      bytes += d.length;
    });
    req.on('end', () => {
      seen = { url: req.url, headers: req.headers, bytes };
      if (req.url?.endsWith('/chat/completions')) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'ok' } }] }));
        return;
      }
      // As OpenAI's edge does for a client that accepts gzip.
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', connection: 'close' });
      res.end(gzipSync(EMBEDDING));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

/** A request through node:http, which (unlike fetch) sends any header the test names. */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: opts.method ?? 'GET',
        headers: opts.headers,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const chat = (gw: RunningGateway, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hello' }] }),
  });

describe('qa3 ops: passthrough routes', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await serveGateway(
      parseGatewayConfig({ upstream: { baseUrl: upstreamUrl }, server: { port: 0 }, audit: { enabled: false } }),
    );
  });
  afterAll(() => gw.close());

  it('a compressed upstream answer reaches the client readable (no stale content-encoding)', async () => {
    const res = await fetch(`${gw.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
      body: JSON.stringify({ model: 'e', input: 'x' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.json()).toEqual(JSON.parse(EMBEDDING));
  });

  it("hop-by-hop headers are not forwarded either way (a client's Upgrade does not break the call)", async () => {
    const res = await raw(`${gw.url}/v1/embeddings`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        connection: 'upgrade, x-hop',
        upgrade: 'h2c',
        te: 'trailers',
        'x-hop': 'only for this connection',
        'x-end-to-end': 'kept',
      },
      body: '{"input":"x"}',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual(JSON.parse(EMBEDDING));
    expect(seen.headers.upgrade).toBeUndefined();
    expect(seen.headers.te).toBeUndefined();
    expect(seen.headers['x-hop']).toBeUndefined();
    expect(seen.headers['x-end-to-end']).toBe('kept');
    expect(seen.bytes).toBe(13);
    // The upstream's `connection: close` was about its own connection, not the client's.
    expect(res.headers.connection).not.toBe('close');
  });

  it('a path that could leave its allowed prefix once decoded is refused, not forwarded', async () => {
    for (const path of ['/v1/embeddings/..%2Fchat%2Fcompletions', '/v1/embeddings%5C..%5Cchat']) {
      seen = { headers: {}, bytes: 0 };
      const res = await raw(`${gw.url}${path}`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(403);
      expect(seen.url).toBeUndefined();
    }
    // The router itself resolves escaped dot segments: this one reaches the checked chat route, never passthrough.
    seen = { headers: {}, bytes: 0 };
    const res = await raw(`${gw.url}/v1/embeddings/%2e%2e/chat/completions`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(400);
    expect(seen.url).toBeUndefined();
  });
});

describe('qa3 ops: route policies', () => {
  it('match whole path segments: /v1/chat names /v1/chat/completions, /v1/comp does not name /v1/completions', async () => {
    const gw = await serveGateway(
      parseGatewayConfig({
        upstream: { baseUrl: upstreamUrl },
        server: { port: 0 },
        audit: { enabled: false },
        policies: { strict: { input: [{ check: 'secrets', action: 'block' }] } },
        routes: [
          { path: '/v1/chat', policy: 'strict' },
          { path: '/v1/comp', policy: 'strict' },
        ],
      }),
    );
    const token = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    const post = (path: string, body: unknown) =>
      fetch(`${gw.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    try {
      const chat = await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: token }] });
      expect(chat.headers.get('x-lifeguard-blocked')).toBe('input');
      await chat.text();
      // The default policy redacts secrets in input; only the strict one blocks them.
      const completions = await post('/v1/completions', { model: 'm', prompt: token });
      expect(completions.headers.get('x-lifeguard-blocked')).toBeNull();
      await completions.text();
    } finally {
      await gw.close();
    }
  });
});

describe('qa3 ops: rate limits', () => {
  it('X-Forwarded-For does not give a client a fresh bucket per request', async () => {
    const gw = await serveGateway(
      parseGatewayConfig({
        upstream: { baseUrl: upstreamUrl },
        server: { port: 0 },
        rateLimit: { rpm: 6, burst: 2 },
        audit: { enabled: false },
      }),
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await chat(gw, { 'x-forwarded-for': `10.0.0.${i}` });
        await res.text();
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 429, 429]);
    } finally {
      await gw.close();
    }
  });

  it('a wall clock stepped back does not lock a client out', () => {
    let now = 10_000_000;
    const rl = new RateLimiter(60, 2, () => now);
    expect(rl.take('a')).toBe(true);
    expect(rl.take('a')).toBe(true);
    expect(rl.take('a')).toBe(false);
    now -= 3_600_000; // NTP steps the clock back an hour
    expect(rl.retryAfterSeconds('a')).toBe(1); // not 3,600
    expect(rl.take('a')).toBe(false);
    now += 1_000; // a second later (on the new clock), a token again
    expect(rl.take('a')).toBe(true);
  });

  it('many distinct clients: memory stays bounded and each request stays cheap', () => {
    const rl = new RateLimiter(60, 2, () => 0, 1000);
    for (let i = 0; i < 5000; i++) rl.take(`client-${i}`);
    expect(rl.size).toBeLessThanOrEqual(1000);
    // The most recent clients are still remembered (their buckets are not reset).
    expect(rl.take('client-4999')).toBe(true);
    expect(rl.take('client-4999')).toBe(false);
  });

  it('refuses a burst below 1 (no request could ever pass)', () => {
    expect(() => parseGatewayConfig({ rateLimit: { rpm: 60, burst: 0.5 } })).toThrow(/burst/);
  });
});

describe('qa3 ops: client keys and policies', () => {
  it('refuses the same key listed twice, or one id for two keys', () => {
    const policies = { a: { input: [] }, b: { input: [] } };
    const digest = sha256Hex('sk-team-a');
    expect(() =>
      parseGatewayConfig({
        policies,
        keys: [
          { id: 'team-a', sha256: digest, policy: 'a' },
          { id: 'team-a-strict', sha256: digest, policy: 'b' },
        ],
      }),
    ).toThrow(/listed twice/);
    expect(() =>
      parseGatewayConfig({
        keys: [
          { id: 'team-a', sha256: digest },
          { id: 'team-a', sha256: sha256Hex('sk-team-b') },
        ],
      }),
    ).toThrow(/used by two keys/);
  });

  it('refuses a named policy called default (it would never be used)', () => {
    expect(() =>
      parseGatewayConfig({
        policies: { default: { input: [] } },
        keys: [{ id: 'k', sha256: sha256Hex('sk-k'), policy: 'default' }],
      }),
    ).toThrow(/policies\.default/);
  });
});

describe('qa3 ops: /metrics', () => {
  it('tool names the client or model made up do not each add a series', async () => {
    const gw = await serveGateway(
      parseGatewayConfig({
        upstream: { baseUrl: upstreamUrl },
        server: { port: 0 },
        audit: { enabled: false },
        policy: { input: [], output: [], tools: { '*': { denyArgs: ['rm -rf'] }, Delete_File: { deny: true } } },
      }),
    );
    try {
      for (let i = 0; i < 20; i++) {
        const name = `made_up_${i}"\n}\\`;
        const res = await fetch(`${gw.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'm',
            messages: [
              { role: 'user', content: 'hi' },
              {
                role: 'assistant',
                content: null,
                tool_calls: [
                  { id: 'c1', type: 'function', function: { name, arguments: '{}' } },
                  { id: 'c2', type: 'function', function: { name: ' delete_file', arguments: '{}' } },
                ],
              },
              { role: 'tool', tool_call_id: 'c1', content: 'ok' },
              { role: 'tool', tool_call_id: 'c2', content: 'ok' },
            ],
          }),
        });
        await res.text();
      }
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      const series = text.split('\n').filter((l) => l.startsWith('lifeguard_decisions_total{') && l.includes('tool:'));
      expect(series.some((l) => l.includes('made_up'))).toBe(false);
      expect(series.some((l) => l.includes('check="tool:*"'))).toBe(true);
      // A tool the policy names keeps its own series, under the policy's spelling.
      expect(series.some((l) => l.includes('check="tool:Delete_File"'))).toBe(true);
      expect(series.length).toBeLessThanOrEqual(4);
    } finally {
      await gw.close();
    }
  });
});
