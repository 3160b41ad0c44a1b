import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runRedteam } from '../../src/redteam/runner/index.js';
import { createTarget } from '../../src/redteam/targets/index.js';
import type { ItemResult } from '../../src/redteam/types.js';
import { config, direct, goals, tmp } from './helpers/runner-fixtures.js';

/**
 * A local endpoint speaking OpenAI's streaming protocol as OpenAI does: a stream carries token usage only when
 * the request says `stream_options: {include_usage: true}`, and then in one last chunk with empty `choices`
 * (every other chunk has `usage: null`). `reject` makes it refuse the field the way strict servers do: `400`
 * (the "Unrecognized request argument" of older Azure deployments) or `422` (pydantic's extra_forbidden).
 * `failNext` answers the next request 400 whatever it carries (a real request error, e.g. context too long).
 */
let server: Server;
let base = '';
let reject: 400 | 422 | null = null;
let failNext = 0;
const bodies: Record<string, unknown>[] = [];

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      bodies.push(body);
      const error = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (failNext > 0) {
        failNext--;
        return error(400, { error: { message: 'maximum context length exceeded', type: 'invalid_request_error' } });
      }
      if (body.stream_options !== undefined && reject === 400) {
        return error(400, {
          error: { message: 'Unrecognized request argument supplied: stream_options', type: 'invalid_request_error' },
        });
      }
      if (body.stream_options !== undefined && reject === 422) {
        return error(422, {
          detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'], msg: 'Extra inputs are not permitted' }],
        });
      }
      const messages = body.messages as { role: string; content: string }[];
      const prompt = messages.at(-1)?.content ?? '';
      const answer = `Answer: ${prompt}`;
      const usage = {
        prompt_tokens: tokens(prompt),
        completion_tokens: tokens(answer),
        total_tokens: tokens(prompt) + tokens(answer),
      };
      if (body.stream !== true) {
        return error(200, {
          id: 'chatcmpl-1',
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
          usage,
        });
      }
      const withUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
      const chunk = (choices: unknown[], u: unknown = null) =>
        `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices, ...(withUsage ? { usage: u } : {}) })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let out = chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
      for (let i = 0; i < answer.length; i += 4) {
        out += chunk([{ index: 0, delta: { content: answer.slice(i, i + 4) }, finish_reason: null }]);
      }
      out += chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]);
      if (withUsage) out += chunk([], usage);
      res.end(`${out}data: [DONE]\n\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
beforeEach(() => {
  reject = null;
  failNext = 0;
  bodies.length = 0;
});

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });
const spec = (over: Record<string, unknown> = {}) => ({
  type: 'openai',
  baseUrl: base,
  model: 'm',
  stream: true,
  ...over,
});

describe('streamed chat targets ask for token usage', () => {
  it('sends stream_options.include_usage and reads usage from the last chunk (empty choices)', async () => {
    const r = await createTarget(spec()).send(ask('hello there'));
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(r).toEqual({
      text: 'Answer: hello there',
      finishReason: 'stop',
      usage: { promptTokens: tokens('hello there'), completionTokens: tokens('Answer: hello there') },
    });
  });

  it.each([400, 422] as const)(
    'an endpoint that rejects the field (%i) is asked again without it, once',
    async (status) => {
      reject = status;
      const t = createTarget(spec());
      const first = await t.send(ask('one'));
      expect(first.text).toBe('Answer: one');
      expect(first.usage).toBeUndefined(); // it cannot report usage: the answer still comes
      expect(bodies.map((b) => 'stream_options' in b)).toEqual([true, false]);
      // remembered: later requests go without it, one request each
      expect((await t.send(ask('two'))).text).toBe('Answer: two');
      expect(bodies.map((b) => 'stream_options' in b)).toEqual([true, false, false]);
    },
  );

  it('a request error after the field was accepted is not sent twice', async () => {
    const t = createTarget(spec());
    await t.send(ask('one'));
    failNext = 1;
    await expect(t.send(ask('two'))).rejects.toMatchObject({ status: 400 });
    expect(bodies).toHaveLength(2);
    expect((await t.send(ask('three'))).usage).toBeDefined();
    expect(bodies[2].stream_options).toEqual({ include_usage: true });
  });

  it('a real 400 before any success is retried once without the field and stays an error', async () => {
    failNext = 2;
    const t = createTarget(spec());
    await expect(t.send(ask('too long'))).rejects.toMatchObject({ status: 400 });
    expect(bodies.map((b) => 'stream_options' in b)).toEqual([true, false]);
    // nothing was learnt from two failures: the field is still asked for
    expect((await t.send(ask('fine'))).usage).toBeDefined();
    expect(bodies[2].stream_options).toEqual({ include_usage: true });
  });

  it('streamUsage: false never sends it; non-streamed, Responses and params.stream_options are left alone', async () => {
    await createTarget(spec({ streamUsage: false })).send(ask('a'));
    await createTarget(spec({ stream: false })).send(ask('b'));
    await createTarget(spec({ params: { stream_options: { include_usage: false } } })).send(ask('c'));
    expect(bodies.map((b) => b.stream_options)).toEqual([undefined, undefined, { include_usage: false }]);
    expect(() => createTarget(spec({ streamUsage: 'yes' }))).toThrow(/streamUsage/);
  });
});

describe('streamed runs report usage and keep token budgets', () => {
  const readResults = (dir: string): ItemResult[] =>
    readFileSync(`${dir}/results.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ItemResult);

  it('items, summary and the run totals carry the streamed usage', async () => {
    const dir = tmp();
    const out = await runRedteam(config(base, { target: { stream: true } }), {
      outDir: dir,
      goals: goals(3),
      attacks: [direct],
      panel: null,
    });
    expect(out.status).toBe('complete');
    const results = readResults(dir);
    expect(results).toHaveLength(3);
    for (const r of results) {
      const prompt = r.messages.at(-1)?.content ?? '';
      expect(r.usage).toEqual({ promptTokens: tokens(prompt), completionTokens: tokens(`Answer: ${prompt}`) });
    }
    const summary = JSON.parse(readFileSync(`${dir}/summary.json`, 'utf8'));
    expect(summary.usage.items_with_usage).toBe(3);
    expect(summary.usage.prompt_tokens).toBe(results.reduce((a, r) => a + (r.usage.promptTokens ?? 0), 0));
    expect(summary.usage.run.prompt_tokens).toBe(summary.usage.prompt_tokens);
    expect(out.spent.completionTokens).toBe(summary.usage.completion_tokens);
  });

  it('a token budget stops a streamed run (without usage it never did)', async () => {
    const out = await runRedteam(
      config(base, { target: { stream: true }, runner: { concurrency: 1 }, budget: { tokens: 1 } }),
      {
        outDir: tmp(),
        goals: goals(4),
        attacks: [direct],
        panel: null,
      },
    );
    expect(out.status).toBe('budget');
    expect(out.counts).toMatchObject({ done: 1, skipped: 3 });
    expect(bodies).toHaveLength(1);
  });
});
