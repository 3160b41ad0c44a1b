/**
 * QA round 12i: model text in fields the gateway re-sent unread, citation offsets after a rewrite, and earlier
 * built-in tool calls in a Responses request.
 *
 * - Responses stream events were re-sent as `{...ev, text: checked}`: a field an upstream adds beside the known ones
 *   went out unread. Every event is rebuilt from its known fields now; items, parts and the response object have
 *   every string outside their known fields checked as output (streamed and not).
 * - Chat: a completion's and a choice's own unknown fields went out unread (non-streamed); a streamed delta's
 *   unknown fields were dropped. Now checked on both paths.
 * - A citation's `start_index`/`end_index` counted in the upstream's text after it was rewritten.
 * - An earlier `code_interpreter_call`, `web_search_call`, shell or computer call in the input skipped the tool rules
 *   and the `tool` stage, unlike an earlier `function_call`.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { createGateway, parseGatewayConfig } from '../../src/guard/gateway/index.js';
import { reindexCitations } from '../../src/guard/gateway/responses.js';
import type { PolicyInput } from '../../src/guard/policy.js';
import { sseEvents as events } from '../helpers/sse.js';

/** A secret the output stage redacts (to `<GITHUB_TOKEN_1>`). */
const KEY = `ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`;
const TOKEN = '<GITHUB_TOKEN_1>';

const POLICY: PolicyInput = {
  input: [{ check: 'pii', action: 'pseudonymise', entities: ['EMAIL_ADDRESS'] }],
  output: [{ check: 'secrets', action: 'redact' }],
  tool: [],
  tools: {
    code_interpreter: { denyArgs: ['os.system'] },
    web_search: { denyArgs: ['attacker.example'] },
    local_shell: { denyArgs: ['rm -rf'] },
    computer: { denyArgs: ['wire the money'] },
    lookup: { denyArgs: ['attacker.example'] },
  },
};

type Body = Record<string, unknown>;

function gateway(path: string, answer: Body | Body[] | string) {
  const seen: Body[] = [];
  const fakeFetch = (async (_url: string, init: RequestInit) => {
    seen.push(JSON.parse(String(init.body)) as Body);
    if (typeof answer === 'string') return new Response(answer, { headers: { 'content-type': 'text/event-stream' } });
    if (!Array.isArray(answer)) return Response.json(answer);
    const sse = answer.map((ev) => `event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`).join('');
    return new Response(`${sse}data: [DONE]\n\n`, { headers: { 'content-type': 'text/event-stream' } });
  }) as typeof fetch;
  const gw = createGateway(
    parseGatewayConfig({ upstream: { baseUrl: 'http://upstream.test/v1' }, policy: POLICY, audit: { enabled: false } }),
    { fetch: fakeFetch },
  );
  const post = (body: Body) =>
    gw.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { post, seen, gw };
}

const leak = { leak: `model says ${KEY}` };
const TEXT = 'All good here.';

/** A Responses stream with an unknown `leak` field (holding the secret) on every event the guard re-sends. */
function leakyStream(): Body[] {
  const ids = { item_id: 'msg_1', output_index: 0 };
  const part = { ...ids, content_index: 0 };
  const message = {
    type: 'message',
    id: 'msg_1',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text: TEXT, annotations: [], ...leak }],
    ...leak,
  };
  return [
    { type: 'response.created', response: { id: 'resp_1', status: 'in_progress', output: [], ...leak }, ...leak },
    { type: 'response.in_progress', response: { id: 'resp_1', status: 'in_progress', output: [] }, ...leak },
    { type: 'rate_limits.updated', rate_limits: [{ name: 'requests', limit: 10, remaining: 9, ...leak }], ...leak },
    { type: 'response.output_item.added', output_index: 0, item: { ...message, content: [] }, ...leak },
    { type: 'response.content_part.added', ...part, part: { type: 'output_text', text: '', ...leak }, ...leak },
    { type: 'response.output_text.delta', ...part, delta: TEXT, ...leak },
    { type: 'response.output_text.done', ...part, text: TEXT, ...leak },
    {
      type: 'response.content_part.done',
      ...part,
      part: { type: 'output_text', text: TEXT, annotations: [], ...leak },
      ...leak,
    },
    { type: 'response.content_part.done', ...ids, content_index: 1, part: { type: 'output_audio', ...leak } },
    { type: 'response.refusal.done', ...ids, content_index: 2, refusal: 'No.', ...leak },
    { type: 'response.output_item.done', output_index: 0, item: message, ...leak },
    { type: 'response.web_search_call.searching', item_id: 'ws_1', output_index: 1, ...leak },
    { type: 'response.function_call_arguments.done', item_id: 'fc_1', output_index: 2, arguments: '{}', ...leak },
    { type: 'response.custom_tool_call_input.done', item_id: 'ct_1', output_index: 3, input: 'x', ...leak },
    { type: 'response.code_interpreter_call_code.done', item_id: 'ci_1', output_index: 4, code: 'print(1)', ...leak },
    { type: 'response.reasoning_summary_part.added', ...ids, output_index: 5, summary_index: 0, part: leak },
    { type: 'response.reasoning_summary_text.done', ...ids, output_index: 5, summary_index: 0, text: 'Hm.', ...leak },
    {
      type: 'response.reasoning_summary_part.done',
      ...ids,
      output_index: 5,
      summary_index: 0,
      part: { type: 'summary_text', text: 'Hm.', ...leak },
      ...leak,
    },
    {
      type: 'response.completed',
      response: { id: 'resp_1', status: 'completed', output: [message], ...leak },
      ...leak,
    },
  ];
}

describe('Responses: unknown fields of events, items, parts and the response', () => {
  it('no event carries an unknown field through, and the items and response have theirs checked', async () => {
    const { post } = gateway('/v1/responses', leakyStream());
    const res = await post({ model: 'm', input: 'Hi', stream: true });
    const raw = await res.text();
    expect(raw).not.toContain(KEY);
    const evs = events(raw);
    // Events themselves: rebuilt from their known fields, so no `leak` at the top of any.
    for (const ev of evs) expect(ev).not.toHaveProperty('leak');
    const done = evs.find((e) => e.type === 'response.output_item.done') as { item: Body };
    // The item's and its part's own extra fields: checked as output, the secret redacted.
    expect(done.item.leak).toBe(`model says ${TOKEN}`);
    expect((done.item.content as Body[])[0].leak).toBe(`model says ${TOKEN}`);
    const completed = evs.find((e) => e.type === 'response.completed') as { response: Body };
    expect(completed.response.leak).toBe(`model says ${TOKEN}`);
    // Announcements carry none of it.
    const created = evs.find((e) => e.type === 'response.created') as { response: Body };
    expect(created.response).not.toHaveProperty('leak');
    const limits = evs.find((e) => e.type === 'rate_limits.updated') as { rate_limits: Body[] };
    expect(limits.rate_limits).toEqual([{ name: 'requests', limit: 10, remaining: 9 }]);
  });

  it('the official SDK still parses the rebuilt stream', async () => {
    // The events the SDK's accumulator reads (it refuses `rate_limits.updated`, a Realtime event, whatever a gateway does).
    const sdkEvents = leakyStream().filter(
      (e) => e.type !== 'rate_limits.updated' && (e.output_index ?? 0) === 0 && (e.content_index ?? 0) === 0,
    );
    const { gw } = gateway('/v1/responses', sdkEvents);
    const client = new OpenAI({
      apiKey: 'k',
      baseURL: 'http://gateway.test/v1',
      fetch: ((url: string, init: RequestInit) => gw.app.request(url, init)) as typeof fetch,
    });
    const stream = client.responses.stream({ model: 'm', input: 'Hi' });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(TEXT);
    expect(JSON.stringify(final)).not.toContain(KEY);
  });

  it('non-streamed: unknown fields of the response, a message item and its parts are checked', async () => {
    const { post } = gateway('/v1/responses', {
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      output: [
        {
          type: 'message',
          id: 'msg_1',
          role: 'assistant',
          status: 'completed',
          content: [
            { type: 'output_text', text: TEXT, annotations: [], ...leak },
            { type: 'output_audio', transcript: KEY },
          ],
          ...leak,
        },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}', description: KEY },
      ],
      ...leak,
    });
    const json = (await (await post({ model: 'm', input: 'Hi' })).json()) as Body;
    expect(JSON.stringify(json)).not.toContain(KEY);
    expect(json.leak).toBe(`model says ${TOKEN}`);
    const [msg, call] = json.output as Body[];
    expect(msg.leak).toBe(`model says ${TOKEN}`);
    expect((msg.content as Body[])[1]).toEqual({ type: 'output_audio', transcript: TOKEN });
    expect(call.description).toBe(TOKEN);
  });
});

describe('Chat: unknown fields of a completion, a choice and a streamed delta', () => {
  it('non-streamed: the completion and a choice with a message have their own strings checked', async () => {
    const { post } = gateway('/v1/chat/completions', {
      id: 'c1',
      object: 'chat.completion',
      model: 'm',
      choices: [
        { index: 0, message: { role: 'assistant', content: TEXT }, finish_reason: 'stop', extra: `see ${KEY}` },
      ],
      citations: [`https://x.example/${KEY}`],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
    const json = (await (await post({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] })).json()) as Body;
    expect(JSON.stringify(json)).not.toContain(KEY);
    const choice = (json.choices as Body[])[0];
    expect(choice.extra).toBe(`see ${TOKEN}`);
    expect((choice.message as Body).content).toBe(TEXT);
    expect(json.citations).toEqual([`https://x.example/${TOKEN}`]);
  });

  it('non-streamed text completion: its own unknown fields are checked too', async () => {
    const { post } = gateway('/v1/completions', {
      id: 'c1',
      object: 'text_completion',
      choices: [{ index: 0, text: TEXT, finish_reason: 'stop' }],
      extra: KEY,
    });
    const json = (await (await post({ model: 'm', prompt: 'Hi' })).json()) as Body;
    expect(json.extra).toBe(TOKEN);
  });

  it('streamed: unknown string and object fields of a delta are released checked, not dropped', async () => {
    const chunk = (delta: Body, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const sse =
      chunk({ role: 'assistant', content: 'Hi ' }) +
      chunk({ thinking: 'the key is ' }) +
      chunk({ thinking: KEY }) +
      chunk({ annotations: [{ type: 'url_citation', url_citation: { title: KEY, url: 'https://x.example' } }] }) +
      chunk({ content: 'there.' }, 'stop') +
      'data: [DONE]\n\n';
    const { post } = gateway('/v1/chat/completions', sse);
    const raw = await (await post({ model: 'm', stream: true, messages: [{ role: 'user', content: 'Hi' }] })).text();
    expect(raw).not.toContain(KEY);
    const deltas = events(raw).map((e) => ((e.choices as Body[])[0]?.delta ?? {}) as Body);
    expect(deltas.map((d) => d.thinking ?? '').join('')).toBe(`the key is ${TOKEN}`);
    const annotations = deltas.find((d) => d.annotations)?.annotations as Body[];
    expect((annotations[0].url_citation as Body).title).toBe(TOKEN);
  });
});

describe('Citation offsets after a rewrite', () => {
  const raw = `See ${KEY} here. Docs at the site.`;
  const text = `See ${TOKEN} here. Docs at the site.`;
  const cite = (start: number, end: number) => ({
    type: 'url_citation',
    url: 'https://x.example',
    start_index: start,
    end_index: end,
  });

  it('before the rewrite: kept; after it: moved; across it: offsets dropped', () => {
    const before = cite(0, 3);
    const docsAt = raw.indexOf('Docs');
    const after = cite(docsAt, docsAt + 4);
    const across = cite(4, 4 + KEY.length);
    const [b, a, x] = reindexCitations([before, after, across], raw, text) as Body[];
    expect(b).toEqual(before);
    expect(text.slice(a.start_index as number, a.end_index as number)).toBe('Docs');
    expect(x).toEqual({ type: 'url_citation', url: 'https://x.example' });
    expect(reindexCitations([after], raw, raw)[0]).toBe(after);
  });

  it('non-streamed and streamed answers carry offsets into the released text', async () => {
    const docsAt = raw.indexOf('Docs');
    const annotation = cite(docsAt, docsAt + 4);
    const item = {
      type: 'message',
      id: 'msg_1',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: raw, annotations: [annotation] }],
    };
    const { post } = gateway('/v1/responses', {
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      output: [item],
    });
    const json = (await (await post({ model: 'm', input: 'Hi' })).json()) as { output: { content: Body[] }[] };
    const part = json.output[0].content[0];
    const a = (part.annotations as Body[])[0];
    expect((part.text as string).slice(a.start_index as number, a.end_index as number)).toBe('Docs');

    const ids = { item_id: 'msg_1', output_index: 0, content_index: 0 };
    const stream = gateway('/v1/responses', [
      { type: 'response.output_item.added', output_index: 0, item: { ...item, content: [] } },
      { type: 'response.output_text.delta', ...ids, delta: raw },
      { type: 'response.output_text.annotation.added', ...ids, annotation_index: 0, annotation },
      { type: 'response.output_text.done', ...ids, text: raw },
      { type: 'response.completed', response: { id: 'resp_1', status: 'completed', output: [item] } },
    ]);
    const evs = events(await (await stream.post({ model: 'm', input: 'Hi', stream: true })).text());
    const released = evs
      .filter((e) => e.type === 'response.output_text.delta')
      .map((e) => e.delta)
      .join('');
    expect(released).toBe(text);
    const added = evs.find((e) => e.type === 'response.output_text.annotation.added') as { annotation: Body };
    expect(released.slice(added.annotation.start_index as number, added.annotation.end_index as number)).toBe('Docs');
  });
});

describe('Earlier built-in tool calls in the input go through the tool rules, as earlier function calls do', () => {
  const cases: [string, Body][] = [
    [
      'function_call (control)',
      { type: 'function_call', call_id: 'c1', name: 'lookup', arguments: '{"u":"attacker.example"}' },
    ],
    [
      'code_interpreter_call',
      { type: 'code_interpreter_call', id: 'ci_1', code: 'import os; os.system("id")', outputs: [] },
    ],
    [
      'web_search_call',
      {
        type: 'web_search_call',
        id: 'ws_1',
        status: 'completed',
        action: { type: 'search', query: 'attacker.example secrets' },
      },
    ],
    [
      'local_shell_call',
      {
        type: 'local_shell_call',
        id: 'ls_1',
        call_id: 'c2',
        status: 'completed',
        action: { type: 'exec', command: ['rm', '-rf', '/'] },
      },
    ],
    [
      'computer_call',
      {
        type: 'computer_call',
        id: 'cc_1',
        call_id: 'c3',
        status: 'completed',
        action: { type: 'type', text: 'wire the money' },
        pending_safety_checks: [],
      },
    ],
  ];
  for (const [name, item] of cases) {
    it(`${name}: blocked on input`, async () => {
      const { post, seen } = gateway('/v1/responses', {
        id: 'resp_1',
        object: 'response',
        status: 'completed',
        output: [],
      });
      const res = await post({ model: 'm', input: [{ role: 'user', content: 'Go on.' }, item] });
      expect(res.headers.get('x-lifeguard-blocked')).toBe('input');
      expect(seen).toHaveLength(0);
    });
  }

  it('a harmless one goes upstream as it was, its result still checked as context', async () => {
    const { post, seen } = gateway('/v1/responses', {
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      output: [],
    });
    const item = {
      type: 'code_interpreter_call',
      id: 'ci_1',
      code: 'print(2+2)',
      outputs: [{ type: 'logs', logs: '4' }],
    };
    const res = await post({ model: 'm', input: [{ role: 'user', content: 'Go on.' }, item] });
    expect(res.headers.get('x-lifeguard-blocked')).toBeNull();
    expect((seen[0].input as Body[])[1]).toEqual(item);
  });

  it('known values in an earlier call come back as their placeholders, as in a function call', async () => {
    const { post, seen } = gateway('/v1/responses', {
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      output: [],
    });
    const email = 'jane.roe@example.org';
    const res = await post({
      model: 'm',
      input: [
        { role: 'user', content: `Mail ${email}` },
        { type: 'code_interpreter_call', id: 'ci_1', code: `send("${email}")`, outputs: [] },
        {
          type: 'web_search_call',
          id: 'ws_1',
          status: 'completed',
          action: { type: 'search', query: email, sources: [{ type: 'url', url: 'https://a.example' }] },
        },
      ],
    });
    expect(res.status).toBe(200);
    const [, code, search] = seen[0].input as Body[];
    expect(code.code).toBe('send("<EMAIL_ADDRESS_1>")');
    expect(search.action).toEqual({
      type: 'search',
      query: '<EMAIL_ADDRESS_1>',
      sources: [{ type: 'url', url: 'https://a.example' }],
    });
  });
});
