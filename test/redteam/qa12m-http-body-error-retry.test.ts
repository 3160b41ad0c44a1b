/**
 * QA pass 12m: the generic `http` target read an `{error: …}` object in a 2xx body as a failure but never
 * classified it: a rate limit or a server error there was never retried. It now uses the openai target's rule
 * (`transientError`, shared): transient errors (rate limit, server error, overloaded, 429 / 5xx codes) are
 * retryable, an invalid request or a content-policy error fails at once, and an error that does not say stays
 * not retryable (as the openai target's 2xx body error).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRetryable } from '../../src/redteam/targets/errors.js';
import { closeTargetConnections, createTarget } from '../../src/redteam/targets/index.js';

let url = '';
let body = '';
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await closeTargetConnections();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

async function failure(reply: unknown): Promise<Error> {
  body = JSON.stringify(reply);
  const target = createTarget({ type: 'http', url: `${url}/x`, responsePath: '$.output' });
  try {
    await target.send({ messages: [{ role: 'user', content: 'hi' }] });
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the send to fail');
}

describe('http target: an error object in a 2xx body is classified', () => {
  it.each([
    ['rate limit (type)', { error: { message: 'slow down', type: 'rate_limit_error' } }],
    ['429 code', { error: { message: 'busy', code: 429 } }],
    ['server error (message)', { error: { message: 'Internal server error' } }],
    ['overloaded (string error)', { output: null, error: 'The model is overloaded, try again' }],
    ['503 status string', { error: { status: '503', message: 'unavailable' } }],
  ])('%s: retryable', async (_kind, reply) => {
    const e = await failure(reply);
    expect(e.message).toContain('the endpoint answered with an error');
    expect(e.message).toContain('(will retry)');
    expect(isRetryable(e)).toBe(true);
  });

  it.each([
    ['invalid request', { error: { message: 'bad input', type: 'invalid_request_error' } }],
    ['content policy', { error: { message: 'blocked by content policy', code: 'content_filter' } }],
    ['400 code', { error: { message: 'nope', code: 400 } }],
    ['says nothing', { error: { message: 'something happened' } }],
  ])('%s: fails at once', async (_kind, reply) => {
    const e = await failure(reply);
    expect(e.message).toContain('the endpoint answered with an error');
    expect(e.message).not.toContain('(will retry)');
    expect(isRetryable(e)).toBe(false);
  });

  it('no error object: a missing answer is still not retryable', async () => {
    const e = await failure({ other: 'x' });
    expect(e.message).toContain('no answer text at $.output');
    expect(isRetryable(e)).toBe(false);
  });
});
