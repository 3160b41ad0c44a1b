/**
 * QA round 12a: chat completions shapes that carried model text past the checks. Not streamed, a choice without a
 * `message` went out unread, and so did every message field whose value is not a string (`annotations`, a
 * provider's `reasoning_details`); streamed, `delta.content` given as an array of parts was dropped.
 */
import { describe, expect, it } from 'vitest';
import { createGateway, parseGatewayConfig } from '../../src/guard/gateway/index.js';
import type { PolicyInput } from '../../src/guard/policy.js';

/** A secret the output stage redacts. */
const KEY = `ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`;
/** A term the output stage blocks. */
const BANNED = 'Project Falcon';

const POLICY: PolicyInput = {
  lists: { banned: { terms: [BANNED] } },
  output: [
    { check: 'secrets', action: 'redact' },
    { check: 'banned', action: 'block' },
  ],
};

type Body = Record<string, unknown>;

function gateway(answer: Body | Body[]) {
  const fakeFetch = (async () => {
    if (!Array.isArray(answer)) return Response.json(answer);
    const sse = answer.map((ev) => `data: ${JSON.stringify(ev)}\n\n`).join('');
    return new Response(`${sse}data: [DONE]\n\n`, { headers: { 'content-type': 'text/event-stream' } });
  }) as unknown as typeof fetch;
  const gw = createGateway(
    parseGatewayConfig({ upstream: { baseUrl: 'http://upstream.test/v1' }, policy: POLICY, audit: { enabled: false } }),
    { fetch: fakeFetch },
  );
  return (stream = false) =>
    gw.app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'Hi.' }], stream }),
    });
}

const completion = (choices: Body[]): Body => ({ id: 'c1', object: 'chat.completion', model: 'm', choices });
type Completion = { choices: (Body & { message?: Body })[] };

describe('not streamed', () => {
  it('a choice without a message: its text is checked and rewritten', async () => {
    const post = gateway(completion([{ index: 0, text: `the key is ${KEY}`, finish_reason: 'stop' }]));
    const res = await post();
    const json = (await res.json()) as Completion;
    expect(JSON.stringify(json)).not.toContain(KEY);
    expect(json.choices[0].text).toMatch(/^the key is ./);
    expect(json.choices[0].finish_reason).toBe('stop');
  });

  it('a choice without a message whose text is blocked gets the refusal', async () => {
    const post = gateway(completion([{ index: 0, delta: { content: `about ${BANNED}` }, finish_reason: 'stop' }]));
    const res = await post();
    expect(res.headers.get('x-lifeguard-blocked')).toBe('output');
    const json = (await res.json()) as Completion;
    expect(JSON.stringify(json)).not.toContain(BANNED);
    expect(json.choices[0].finish_reason).toBe('content_filter');
    expect(json.choices[0].message?.role).toBe('assistant');
    expect(json.choices[0].delta).toBeUndefined();
  });

  it('a message field holding objects (annotations) is checked; kinds and numbers stay', async () => {
    const annotations = [
      {
        type: 'url_citation',
        url_citation: { url: 'https://docs.example/a', title: `Token ${KEY}`, start_index: 0, end_index: 5 },
      },
    ];
    const post = gateway(
      completion([{ index: 0, message: { role: 'assistant', content: 'Hello', annotations }, finish_reason: 'stop' }]),
    );
    const json = (await (await post()).json()) as Completion;
    expect(JSON.stringify(json)).not.toContain(KEY);
    const [a] = (json.choices[0].message?.annotations ?? []) as (typeof annotations)[number][];
    expect(a.type).toBe('url_citation');
    expect(a.url_citation).toMatchObject({ url: 'https://docs.example/a', start_index: 0, end_index: 5 });
    expect(a.url_citation.title).toMatch(/^Token ./);
    expect(json.choices[0].message?.content).toBe('Hello');
  });

  it('a provider field holding an array of parts: a blocked text in it blocks the answer', async () => {
    const post = gateway(
      completion([
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Fine.',
            reasoning_details: [{ type: 'reasoning.text', text: `Think about ${BANNED}.` }],
          },
          finish_reason: 'stop',
        },
      ]),
    );
    const res = await post();
    const json = (await res.json()) as Completion;
    expect(res.headers.get('x-lifeguard-blocked')).toBe('output');
    expect(JSON.stringify(json)).not.toContain(BANNED);
    expect(json.choices[0].finish_reason).toBe('content_filter');
  });

  it('a normal answer goes out as it came', async () => {
    const body = completion([
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello there.', refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ]);
    const json = (await (await gateway(body)()).json()) as Completion;
    expect(json.choices).toEqual((body as Completion).choices);
  });
});

describe('streamed', () => {
  const chunk = (delta: Body, finish: string | null = null) => ({
    id: 'c1',
    object: 'chat.completion.chunk',
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const content = (raw: string) =>
    raw
      .split('\n\n')
      .map((b) => b.replace(/^data: /, ''))
      .filter((d) => d.startsWith('{'))
      .map((d) => (JSON.parse(d) as { choices: { delta?: { content?: unknown } }[] }).choices[0]?.delta?.content)
      .filter((c) => typeof c === 'string')
      .join('');

  it('delta.content as an array of text parts reaches the client, checked', async () => {
    const post = gateway([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: [{ type: 'text', text: 'Hello ' }] }),
      chunk({
        content: [
          { type: 'text', text: 'world, ' },
          { type: 'text', text: `key ${KEY}.` },
        ],
      }),
      chunk({}, 'stop'),
    ]);
    const raw = await (await post(true)).text();
    expect(raw).not.toContain(KEY);
    expect(content(raw)).toMatch(/^Hello world, key .+\.$/);
  });

  it('a blocked term in array parts stops the stream', async () => {
    const post = gateway([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: [{ type: 'text', text: `All about ${BANNED}` }] }),
      chunk({}, 'stop'),
    ]);
    const raw = await (await post(true)).text();
    expect(raw).not.toContain(BANNED);
    expect(raw).toContain('"finish_reason":"content_filter"');
  });
});
