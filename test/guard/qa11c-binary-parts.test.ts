/**
 * QA round 11c: the gateway obeys the policy's `binaryParts` as the AI SDK middleware does. Answer parts the checks
 * cannot read (audio without a transcript, generated images, image content parts) are withheld while the output
 * stage enforces anything, and said so (the `x-lifeguard-withheld` header, a `lifeguard.withheld` field, a
 * `binaryParts` decision); `allow`, or an output stage that enforces nothing, passes them on. Streamed audio is
 * released with its transcript checked, as a whole answer's audio is.
 */
import { describe, expect, it } from 'vitest';
import { createGateway, parseGatewayConfig } from '../../src/guard/gateway/index.js';
import type { PolicyInput } from '../../src/guard/policy.js';
import type { CheckDecision } from '../../src/guard/types.js';
import { sseEvents as events } from '../helpers/sse.js';

const ENFORCING: PolicyInput = { output: [{ check: 'secrets', action: 'redact' }] };
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

type Body = Record<string, unknown>;

/** A gateway whose upstream answers `answer(body)` (an object: JSON; an array of events: SSE). */
function gateway(policy: PolicyInput, answer: (body: Body) => Body | Body[]) {
  const decisions: CheckDecision[] = [];
  const fakeFetch = (async (_url: string, init: RequestInit) => {
    const out = answer(JSON.parse(String(init.body)));
    if (!Array.isArray(out)) return Response.json(out);
    const sse = out
      .map((ev) => (typeof ev.type === 'string' ? `event: ${ev.type}\n` : '') + `data: ${JSON.stringify(ev)}\n\n`)
      .join('');
    return new Response(`${sse}data: [DONE]\n\n`, { headers: { 'content-type': 'text/event-stream' } });
  }) as typeof fetch;
  const gw = createGateway(
    parseGatewayConfig({ upstream: { baseUrl: 'http://upstream.test/v1' }, policy, audit: { enabled: false } }),
    { fetch: fakeFetch, onDecisions: (d) => decisions.push(...d) },
  );
  const post = (path: string, body: Body) =>
    gw.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { post, decisions, withheld: () => decisions.filter((d) => d.check === 'binaryParts') };
}

const completion = (message: Body) => ({
  id: 'c1',
  object: 'chat.completion',
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
});
const chunk = (delta: Body, finish: string | null = null) => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const ask = { model: 'm', messages: [{ role: 'user', content: 'Say hi.' }] };

describe('chat completions, not streamed', () => {
  const message = {
    content: [
      { type: 'text', text: 'Here.' },
      { type: 'image_url', image_url: { url: PNG } },
    ],
    audio: { id: 'a1', data: 'UklGRg==', expires_at: 1 },
    images: [{ type: 'image_url', image_url: { url: PNG } }],
  };

  it('withholds audio without a transcript, images and image parts, and says so', async () => {
    const g = gateway(ENFORCING, () => completion(message));
    const res = await g.post('/v1/chat/completions', ask);
    const json = (await res.json()) as { choices: { message: Body }[]; lifeguard?: unknown };
    const msg = json.choices[0].message;
    expect(msg.content).toBe('Here.');
    expect(msg.audio).toBeUndefined();
    expect(msg.images).toBeUndefined();
    expect(res.headers.get('x-lifeguard-withheld')).toBe('image/png, audio');
    expect(json.lifeguard).toEqual({ withheld: { parts: 3, types: ['image/png', 'audio'] } });
    expect(g.withheld().map((d) => d.types)).toEqual([['image/png'], ['audio'], ['image/png']]);
    expect(g.withheld().every((d) => d.fired && d.stage === 'output' && d.action === 'redact')).toBe(true);
  });

  it('passes them on under binaryParts: allow, and when the output stage enforces nothing', async () => {
    for (const policy of [{ ...ENFORCING, binaryParts: 'allow' as const }, { output: [] }]) {
      const g = gateway(policy, () => completion(message));
      const res = await g.post('/v1/chat/completions', ask);
      const json = (await res.json()) as { choices: { message: Body }[]; lifeguard?: unknown };
      const msg = json.choices[0].message;
      expect(msg.content).toEqual([{ type: 'text', text: 'Here.' }, message.content[1]]);
      expect(msg.audio).toEqual(message.audio);
      expect(msg.images).toEqual(message.images);
      expect(res.headers.get('x-lifeguard-withheld')).toBeNull();
      expect(json.lifeguard).toBeUndefined();
      expect(g.withheld()).toEqual([]);
    }
  });
});

describe('chat completions, streamed', () => {
  const stream = (audio: Body[]) => () => [
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: 'Hello there.' }),
    ...audio.map((a) => chunk({ audio: a })),
    chunk({}, 'stop'),
  ];

  it('audio with a clean transcript goes out with it, checked, as in a whole answer', async () => {
    const g = gateway(
      ENFORCING,
      stream([{ id: 'a1', transcript: 'Hello ' }, { data: 'AAA=' }, { transcript: 'there.' }, { data: 'BBB=' }]),
    );
    const evs = events(await (await g.post('/v1/chat/completions', { ...ask, stream: true })).text());
    const audio = evs.flatMap((e): Body[] => {
      const a = (e.choices as { delta: { audio?: Body } }[])[0]?.delta.audio;
      return a ? [a] : [];
    });
    expect(audio.map((a) => a.transcript ?? '').join('')).toBe('Hello there.');
    expect(audio.map((a) => a.data ?? '')).toEqual(['', 'AAA=', 'BBB=']);
    expect(audio.every((a) => a.id === 'a1')).toBe(true);
    expect(g.withheld()).toEqual([]);
  });

  it('audio without a transcript is withheld, named on the last chunk; allow passes it', async () => {
    const g = gateway(ENFORCING, stream([{ id: 'a1', data: 'AAA=' }, { data: 'BBB=' }]));
    const evs = events(await (await g.post('/v1/chat/completions', { ...ask, stream: true })).text());
    expect(JSON.stringify(evs)).not.toContain('AAA=');
    expect(evs.at(-1)?.lifeguard).toEqual({ withheld: { parts: 1, types: ['audio'] } });
    const last = evs[evs.length - 1] as { choices: { finish_reason: string }[] };
    expect(last.choices[0].finish_reason).toBe('stop');
    expect(g.withheld()).toHaveLength(1);

    const allow = gateway({ ...ENFORCING, binaryParts: 'allow' }, stream([{ id: 'a1', data: 'AAA=' }]));
    const out = events(await (await allow.post('/v1/chat/completions', { ...ask, stream: true })).text());
    expect(JSON.stringify(out)).toContain('AAA=');
    expect(out.some((e) => e.lifeguard !== undefined)).toBe(false);
  });

  it('a transcript that must be rewritten takes the sound with it', async () => {
    const key = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const g = gateway(ENFORCING, stream([{ id: 'a1', transcript: `Your token is ${key}.` }, { data: 'AAA=' }]));
    const raw = await (await g.post('/v1/chat/completions', { ...ask, stream: true })).text();
    expect(raw).not.toContain('AAA=');
    expect(raw).not.toContain(key);
    expect(events(raw).at(-1)?.lifeguard).toEqual({ withheld: { parts: 1, types: ['audio'] } });
  });
});

describe('Responses API: image generation', () => {
  const image = {
    type: 'image_generation_call',
    id: 'ig_1',
    status: 'completed',
    output_format: 'png',
    result: 'iVBORw0KGgo=',
  };
  const message = {
    type: 'message',
    id: 'msg_1',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text: 'Here is your picture.', annotations: [] }],
  };
  const response = { id: 'resp_1', object: 'response', status: 'completed', model: 'm', output: [image, message] };

  it('not streamed: the image is withheld, with the header and field; allow keeps it', async () => {
    const g = gateway(ENFORCING, () => response);
    const res = await g.post('/v1/responses', { model: 'm', input: 'Draw a cat.' });
    const json = (await res.json()) as { output: Body[]; lifeguard?: unknown };
    expect(json.output[0].result).toBeNull();
    expect(res.headers.get('x-lifeguard-withheld')).toBe('image/png');
    expect(json.lifeguard).toEqual({ withheld: { parts: 1, types: ['image/png'] } });
    expect(g.withheld()).toHaveLength(1);

    const allow = gateway({ ...ENFORCING, binaryParts: 'allow' }, () => response);
    const kept = (await (await allow.post('/v1/responses', { model: 'm', input: 'Draw a cat.' })).json()) as {
      output: Body[];
    };
    expect(kept.output[0].result).toBe(image.result);
  });

  it('streamed: partial images dropped, the final image withheld once, named on the final response', async () => {
    const upstream = () => [
      { type: 'response.created', response: { ...response, status: 'in_progress', output: [] } },
      { type: 'response.output_item.added', output_index: 0, item: { ...image, status: 'in_progress', result: null } },
      {
        type: 'response.image_generation_call.partial_image',
        output_index: 0,
        item_id: 'ig_1',
        partial_image_b64: 'PARTIAL=',
      },
      { type: 'response.output_item.done', output_index: 0, item: image },
      { type: 'response.completed', response },
    ];
    const g = gateway(ENFORCING, upstream);
    const raw = await (await g.post('/v1/responses', { model: 'm', input: 'Draw a cat.', stream: true })).text();
    expect(raw).not.toContain('PARTIAL=');
    expect(raw).not.toContain(image.result);
    const last = events(raw).at(-1) as { type: string; response: { lifeguard?: unknown } };
    expect(last.type).toBe('response.completed');
    expect(last.response.lifeguard).toEqual({ withheld: { parts: 1, types: ['image/png'] } });
    expect(g.withheld()).toHaveLength(1);

    const allow = gateway({ ...ENFORCING, binaryParts: 'allow' }, upstream);
    const out = await (await allow.post('/v1/responses', { model: 'm', input: 'Draw a cat.', stream: true })).text();
    expect(out).toContain('PARTIAL=');
    expect(out).toContain(image.result);
  });
});
