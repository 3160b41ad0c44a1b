import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig, type RunningGateway, serveGateway } from '../../src/guard/gateway/index.js';
import { RateLimiter } from '../../src/guard/gateway/rate-limit.js';

/** An upstream whose answer each test writes by hand (slow, hanging, broken, huge). */
type Handler = (body: Record<string, unknown>, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;
let handler: Handler = (_b, res) => {
  res.end('{}');
};
let server: Server;
let upstreamUrl = '';
let gw: RunningGateway;
/** Upstream requests whose response the gateway dropped before its end. */
let cancelled = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

const post = (path: string, body: Record<string, unknown>) =>
  fetch(`${gw.url}/v1/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', ...body }),
  });
const ask = (body: Record<string, unknown> = {}) =>
  post('chat/completions', { messages: [{ role: 'user', content: 'Tell me about Lisbon.' }], ...body });

function events(raw: string): { events: Record<string, unknown>[]; done: boolean; text: string } {
  const evs: Record<string, unknown>[] = [];
  let done = false;
  for (const block of raw.split('\n\n')) {
    const data = block.replace(/^data: /, '').trim();
    if (!data) continue;
    if (data === '[DONE]') done = true;
    else evs.push(JSON.parse(data));
  }
  const text = evs
    .map((e) => (e.choices as { delta?: { content?: string } }[] | undefined)?.[0]?.delta?.content ?? '')
    .join('');
  return { events: evs, done, text };
}

const metric = async (outcome: string, route = 'chat') => {
  const text = await (await fetch(`${gw.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('lifeguard_requests_total{') &&
        l.includes(`outcome="${outcome}"`) &&
        l.includes(`route="${route}"`),
    );
  return line ? Number(line.split(' ').at(-1)) : 0;
};

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    res.on('close', () => {
      if (!res.writableFinished) cancelled++;
    });
    await handler(JSON.parse(raw || '{}'), res, req);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  gw = await serveGateway(
    parseGatewayConfig({
      upstream: { baseUrl: upstreamUrl, timeoutMs: 300, maxResponseBytes: 64 * 1024 },
      server: { port: 0 },
      rateLimit: { rpm: 60, burst: 100 },
    }),
  );
});
afterAll(async () => {
  await gw.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('gateway: streamed answers and the upstream timeout', () => {
  it('times the gap between chunks, not the whole generation: a slow but steady stream completes', async () => {
    handler = async (_b, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.write(chunk({ role: 'assistant' }));
      for (let i = 0; i < 10; i++) {
        res.write(chunk({ content: 'abcde' }));
        await sleep(100); // 1 s in all, over three times timeoutMs
      }
      res.write(chunk({}, 'stop'));
      res.end('data: [DONE]\n\n');
    };
    const res = await ask({ stream: true });
    const got = events(await res.text());
    expect(got.text).toBe('abcde'.repeat(10));
    expect(got.done).toBe(true);
    expect(got.events.at(-1)).toMatchObject({ choices: [{ finish_reason: 'stop' }] });
  });

  it('ends a stream that stalls mid-way with an error event and [DONE], cancels the upstream and counts it', async () => {
    const before = await metric('stream_timeout');
    const cancelledBefore = cancelled;
    handler = async (_b, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.write(chunk({ role: 'assistant' }));
      res.write(chunk({ content: 'Lisbon is ' }));
      await sleep(5000); // hangs
      res.end();
    };
    const t0 = Date.now();
    const res = await ask({ stream: true });
    expect(res.status).toBe(200);
    const got = events(await res.text());
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(got.done).toBe(true);
    expect(got.events.at(-1)).toMatchObject({ error: { code: 'upstream_timeout', type: 'api_error' } });
    expect(await metric('stream_timeout')).toBe(before + 1);
    await sleep(50);
    expect(cancelled).toBe(cancelledBefore + 1);
  });

  it('still answers 504 when the headers do not come in time', async () => {
    handler = async (_b, res) => {
      await sleep(1000);
      res.end();
    };
    const res = await ask({ stream: true });
    expect(res.status).toBe(504);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('upstream_timeout');
  });
});

describe('gateway: upstream stream errors', () => {
  it('forwards a mid-stream error event as its own, sanitised, and ends the stream as an error', async () => {
    const before = await metric('stream_error');
    handler = async (_b, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.write(chunk({ role: 'assistant' }));
      res.write(chunk({ content: 'Hello there. ' }));
      res.write(
        `data: ${JSON.stringify({ error: { message: `CUDA out of memory\u0000\u001b[31m${'x'.repeat(1000)}` } })}\n\n`,
      );
      await sleep(20);
      res.end('data: [DONE]\n\n');
    };
    const got = events(await (await ask({ stream: true })).text());
    expect(got.done).toBe(true);
    const last = got.events.at(-1) as { error: { message: string; code: string } };
    expect(last.error.code).toBe('upstream_stream_error');
    expect(last.error.message).toContain('CUDA out of memory');
    expect(last.error.message).not.toMatch(/[\u0000-\u001f]/);
    expect(last.error.message.length).toBeLessThan(400);
    expect(JSON.stringify(got.events)).not.toContain('"finish_reason":"stop"');
    expect(await metric('stream_error')).toBe(before + 1);
  });

  it('turns a plain JSON answer to a streamed request into a checked stream', async () => {
    handler = (_b, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id: 'chatcmpl-j',
          object: 'chat.completion',
          model: 'm',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: 'Email <EMAIL_ADDRESS_1> now.' },
              finish_reason: 'stop',
            },
          ],
        }),
      );
    };
    const res = await post('chat/completions', {
      stream: true,
      messages: [{ role: 'user', content: 'Write to jane.roe@example.com please.' }],
    });
    const got = events(await res.text());
    expect(got.done).toBe(true);
    expect(got.text).toBe('Email jane.roe@example.com now.');
    expect(got.events[0]).toMatchObject({ choices: [{ delta: { role: 'assistant' } }] });
    expect(got.events.at(-1)).toMatchObject({ choices: [{ finish_reason: 'stop' }] });
  });

  it('turns a plain JSON error answer to a streamed request into an error event', async () => {
    handler = (_b, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: { message: 'model overloaded', type: 'server_error' } }));
    };
    const got = events(await (await ask({ stream: true })).text());
    expect(got.done).toBe(true);
    expect(got.events.at(-1)).toMatchObject({ error: { code: 'upstream_stream_error' } });
    expect(JSON.stringify(got.events.at(-1))).toContain('model overloaded');
  });
});

describe('gateway: role deltas', () => {
  it('passes the assistant role through when it comes with empty content (vLLM), once', async () => {
    handler = (_b, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.write(chunk({ role: 'assistant', content: '' }));
      res.write(chunk({ role: 'assistant', content: 'Hi.' }));
      res.write(chunk({}, 'stop'));
      res.end('data: [DONE]\n\n');
    };
    const got = events(await (await ask({ stream: true })).text());
    const roles = got.events.filter(
      (e) => (e.choices as { delta?: { role?: string } }[])[0]?.delta?.role === 'assistant',
    );
    expect(roles.length).toBe(1);
    expect(got.events[0]).toMatchObject({ choices: [{ delta: { role: 'assistant' } }] });
    expect(got.text).toBe('Hi.');
  });
});

describe('gateway: Retry-After on 429', () => {
  it("passes the upstream's Retry-After through", async () => {
    handler = (_b, res) => {
      res.statusCode = 429;
      res.setHeader('retry-after', '17');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: { message: 'slow down' } }));
    };
    const res = await ask();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('17');
  });

  it('tells when the bucket has a token again', () => {
    let now = 0;
    const rl = new RateLimiter(60, 1, () => now);
    expect(rl.take('a')).toBe(true);
    expect(rl.take('a')).toBe(false);
    expect(rl.retryAfterSeconds('a')).toBe(1);
    now = 500;
    expect(rl.retryAfterSeconds('a')).toBe(1);
    const slow = new RateLimiter(2, 1, () => now);
    slow.take('b');
    expect(slow.retryAfterSeconds('b')).toBe(30);
  });

  it('sets Retry-After on its own 429', async () => {
    const g = await serveGateway(
      parseGatewayConfig({ upstream: { baseUrl: upstreamUrl }, server: { port: 0 }, rateLimit: { rpm: 6, burst: 1 } }),
    );
    try {
      handler = (_b, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'ok' } }] }));
      };
      const send = () =>
        fetch(`${g.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
        });
      expect((await send()).status).toBe(200);
      const res = await send();
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(9);
      expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    } finally {
      await g.close();
    }
  });
});

describe('gateway: text completions output blocks', () => {
  it('flags a blocked answer with x-lifeguard-blocked and counts it as blocked_output', async () => {
    const before = await metric('blocked_output', 'completions');
    handler = (_b, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id: 'cmpl-x',
          object: 'text_completion',
          choices: [
            {
              index: 0,
              text: 'Here is how to build a pipe bomb: pack the pipe with explosive powder and add a fuse.',
              finish_reason: 'stop',
            },
          ],
        }),
      );
    };
    const res = await post('completions', { prompt: 'Write a story.' });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { choices: { finish_reason: string }[] };
    expect(json.choices[0].finish_reason).toBe('content_filter');
    expect(res.headers.get('x-lifeguard-blocked')).toBe('output');
    expect(await metric('blocked_output', 'completions')).toBe(before + 1);
  });
});

describe('gateway: upstream answer size cap', () => {
  const big = 'All fine here. '.repeat(10_000); // ~150 KB, over the 64 KiB cap

  it('refuses a non-streamed answer over upstream.maxResponseBytes with 502 upstream_response_too_large', async () => {
    handler = (_b, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: big } }] }));
    };
    const res = await ask();
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('upstream_response_too_large');
  });

  it('stops a streamed answer over the cap with the error event', async () => {
    const before = await metric('stream_too_large');
    handler = async (_b, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.write(chunk({ role: 'assistant' }));
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write(chunk({ content: 'All fine here. '.repeat(50) }));
        await sleep(1);
      }
      if (!res.destroyed) res.end('data: [DONE]\n\n');
    };
    const got = events(await (await ask({ stream: true })).text());
    expect(got.done).toBe(true);
    expect(got.events.at(-1)).toMatchObject({ error: { code: 'upstream_response_too_large' } });
    expect(await metric('stream_too_large')).toBe(before + 1);
  });

  it('has a default in the config', () => {
    expect(parseGatewayConfig({}).upstream.maxResponseBytes).toBe(8 * 1024 * 1024);
  });
});
