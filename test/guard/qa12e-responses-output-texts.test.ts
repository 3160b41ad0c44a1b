/**
 * QA round 12e: texts of an answer that went out unchecked — a Responses `output_text` part's citations
 * (`annotations`: a URL's `title` and `url`, a file's name) and the `response.output_text.annotation.added` events
 * that stream them, a computer call's `pending_safety_checks[].message`, a text completion whose `text` is not a
 * string. Citations go through the output stage now, on both routes, and a placeholder is never restored in a
 * URL (a scheme-less `url` too). An item of many strings is checked in one run of the output stage.
 */
import { describe, expect, it } from 'vitest';
import { createGateway, parseGatewayConfig } from '../../src/guard/gateway/index.js';
import { ResponsesStreamGuard } from '../../src/guard/gateway/responses.js';
import { createGuard, GuardSession } from '../../src/guard/index.js';
import type { PolicyInput } from '../../src/guard/policy.js';
import type { CheckDecision } from '../../src/guard/types.js';
import { sseEvents as events } from '../helpers/sse.js';

/** A secret the output stage redacts. */
const KEY = `ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`;
const EMAIL = 'jane.roe@example.org';
const PLACEHOLDER = '<EMAIL_ADDRESS_1>';

const POLICY: PolicyInput = {
  input: [{ check: 'pii', action: 'pseudonymise', entities: ['EMAIL_ADDRESS'] }],
  output: [{ check: 'secrets', action: 'redact' }],
  tool: [],
};

type Body = Record<string, unknown>;

function gateway(path: string, answer: Body | Body[]) {
  const seen: Body[] = [];
  const fakeFetch = (async (_url: string, init: RequestInit) => {
    seen.push(JSON.parse(String(init.body)) as Body);
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
  return { post, seen };
}

/** A citation whose title holds a secret and the user's address (as its placeholder), and a URL that holds both. */
const citation = () => ({
  type: 'url_citation',
  start_index: 0,
  end_index: 5,
  title: `Key ${KEY} for ${PLACEHOLDER}`,
  url: `evil.example/c?u=${PLACEHOLDER}&k=${KEY}`,
});
const fileCitation = () => ({ type: 'file_citation', file_id: 'file-abc', filename: `notes ${KEY}.txt`, index: 3 });

const message = (annotations: Body[]): Body => ({
  type: 'message',
  id: 'msg_1',
  status: 'completed',
  role: 'assistant',
  content: [{ type: 'output_text', text: 'Found it.', annotations }],
});

function expectChecked(a: Body) {
  expect(a.title).toBe(`Key <GITHUB_TOKEN_1> for ${EMAIL}`);
  // The URL: checked too, and its placeholder stays a placeholder.
  expect(a.url).toBe(`evil.example/c?u=${PLACEHOLDER}&k=<GITHUB_TOKEN_1>`);
}

describe('Responses citations are checked as output', () => {
  it('not streamed: titles and URLs checked, a URL keeps its placeholder, file ids kept', async () => {
    const { post } = gateway('/v1/responses', {
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      model: 'm',
      output: [message([citation(), fileCitation()])],
    });
    const res = await post({ model: 'm', input: `Write to ${EMAIL}.` });
    const json = (await res.json()) as { output: { content: { annotations: Body[] }[] }[] };
    const [url, file] = json.output[0].content[0].annotations;
    expectChecked(url);
    expect(file.filename).toBe('notes <GITHUB_TOKEN_1>.txt');
    expect(file.file_id).toBe('file-abc');
    expect(JSON.stringify(json)).not.toContain(KEY);
  });

  it('streamed: the annotation event, the announced part, the part and the final response carry checked texts', async () => {
    const ids = { item_id: 'msg_1', output_index: 0, content_index: 0 };
    const stream: Body[] = [
      { type: 'response.created', response: { id: 'resp_1', status: 'in_progress', output: [] } },
      { type: 'response.output_item.added', output_index: 0, item: { ...message([]), content: [] } },
      {
        type: 'response.content_part.added',
        ...ids,
        part: { type: 'output_text', text: '', annotations: [citation()] },
      },
      { type: 'response.output_text.delta', ...ids, delta: 'Found it.' },
      {
        type: 'response.output_text.annotation.added',
        ...ids,
        annotation_index: 0,
        annotation: citation(),
        note: `raw ${KEY}`,
      },
      { type: 'response.output_text.done', ...ids, text: 'Found it.' },
      {
        type: 'response.content_part.done',
        ...ids,
        part: { type: 'output_text', text: 'Found it.', annotations: [citation()] },
      },
      { type: 'response.output_item.done', output_index: 0, item: message([citation()]) },
      {
        type: 'response.completed',
        response: { id: 'resp_1', status: 'completed', model: 'm', output: [message([citation()])] },
      },
    ];
    const { post } = gateway('/v1/responses', stream);
    const res = await post({ model: 'm', input: `Write to ${EMAIL}.`, stream: true });
    const raw = await res.text();
    expect(raw).not.toContain(KEY);
    const evs = events(raw);
    const added = evs.find((e) => e.type === 'response.content_part.added') as { part: Body };
    expect(added.part.annotations).toEqual([]);
    const annotation = evs.find((e) => e.type === 'response.output_text.annotation.added') as Body;
    expect(annotation.annotation_index).toBe(0);
    expectChecked(annotation.annotation as Body);
    const done = evs.find((e) => e.type === 'response.content_part.done') as { part: { annotations: Body[] } };
    expectChecked(done.part.annotations[0]);
    const completed = evs.find((e) => e.type === 'response.completed') as {
      response: { output: { content: { annotations: Body[] }[] }[] };
    };
    expectChecked(completed.response.output[0].content[0].annotations[0]);
  });
});

describe('chat annotations: a URL keeps its placeholder', () => {
  it('a scheme-less citation URL is not restored, its title is', async () => {
    const { post } = gateway('/v1/chat/completions', {
      id: 'c1',
      object: 'chat.completion',
      model: 'm',
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: {
            role: 'assistant',
            content: 'Found it.',
            annotations: [{ type: 'url_citation', url_citation: { ...citation(), type: undefined } }],
          },
        },
      ],
    });
    const res = await post({ model: 'm', messages: [{ role: 'user', content: `Write to ${EMAIL}.` }] });
    const json = (await res.json()) as { choices: { message: { annotations: { url_citation: Body }[] } }[] };
    expectChecked(json.choices[0].message.annotations[0].url_citation);
  });
});

describe('computer_call pending safety checks', () => {
  it("a pending safety check's message is checked as output", async () => {
    const { post } = gateway('/v1/responses', {
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      model: 'm',
      output: [
        {
          type: 'computer_call',
          id: 'cu_1',
          call_id: 'c1',
          status: 'completed',
          action: { type: 'screenshot' },
          pending_safety_checks: [{ id: 'sc_1', code: 'malicious_instructions', message: `Saw ${KEY} on screen` }],
        },
      ],
    });
    const res = await post({ model: 'm', input: 'Go.' });
    const json = (await res.json()) as { output: { pending_safety_checks: Body[] }[] };
    expect(json.output[0].pending_safety_checks[0]).toEqual({
      id: 'sc_1',
      code: 'malicious_instructions',
      message: 'Saw <GITHUB_TOKEN_1> on screen',
    });
  });
});

describe('text completions: a choice whose text is not a string', () => {
  const completion = (choice: Body): Body => ({
    id: 'cmpl_1',
    object: 'text_completion',
    model: 'm',
    choices: [{ index: 0, finish_reason: 'stop', logprobs: null, ...choice }],
  });

  it('its strings are read and checked, not skipped', async () => {
    const { post } = gateway('/v1/completions', completion({ text: [`part ${KEY}`, { more: `and ${KEY}` }] }));
    const res = await post({ model: 'm', prompt: 'Say.' });
    const json = (await res.json()) as { choices: Body[] };
    expect(JSON.stringify(json)).not.toContain(KEY);
    expect(json.choices[0].text).toEqual(['part <GITHUB_TOKEN_1>', { more: 'and <GITHUB_TOKEN_1>' }]);
  });

  it('a block gives the refusal as the text', async () => {
    const blocking = createGateway(
      parseGatewayConfig({
        upstream: { baseUrl: 'http://upstream.test/v1' },
        policy: { ...POLICY, output: [{ check: 'secrets', action: 'block' }] },
        audit: { enabled: false },
      }),
      { fetch: (async () => Response.json(completion({ text: { value: `leak ${KEY}` } }))) as typeof fetch },
    );
    const res = await blocking.app.request('/v1/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', prompt: 'Say.' }),
    });
    expect(res.headers.get('x-lifeguard-blocked')).toBe('output');
    const json = (await res.json()) as { choices: Body[] };
    expect(JSON.stringify(json)).not.toContain(KEY);
    expect(json.choices[0].finish_reason).toBe('content_filter');
    expect(typeof json.choices[0].text).toBe('string');
  });
});

describe('an item of many strings is one run of the output stage', () => {
  it('a kind the gateway does not know: every string checked, in one check, each written back', async () => {
    const batches: CheckDecision[][] = [];
    const guard = createGuard(POLICY);
    const reader = new ResponsesStreamGuard({
      guard,
      session: new GuardSession(),
      requestId: 'r1',
      record: (d) => batches.push([...d]),
    });
    const strings = Array.from({ length: 40 }, (_, i) => (i === 7 ? `leak ${KEY}` : `line ${i}`));
    const item = await reader.checkedItem({ type: 'future_call', id: 'f1', results: strings.map((s) => ({ s })) }, 0);
    expect(item).toBeDefined();
    const results = (item as { results: { s: string }[] }).results;
    expect(results[7].s).toBe('leak <GITHUB_TOKEN_1>');
    expect(results[8].s).toBe('line 8');
    expect(batches.filter((b) => b.some((d) => d.stage === 'output'))).toHaveLength(1);
  });
});
