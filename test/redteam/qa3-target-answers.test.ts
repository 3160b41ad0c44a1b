/**
 * QA pass 3: answers of the wrong shape must fail the item with a reason, never reach the judges as ""
 * (which every judge reads as a refusal, a safe outcome). Local endpoints answering with wrong shapes,
 * error chunks, an empty answer cut off by the token limit, compressed bodies, and server sessions whose
 * id never came.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeguardError } from '../../src/core/errors.js';
import { createTarget, type UpstreamError } from '../../src/redteam/targets/index.js';
import type { ChatMessage } from '../../src/redteam/types.js';

type Reply = { status?: number; headers?: Record<string, string>; body: string | Buffer };

/** Answers each path with a fixed reply; `/session-noid` records what it received. */
const ROUTES: Record<string, () => Reply> = {
  '/nomsg/chat/completions': () => json({ choices: [{ finish_reason: 'stop' }] }),
  '/objcontent/chat/completions': () =>
    json({ choices: [{ message: { role: 'assistant', content: { text: 'hi' } } }] }),
  '/nullcontent/chat/completions': () => json({ choices: [{ message: { role: 'assistant', content: null } }] }),
  '/errobj/chat/completions': () => json({ error: { message: 'model overloaded', code: 503 } }),
  '/length/chat/completions': () =>
    json({ choices: [{ message: { role: 'assistant', content: '' }, finish_reason: 'length' }] }),
  '/sse-error/chat/completions': () => sse(['{"error":{"message":"overloaded mid-stream"}}', '[DONE]']),
  '/sse-partial/chat/completions': () =>
    sse(['{"choices":[{"delta":{"content":"Sure, step 1"}}]}', '{"error":{"message":"upstream died"}}']),
  '/gzip/chat/completions': () => ({
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gzipSync(JSON.stringify({ choices: [{ message: { content: 'gzipped answer' } }] })),
  }),
  '/br/chat/completions': () => ({
    headers: { 'content-type': 'application/json', 'content-encoding': 'br' },
    body: brotliCompressSync(JSON.stringify({ choices: [{ message: { content: 'brotli answer' } }] })),
  }),
  '/http-bool': () => json({ output: { text: false } }),
  '/http-error': () => json({ error: 'quota exceeded' }),
  '/session-noid': () => json({ reply: 'turn answered' }),
};

function json(v: unknown): Reply {
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(v) };
}

function sse(events: string[]): Reply {
  return { headers: { 'content-type': 'text/event-stream' }, body: events.map((e) => `data: ${e}\n\n`).join('') };
}

let server: Server;
let origin = '';
const received: { path: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', body });
      const route = ROUTES[req.url ?? ''];
      const reply = route ? route() : { status: 404, body: '{"error":{"message":"no route"}}' };
      res.writeHead(reply.status ?? 200, reply.headers ?? {});
      res.end(reply.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
);

const user = (content: string): ChatMessage[] => [{ role: 'user', content }];

async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  try {
    await p;
  } catch (e) {
    expect(LifeguardError.isInstance(e) && e.code).toBe('LG_ERR_UPSTREAM');
    return e as UpstreamError;
  }
  throw new Error('expected the request to fail');
}

const openai = (mode: string, extra: Record<string, unknown> = {}) =>
  createTarget({ type: 'openai', baseUrl: `${origin}/${mode}`, model: 'm', ...extra });

describe('openai target: wrong shapes fail instead of answering ""', () => {
  it('a choice without a message fails', async () => {
    const e = await failure(openai('nomsg').send({ messages: user('hi') }));
    expect(e.message).toMatch(/no message with text content/);
  });

  it('message content that is neither text, parts nor null fails', async () => {
    await failure(openai('objcontent').send({ messages: user('hi') }));
  });

  it('content null is still an (empty) answer: a content filter, tool calls', async () => {
    expect((await openai('nullcontent').send({ messages: user('hi') })).text).toBe('');
  });

  it("a 200 carrying an error object says the endpoint's error", async () => {
    const e = await failure(openai('errobj').send({ messages: user('hi') }));
    expect(e.message).toContain('model overloaded');
  });

  it('an empty answer cut off by the token limit is no answer (reasoning models)', async () => {
    const e = await failure(openai('length').send({ messages: user('hi') }));
    expect(e.message).toMatch(/token limit/);
  });

  it('a stream holding only an error chunk fails, retryable', async () => {
    const e = await failure(openai('sse-error', { stream: true }).send({ messages: user('hi') }));
    expect(e.message).toContain('overloaded mid-stream');
    expect(e.retryable).toBe(true);
  });

  it('a stream that breaks off with an error chunk is not judged on its partial text', async () => {
    const e = await failure(openai('sse-partial', { stream: true }).send({ messages: user('hi') }));
    expect(e.message).toContain('upstream died');
  });
});

describe('transport: compressed answers', () => {
  it('reads gzip- and brotli-encoded answers', async () => {
    expect((await openai('gzip').send({ messages: user('hi') })).text).toBe('gzipped answer');
    expect((await openai('br').send({ messages: user('hi') })).text).toBe('brotli answer');
  });
});

describe('http target', () => {
  const http = (path: string, extra: Record<string, unknown> = {}) =>
    createTarget({
      type: 'http',
      url: `${origin}${path}`,
      body: { prompt: '{{prompt}}', session: '{{session_id}}' },
      responsePath: '$.output.text',
      ...extra,
    });

  it('a boolean at the answer path is a wrong path, not the answer "false"', async () => {
    const e = await failure(http('/http-bool').send({ messages: user('hi') }));
    expect(e.message).toMatch(/a boolean, not text/);
  });

  it("names the endpoint's error when the answer path is missing", async () => {
    const e = await failure(http('/http-error').send({ messages: user('hi') }));
    expect(e.message).toContain('quota exceeded');
  });

  it('server sessions: a follow-up turn whose session id never came fails instead of starting a fresh session', async () => {
    const t = http('/session-noid', {
      responsePath: '$.reply',
      session: { mode: 'server', idPath: '$.session_id' },
    });
    const first = await t.send({ messages: user('one') });
    expect(first.text).toBe('turn answered');
    const before = received.length;
    const e = await failure(
      t.send({
        messages: [...user('one'), { role: 'assistant', content: first.text }, ...user('two')],
      }),
    );
    expect(e.message).toMatch(/no server session/);
    expect(received.length).toBe(before); // the lone turn was not sent
  });
});
