import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeguardError } from '../../../src/core/errors.js';
import {
  createTarget,
  evalJsonPath,
  parseJsonPath,
  parseRetryAfter,
  retryAfterOf,
  TargetSpecSchema,
  targetFingerprint,
  type UpstreamError,
} from '../../../src/redteam/targets/index.js';
import { fillStructured, fillText } from '../../../src/redteam/targets/template.js';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.js';

let srv: FakeOpenAi;
beforeAll(async () => {
  srv = await startFakeOpenAi();
});
afterAll(() => srv.close());

const user = (content: string) => [{ role: 'user' as const, content }];

async function upstreamError(p: Promise<unknown>): Promise<UpstreamError> {
  try {
    await p;
  } catch (e) {
    expect(LifeguardError.isInstance(e)).toBe(true);
    expect((e as LifeguardError).code).toBe('LG_ERR_UPSTREAM');
    return e as UpstreamError;
  }
  throw new Error('expected the call to fail');
}

describe('openai target', () => {
  it('sends model, system prompt, sampling params, headers and key; reads text, usage, finish reason', async () => {
    process.env.LG_TEST_RT_KEY = 'sk-test-123';
    const t = createTarget({
      type: 'openai',
      baseUrl: `${srv.url}/`,
      model: 'm1',
      apiKeyEnv: 'LG_TEST_RT_KEY',
      headers: { 'x-team': 'red' },
      system: 'Be brief.',
      params: {
        temperature: 0.2,
        top_p: 0.9,
        max_tokens: 64,
        stop: ['\n\n'],
        seed: 'item',
        logit_bias: { '50256': -100 },
      },
    });
    expect(t.id).toBe('openai:m1');
    const n = srv.requests.length;
    const r = await t.send({ messages: user('hello there'), seed: 42 });
    expect(r).toEqual({
      text: 'Answer: hello there',
      usage: { promptTokens: 3, completionTokens: 5 },
      finishReason: 'stop',
    });
    const req = srv.requests[n];
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test-123');
    expect(req.headers['x-team']).toBe('red');
    expect(req.body).toEqual({
      model: 'm1',
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 64,
      stop: ['\n\n'],
      logit_bias: { '50256': -100 },
      seed: 42,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello there' },
      ],
    });
  });

  it('keeps a conversation that has its own system prompt, sends a fixed seed, no key header without a key', async () => {
    const t = createTarget({ type: 'openai', baseUrl: srv.url, model: 'm', system: 'X', params: { seed: 7 } });
    const n = srv.requests.length;
    await t.send({
      messages: [
        { role: 'system', content: 'mine' },
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' },
      ],
      seed: 99,
    });
    const req = srv.requests[n];
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body?.seed).toBe(7);
    expect(req.body?.messages).toHaveLength(4);
  });

  it('joins a server-sent-events stream', async () => {
    const t = createTarget({ type: 'openai', baseUrl: srv.url, model: 'm', stream: true });
    const r = await t.send({ messages: user('stream me please') });
    expect(r.text).toBe('Answer: stream me please');
    expect(r.finishReason).toBe('stop');
    expect(r.usage?.completionTokens).toBeGreaterThan(0);
  });

  it('429 and 5xx are retryable and carry Retry-After; 400 is not', async () => {
    const t = createTarget({ type: 'openai', baseUrl: srv.url, model: 'm' });
    srv.fail({ status: 429, count: 1, retryAfter: '2' });
    let e = await upstreamError(t.send({ messages: user('x') }));
    expect(e.retryable).toBe(true);
    expect(e.status).toBe(429);
    expect(retryAfterOf(e)).toBe(2000);
    expect(e.message).toMatch(/HTTP 429: injected 429/);
    srv.fail({ status: 503, count: 1, retryAfterMs: '150' });
    e = await upstreamError(t.send({ messages: user('x') }));
    expect([e.retryable, e.retryAfterMs]).toEqual([true, 150]);
    srv.fail({ status: 400, count: 1 });
    e = await upstreamError(t.send({ messages: user('x') }));
    expect(e.retryable).toBe(false);
  });

  it('a refused connection is a retryable network error; an abort is not retryable', async () => {
    const t = createTarget({ type: 'openai', baseUrl: 'http://127.0.0.1:1/v1', model: 'm', timeoutMs: 2000 });
    const e = await upstreamError(t.send({ messages: user('x') }));
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/could not be reached/);
    const slow = await startFakeOpenAi({ latencyMs: 2000 });
    try {
      const t2 = createTarget({ type: 'openai', baseUrl: slow.url, model: 'm' });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 30);
      const e2 = await upstreamError(t2.send({ messages: user('x'), signal: ac.signal }));
      expect([e2.retryable, e2.aborted]).toEqual([false, true]);
      const t3 = createTarget({ type: 'openai', baseUrl: slow.url, model: 'm', timeoutMs: 50 });
      const e3 = await upstreamError(t3.send({ messages: user('x') }));
      expect(e3.message).toMatch(/timed out/);
      expect(e3.retryable).toBe(true);
    } finally {
      await slow.close();
    }
  });

  it('a missing key variable is a config error naming it', () => {
    expect(() =>
      createTarget({ type: 'openai', baseUrl: srv.url, model: 'm', apiKeyEnv: 'LG_TEST_UNSET_VAR_XYZ' }),
    ).toThrow(/LG_TEST_UNSET_VAR_XYZ/);
  });

  it('spec errors name the path', () => {
    expect(() => createTarget({ type: 'openai', baseUrl: 'not a url', model: 'm' }, 'target')).toThrow(
      /target.*baseUrl/,
    );
    expect(() => createTarget({ type: 'nope' })).toThrow(LifeguardError);
    expect(() => createTarget({ type: 'http', url: srv.url, responsePath: '$.a[' })).toThrow(/responsePath/);
    expect(() => createTarget({ type: 'http', url: srv.url, body: { q: '{{promt}}' } })).toThrow(/promt/);
  });
});

describe('http target', () => {
  it('fills a structured template with escaped values and reads answer and usage at JSON paths', async () => {
    const t = createTarget({
      type: 'http',
      url: `${srv.origin}/custom`,
      headers: { 'x-k': 'v' },
      body: { prompt: '{{prompt}}', ctx: 'sys={{system}}', history: '{{messages}}', n: 1 },
      system: 'S',
      responsePath: '$.output.text',
      usagePaths: { prompt: '$.meta.in', completion: "$['meta']['out']" },
    });
    const n = srv.requests.length;
    const hostile = 'say "hi"\n}, "evil": true, {"';
    const r = await t.send({ messages: user(hostile) });
    const tokens = (s: string) => Math.ceil(s.length / 4);
    expect(r).toEqual({
      text: `Answer: ${hostile}`,
      usage: { promptTokens: tokens(hostile), completionTokens: tokens(`Answer: ${hostile}`) },
    });
    expect(srv.requests[n].headers['x-k']).toBe('v');
    expect(srv.requests[n].body).toEqual({
      prompt: hostile,
      ctx: 'sys=S',
      history: [
        { role: 'system', content: 'S' },
        { role: 'user', content: hostile },
      ],
      n: 1,
    });
  });

  it('a text template gets JSON-encoded values, quoted or not', async () => {
    const t = createTarget({
      type: 'http',
      url: `${srv.origin}/custom`,
      body: '{"prompt": "{{prompt}}", "also": {{prompt}}}',
      responsePath: 'output.text',
    });
    const n = srv.requests.length;
    const r = await t.send({ messages: user('a "quoted" \\ thing') });
    expect(r.text).toBe('Answer: a "quoted" \\ thing');
    expect(srv.requests[n].body).toEqual({ prompt: 'a "quoted" \\ thing', also: 'a "quoted" \\ thing' });
  });

  it('a missing answer path is an upstream error', async () => {
    const t = createTarget({
      type: 'http',
      url: `${srv.origin}/custom`,
      body: { prompt: '{{prompt}}' },
      responsePath: '$.nope',
    });
    const e = await upstreamError(t.send({ messages: user('x') }));
    expect(e.message).toMatch(/no answer text at \$\.nope/);
  });

  it('server sessions: each turn sends only the last user message with the session the server gave', async () => {
    const t = createTarget({
      type: 'http',
      url: `${srv.origin}/session`,
      body: { prompt: '{{prompt}}', session: '{{session_id}}' },
      responsePath: '$.reply',
      session: { mode: 'server', idPath: '$.session_id' },
    });
    const a1 = await t.send({ messages: user('one') });
    expect(a1.text).toMatch(/^turn 1 of (s\d+): Answer: one$/);
    const sid = /of (s\d+)/.exec(a1.text)?.[1];
    const n = srv.requests.length;
    const a2 = await t.send({
      messages: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: a1.text },
        { role: 'user', content: 'two' },
      ],
    });
    expect(a2.text).toBe(`turn 2 of ${sid}: Answer: two`);
    expect(srv.requests[n].body).toEqual({ prompt: 'two', session: sid });
    // a different conversation gets a new session
    const b1 = await t.send({ messages: user('other') });
    expect(b1.text).toMatch(/^turn 1 of s\d+/);
    expect(b1.text).not.toContain(`of ${sid}:`);
  });
});

describe('templates and JSON paths', () => {
  it('parses and evaluates the supported syntax', () => {
    const v = { choices: [{ message: { content: 'hi' } }], 'a.b': [1, 2, 3], output: { text: 't' } };
    expect(evalJsonPath(v, parseJsonPath('$.choices[0].message.content'))).toBe('hi');
    expect(evalJsonPath(v, parseJsonPath("$['a.b'][-1]"))).toBe(3);
    expect(evalJsonPath(v, parseJsonPath('output.text'))).toBe('t');
    expect(evalJsonPath(v, parseJsonPath('$.choices[5].x'))).toBeUndefined();
    expect(evalJsonPath(v, parseJsonPath('$.constructor'))).toBeUndefined();
    expect(() => parseJsonPath('$.a[x]')).toThrow(/bad JSON path/);
    expect(() => parseJsonPath('$..a')).toThrow(/bad JSON path/);
  });

  it('never splices text into JSON', () => {
    const hostile = '"}{"x":1';
    expect(JSON.parse(fillText('{"p": {{prompt}}}', { prompt: hostile }))).toEqual({ p: hostile });
    expect(fillStructured({ a: ['{{ prompt }}'], b: 'pre {{prompt}} post' }, { prompt: hostile })).toEqual({
      a: [hostile],
      b: `pre ${hostile} post`,
    });
  });

  it('Retry-After in seconds, ms and as a date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(undefined, '250')).toBe(250);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), undefined, 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('fingerprints ignore the key and timeout but not the model or params', () => {
    const a = TargetSpecSchema.parse({ type: 'openai', baseUrl: srv.url, model: 'm', apiKey: 'k1' });
    const b = TargetSpecSchema.parse({ type: 'openai', baseUrl: srv.url, model: 'm', apiKey: 'k2', timeoutMs: 5 });
    const c = TargetSpecSchema.parse({ type: 'openai', baseUrl: srv.url, model: 'm', params: { temperature: 0 } });
    expect(targetFingerprint(a)).toBe(targetFingerprint(b));
    expect(targetFingerprint(a)).not.toBe(targetFingerprint(c));
  });
});

describe('replay target', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-replay-'));
  const file = join(dir, 'rec.jsonl');
  writeFileSync(
    file,
    [
      { prompt: 'How do I bake bread?', response: 'Knead the dough.' },
      { prompt: 'Tell me a   JOKE', response: 'Why did the chicken…' },
      { prompt: 'no answer here', response: null },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );

  it('matches the last user message exactly, then normalised', async () => {
    const t = createTarget({ type: 'replay', path: file, id: 'replay:test' });
    expect(t.id).toBe('replay:test');
    expect((await t.send({ messages: user('How do I bake bread?') })).text).toBe('Knead the dough.');
    expect((await t.send({ messages: user('  tell me a joke ') })).text).toBe('Why did the chicken…');
    const conv = [
      { role: 'user' as const, content: 'first' },
      { role: 'assistant' as const, content: 'x' },
      { role: 'user' as const, content: 'how do i bake bread?' },
    ];
    expect((await t.send({ messages: conv })).text).toBe('Knead the dough.');
  });

  it('looked up by goal, it answers with the recorded prompt it was given to (so the judge sees that prompt)', async () => {
    const byGoal = join(dir, 'by-goal.jsonl');
    writeFileSync(
      byGoal,
      `${JSON.stringify({ goal: 'Bake bread', prompt: 'You are a baker in a story. Bake bread.', response: 'Knead.' })}\n`,
    );
    const t = createTarget({ type: 'replay', path: byGoal, matchOn: 'goal' });
    const r = await t.send({ messages: user('bake  bread') });
    expect(r).toMatchObject({ text: 'Knead.', respondedTo: 'You are a baker in a story. Bake bread.' });
    const exact = await createTarget({ type: 'replay', path: file }).send({ messages: user('How do I bake bread?') });
    expect(exact.respondedTo).toBeUndefined();
  });

  it('a miss is an error (not retryable), an empty answer or a refusal, as configured', async () => {
    const e = await upstreamError(
      createTarget({ type: 'replay', path: file }).send({ messages: user('no answer here') }),
    );
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/no recorded answer/);
    expect(
      (await createTarget({ type: 'replay', path: file, onMiss: 'empty' }).send({ messages: user('?') })).text,
    ).toBe('');
    const r = await createTarget({ type: 'replay', path: file, onMiss: 'refuse', refusal: 'No.' }).send({
      messages: user('?'),
    });
    expect(r.text).toBe('No.');
  });

  it('reads a JailbreakBench artifact from the shared data when present', async () => {
    const jbb = '/work/shared/data/redteam/jbb-artifacts/PAIR/black_box/vicuna-13b-v1.5.json';
    let exists = true;
    try {
      (await import('node:fs')).statSync(jbb);
    } catch {
      exists = false;
    }
    if (!exists) return;
    const t = createTarget({ type: 'replay', path: jbb });
    expect(t.id).toMatch(/^replay:/);
    expect((t as unknown as { size: number }).size).toBeGreaterThan(50);
  });
});
