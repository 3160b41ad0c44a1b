/**
 * QA round 11c, the gateway with fresh eyes: a model's refusal is model text too. The Responses API's
 * `response.refusal.delta` / `.done` events and `refusal` content parts went out unchecked (passed as "no model
 * text"), and a streamed chat answer's `delta.refusal` was dropped, while a whole chat answer's `refusal` is
 * checked. Also: invalid JSON from an upstream answering 200, an event stream cut mid-event, and `n` > 1.
 */
import { describe, expect, it } from 'vitest';
import { createGateway, parseGatewayConfig } from '../../src/guard/gateway/index.js';
import type { PolicyInput } from '../../src/guard/policy.js';
import { sseEvents as events } from '../helpers/sse.js';

const POLICY: PolicyInput = { output: [{ check: 'secrets', action: 'redact' }] };
/** A secret the output stage redacts. */
const KEY = `ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`;

type Body = Record<string, unknown>;

function gateway(answer: (body: Body) => Body | Body[] | string) {
  const fakeFetch = (async (_url: string, init: RequestInit) => {
    const out = answer(JSON.parse(String(init.body)));
    if (typeof out === 'string') return new Response(out, { headers: { 'content-type': 'text/event-stream' } });
    if (!Array.isArray(out)) return Response.json(out);
    const sse = out
      .map((ev) => (typeof ev.type === 'string' ? `event: ${ev.type}\n` : '') + `data: ${JSON.stringify(ev)}\n\n`)
      .join('');
    return new Response(`${sse}data: [DONE]\n\n`, { headers: { 'content-type': 'text/event-stream' } });
  }) as typeof fetch;
  const gw = createGateway(
    parseGatewayConfig({ upstream: { baseUrl: 'http://upstream.test/v1' }, policy: POLICY, audit: { enabled: false } }),
    { fetch: fakeFetch },
  );
  return (path: string, body: Body) =>
    gw.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
}

const chunk = (index: number, delta: Body, finish: string | null = null) => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  model: 'm',
  choices: [{ index, delta, finish_reason: finish }],
});
const ask = { model: 'm', messages: [{ role: 'user', content: 'Hi.' }] };

describe('refusals are checked', () => {
  it('chat, streamed: delta.refusal goes out checked (it was dropped)', async () => {
    const refusal = `I cannot share ${KEY}, sorry.`;
    const post = gateway(() => [
      chunk(0, { role: 'assistant', content: null, refusal: '' }),
      ...[...refusal].map((ch) => chunk(0, { refusal: ch })),
      chunk(0, {}, 'stop'),
    ]);
    const raw = await (await post('/v1/chat/completions', { ...ask, stream: true })).text();
    expect(raw).not.toContain(KEY);
    const out = events(raw)
      .map((e) => (e.choices as { delta?: { refusal?: string } }[])[0]?.delta?.refusal ?? '')
      .join('');
    expect(out).toMatch(/^I cannot share .+, sorry\.$/);
  });

  const refusalPart = (text: string) => ({ type: 'refusal', refusal: text });
  const message = (text: string) => ({
    type: 'message',
    id: 'msg_1',
    role: 'assistant',
    status: 'completed',
    content: [refusalPart(text)],
  });
  const response = (text: string) => ({
    id: 'resp_1',
    object: 'response',
    status: 'completed',
    model: 'm',
    output: [message(text)],
  });

  it('Responses, not streamed: a refusal part is checked', async () => {
    const post = gateway(() => response(`No: ${KEY}`));
    const json = (await (await post('/v1/responses', { model: 'm', input: 'Hi.' })).json()) as {
      output: { content: { refusal: string }[] }[];
    };
    expect(JSON.stringify(json)).not.toContain(KEY);
    expect(json.output[0].content[0].refusal).toMatch(/^No: ./);
  });

  it('Responses, streamed: refusal deltas, the done event, the part and the final response are checked', async () => {
    const text = `No: ${KEY}`;
    const ids = { item_id: 'msg_1', output_index: 0, content_index: 0 };
    const post = gateway(() => [
      { type: 'response.created', response: { ...response(''), status: 'in_progress', output: [] } },
      { type: 'response.output_item.added', output_index: 0, item: { ...message(''), content: [] } },
      { type: 'response.content_part.added', ...ids, part: refusalPart(text) },
      ...[...text].map((delta) => ({ type: 'response.refusal.delta', ...ids, delta })),
      { type: 'response.refusal.done', ...ids, refusal: text },
      { type: 'response.content_part.done', ...ids, part: refusalPart(text) },
      { type: 'response.output_item.done', output_index: 0, item: message(text) },
      { type: 'response.completed', response: response(text) },
    ]);
    const raw = await (await post('/v1/responses', { model: 'm', input: 'Hi.', stream: true })).text();
    expect(raw).not.toContain(KEY);
    const evs = events(raw);
    const deltas = evs.filter((e) => e.type === 'response.refusal.delta').map((e) => e.delta);
    expect(deltas).toHaveLength(1);
    expect(String(deltas[0])).toMatch(/^No: ./);
    expect(evs.at(-1)?.type).toBe('response.completed');
    const seq = evs.map((e) => e.sequence_number);
    expect(seq).toEqual(seq.map((_, i) => i));
  });
});

describe('broken upstreams and several choices', () => {
  it('200 with a body that is not JSON: 502, nothing of it passed on', async () => {
    const fakeFetch = (async () =>
      new Response(`{"choices":[{"message":{"content":"${KEY}"`, {
        headers: { 'content-type': 'application/json' },
      })) as typeof fetch;
    const gw = createGateway(
      parseGatewayConfig({ upstream: { baseUrl: 'http://u.test/v1' }, policy: POLICY, audit: { enabled: false } }),
      { fetch: fakeFetch },
    );
    for (const stream of [false, true]) {
      const res = await gw.app.request('/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...ask, stream }),
      });
      const raw = await res.text();
      expect(raw).not.toContain(KEY);
      expect(raw).toContain('error');
      if (!stream) expect(res.status).toBe(502);
    }
  });

  it('an event stream cut mid-event ends with an error, never a finish', async () => {
    const whole = `data: ${JSON.stringify(chunk(0, { content: 'Hello there, friend.' }))}\n\ndata: ${JSON.stringify(chunk(0, { content: ` more ${KEY}` }, 'stop'))}`;
    const post = gateway(() => whole.slice(0, whole.length - 30));
    const raw = await (await post('/v1/chat/completions', { ...ask, stream: true })).text();
    expect(raw).not.toContain(KEY);
    expect(raw).toContain('upstream_stream_error');
    expect(raw).not.toMatch(/"finish_reason":"stop"/);
  });

  it('n > 1: every choice is checked, streamed and not', async () => {
    const texts = ['Fine.', `Key ${KEY}.`, 'Also fine.'];
    const post = gateway((body) =>
      body.stream
        ? [
            ...texts.map((t, i) => chunk(i, { role: 'assistant', content: t })),
            ...texts.map((_, i) => chunk(i, {}, 'stop')),
          ]
        : {
            id: 'c1',
            object: 'chat.completion',
            choices: texts.map((t, index) => ({
              index,
              message: { role: 'assistant', content: t },
              finish_reason: 'stop',
            })),
          },
    );
    const raw = await (await post('/v1/chat/completions', { ...ask, n: 3, stream: true })).text();
    expect(raw).not.toContain(KEY);
    const finishes = events(raw).flatMap((e) =>
      (e.choices as { index: number; finish_reason: string | null }[]).filter((c) => c.finish_reason),
    );
    expect(finishes.map((c) => c.index).sort()).toEqual([0, 1, 2]);
    const json = (await (await post('/v1/chat/completions', { ...ask, n: 3 })).json()) as {
      choices: { message: { content: string } }[];
    };
    expect(JSON.stringify(json)).not.toContain(KEY);
    expect(json.choices.map((c) => c.message.content)).toEqual([
      'Fine.',
      expect.stringMatching(/^Key .+\.$/),
      'Also fine.',
    ]);
  });
});
