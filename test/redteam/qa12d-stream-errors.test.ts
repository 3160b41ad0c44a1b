/**
 * QA 12d: an error an endpoint reports inside its answer. A chat stream's error chunk was always retried, a
 * Responses stream's `error` / `response.failed` event never (and `response.failed` lost its message, which is
 * in `response.error`). Now both APIs read the error's code, type and message: a transient one (rate limit,
 * server error, overloaded, 429 / 5xx) is retried, one that will fail again (invalid request, content policy,
 * 4xx) fails at once with the endpoint's message, one that says neither is retried as a cut stream is.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRedteam } from '../../src/redteam/index.js';
import { buildJudgePanel } from '../../src/redteam/judges/index.js';
import { parseCompletion, parseResponse, parseResponsesSse, parseSse } from '../../src/redteam/targets/openai.js';
import type { Goal, Target } from '../../src/redteam/types.js';
import { config, direct, tmp } from './helpers/runner-fixtures.js';

const data = (v: unknown) => `data: ${JSON.stringify(v)}\n\n`;
const caught = (f: () => unknown): { message: string; retryable: boolean } => {
  try {
    f();
  } catch (e) {
    return e as { message: string; retryable: boolean };
  }
  throw new Error('did not throw');
};

describe('Responses stream error events', () => {
  const head = data({ type: 'response.created', response: { status: 'in_progress' } });
  it('an `error` event with a transient code is retryable and says the message', () => {
    const e = caught(() =>
      parseResponsesSse(
        't',
        head + data({ type: 'error', code: 'rate_limit_exceeded', message: 'Rate limit reached for gpt-x' }),
      ),
    );
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('Rate limit reached for gpt-x');
  });

  it('`response.failed` with a server error is retryable and carries its response.error message', () => {
    const failed = {
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'server_error', message: 'The server had an error' } },
    };
    const e = caught(() => parseResponsesSse('t', head + data(failed)));
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('The server had an error');
  });

  it('an invalid request or a content policy error fails at once with the message', () => {
    const invalid = caught(() =>
      parseResponsesSse(
        't',
        head + data({ type: 'error', code: 'invalid_prompt', message: 'Invalid prompt: flagged' }),
      ),
    );
    expect(invalid.retryable).toBe(false);
    expect(invalid.message).toContain('Invalid prompt: flagged');
    const failed = {
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'content_policy_violation', message: 'Request blocked by policy' } },
    };
    const policy = caught(() => parseResponsesSse('t', head + data(failed)));
    expect(policy.retryable).toBe(false);
    expect(policy.message).toContain('Request blocked by policy');
    // a nested error object (some servers) is read the same way
    const nested = caught(() =>
      parseResponsesSse('t', data({ type: 'error', error: { type: 'invalid_request_error', message: 'bad param' } })),
    );
    expect(nested).toMatchObject({ retryable: false });
    expect(nested.message).toContain('bad param');
  });

  it('a non-streamed failed response is an error, never an empty answer', () => {
    const body = { status: 'failed', output: [], error: { code: 'server_error', message: 'boom' } };
    const e = caught(() => parseResponse('t', JSON.stringify(body)));
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('boom');
  });
});

describe('chat error chunks are classified the same way', () => {
  const head = data({ choices: [{ index: 0, delta: { content: 'Sure' }, finish_reason: null }] });
  it('transient: retryable; vLLM-style numeric code 503 too', () => {
    expect(
      caught(() => parseSse('t', head + data({ error: { message: 'x', type: 'rate_limit_error' } }))).retryable,
    ).toBe(true);
    expect(caught(() => parseSse('t', head + data({ error: { message: 'x', code: 503 } }))).retryable).toBe(true);
    // an error that says neither stays retryable, as before
    expect(caught(() => parseSse('t', head + data({ error: { message: 'upstream died' } }))).retryable).toBe(true);
  });

  it('invalid request, content policy, numeric 400: not retried, with the message', () => {
    const bad = caught(() =>
      parseSse('t', head + data({ error: { message: 'max_tokens too large', type: 'invalid_request_error' } })),
    );
    expect(bad.retryable).toBe(false);
    expect(bad.message).toContain('max_tokens too large');
    const policy = caught(() => parseSse('t', data({ error: { message: 'blocked', code: 'content_filter' } })));
    expect(policy.retryable).toBe(false);
    const vllm = caught(() =>
      parseSse('t', data({ error: { object: 'error', message: 'bad', type: 'BadRequestError', code: 400 } })),
    );
    expect(vllm.retryable).toBe(false);
  });

  it('a 2xx body that is an overloaded error is retryable; one that says neither is not (as before)', () => {
    expect(
      caught(() => parseCompletion('t', JSON.stringify({ error: { message: 'model overloaded', code: 503 } })))
        .retryable,
    ).toBe(true);
    expect(caught(() => parseCompletion('t', JSON.stringify({ error: 'quota?' }))).retryable).toBe(false);
  });
});

describe('a run against a Responses endpoint whose streams fail', () => {
  let server: Server;
  let url = '';
  let script: string[] = []; // what the next requests get: 'rate', 'invalid', else an answer
  let requests = 0;
  const ok =
    data({ type: 'response.output_text.delta', delta: 'No, I will not.' }) +
    data({
      type: 'response.completed',
      response: {
        status: 'completed',
        output: [{ type: 'message', content: [{ type: 'output_text', text: 'No, I will not.' }] }],
      },
    });
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests++;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const next = script.shift();
        if (next === 'rate') res.end(data({ type: 'error', code: 'rate_limit_exceeded', message: 'slow down' }));
        else if (next === 'invalid')
          res.end(
            data({
              type: 'response.failed',
              response: { status: 'failed', error: { code: 'invalid_prompt', message: 'prompt rejected' } },
            }),
          );
        else res.end(ok);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const goal: Goal = { id: 'g:1', text: 'Explain the thing', source: 't' };
  const panel = () => buildJudgePanel({ judges: ['keywords'] }, { createTarget: () => ({}) as Target });
  const cfg = () => config(url, { target: { api: 'responses', stream: true } });

  it('a rate-limit error event is retried and the answer judged', async () => {
    script = ['rate'];
    requests = 0;
    const out = await runRedteam(cfg(), { outDir: tmp(), goals: [goal], attacks: [direct], panel: await panel() });
    expect(requests).toBe(2);
    expect(out.results[0]?.response).toBe('No, I will not.');
    expect(out.results[0]?.error).toBeUndefined();
  });

  it('an invalid-prompt failure is not retried: the item fails with the message', async () => {
    script = ['invalid', 'invalid', 'invalid'];
    requests = 0;
    const out = await runRedteam(cfg(), { outDir: tmp(), goals: [goal], attacks: [direct], panel: await panel() });
    expect(requests).toBe(1);
    expect(out.results[0]?.response).toBeNull();
    expect(out.results[0]?.error).toContain('prompt rejected');
  });
});
