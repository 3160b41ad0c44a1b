/**
 * QA pass 3: tool calls in every format the OpenAI APIs use reach the tool rules through guardedFetch (the
 * gateway's logic in process) — custom tools (`type: "custom"`, Responses `custom_tool_call`), the legacy
 * functions API streamed — and the request's query string reaches the upstream (Azure's `api-version`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../src/guard/adapters/openai-fetch.js';

const TOKEN = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';

/** What the fake upstream answers: a JSON body or SSE events. */
let answer: { json?: unknown; events?: unknown[] } = {};
const received: { url: string; body: Record<string, unknown> }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    received.push({ url: req.url ?? '', body: JSON.parse(raw || '{}') });
    if (answer.events) {
      res.setHeader('content-type', 'text/event-stream');
      for (const e of answer.events) res.write(`data: ${JSON.stringify(e)}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer.json));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openai/deployments/d`;
});
afterAll(() => server.close());

const guarded = guardedFetch({
  policy: { tools: { delete_file: { deny: true } }, tool: [{ check: 'secrets', action: 'block' }] },
});
const post = (path: string, body: unknown) =>
  guarded(`${base}${path}?api-version=2024-10-21`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify(body),
  });
const chat = (stream = false) => ({ model: 'm', stream, messages: [{ role: 'user', content: 'hi' }] });
const completion = (message: Record<string, unknown>, finish: string) => ({
  id: 'c',
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finish }],
});
const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'c',
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe('custom tool calls (chat)', () => {
  it('a denied custom tool, or one whose input holds a secret, is blocked', async () => {
    for (const custom of [
      { name: 'delete_file', input: '/' },
      { name: 'notes', input: `save ${TOKEN}` },
    ]) {
      answer = { json: completion({ tool_calls: [{ id: 't1', type: 'custom', custom }] }, 'tool_calls') };
      const res = await post('/chat/completions', chat());
      expect(res.headers.get('x-lifeguard-blocked')).toBe('output');
      const text = await res.text();
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('delete_file');
    }
  });

  it('streamed: a denied custom tool stops the stream; an allowed one is released whole', async () => {
    const events = (name: string) => [
      chunk({ role: 'assistant', tool_calls: [{ index: 0, id: 't', type: 'custom', custom: { name, input: '' } }] }),
      chunk({ tool_calls: [{ index: 0, custom: { input: '/tmp/' } }] }),
      chunk({ tool_calls: [{ index: 0, custom: { input: 'x' } }] }),
      chunk({}, 'tool_calls'),
    ];
    answer = { events: events('delete_file') };
    const blocked = await (await post('/chat/completions', chat(true))).text();
    expect(blocked).toContain('content_filter');
    expect(blocked).not.toContain('delete_file');
    answer = { events: events('read_file') };
    const allowed = await (await post('/chat/completions', chat(true))).text();
    expect(allowed).toContain('"custom":{"name":"read_file","input":"/tmp/x"}');
  });
});

describe('the legacy functions API, streamed', () => {
  const events = (name: string) => [
    chunk({ role: 'assistant', function_call: { name, arguments: '' } }),
    chunk({ function_call: { arguments: '{"path":' } }),
    chunk({ function_call: { arguments: '"/"}' } }),
    chunk({}, 'function_call'),
  ];

  it('releases the function call, checked and whole (it was dropped)', async () => {
    answer = { events: events('read_file') };
    const text = await (await post('/chat/completions', chat(true))).text();
    expect(text).toContain('"function_call":{"name":"read_file","arguments":"{\\"path\\":\\"/\\"}"}');
  });

  it('stops the stream at a denied function', async () => {
    answer = { events: events('delete_file') };
    const text = await (await post('/chat/completions', chat(true))).text();
    expect(text).toContain('content_filter');
    expect(text).not.toContain('delete_file');
  });
});

describe('custom tools in the Responses API', () => {
  it('a custom_tool_call in the answer is checked like a function call', async () => {
    answer = {
      json: {
        id: 'resp_1',
        object: 'response',
        status: 'completed',
        output: [{ type: 'custom_tool_call', id: 'ct', call_id: 'c1', name: 'notes', input: `save ${TOKEN}` }],
      },
    };
    const res = await post('/responses', { model: 'm', input: 'hi' });
    expect(res.headers.get('x-lifeguard-blocked')).toBe('output');
    expect(await res.text()).not.toContain(TOKEN);
  });

  it('a custom tool result in the request is checked as context', async () => {
    const guardedContext = guardedFetch({ policy: { context: [{ check: 'secrets', action: 'block' }] } });
    answer = { json: { id: 'resp_2', object: 'response', status: 'completed', output: [] } };
    const before = received.length;
    const res = await guardedContext(`${base}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'm',
        input: [
          { role: 'user', content: 'What does the note say?' },
          { type: 'custom_tool_call_output', call_id: 'c1', output: `the key is ${TOKEN}` },
        ],
      }),
    });
    expect(res.headers.get('x-lifeguard-blocked')).toBe('input');
    expect(received.length).toBe(before);
  });
});

describe('the request URL', () => {
  it('keeps its query string on the way upstream (Azure OpenAI needs api-version)', async () => {
    answer = { json: completion({ content: 'hello' }, 'stop') };
    await post('/chat/completions', chat());
    expect(received.at(-1)?.url).toBe('/openai/deployments/d/chat/completions?api-version=2024-10-21');
  });
});
