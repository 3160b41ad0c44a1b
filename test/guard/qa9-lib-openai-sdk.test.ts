/**
 * The OpenAI SDK through `guardedFetch` (QA round 9): tool-call arguments with restored placeholders must
 * stay JSON the app can parse, whatever the value holds (a postal address over several lines).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../src/guard/adapters/openai-fetch.js';
import { GuardSession } from '../../src/guard/index.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

const ADDRESS = '221B Baker Street\nLondon NW1 6XE\nUnited Kingdom';
const ASK = `Ship my order to:\n${ADDRESS}`;
const TOOLS = [
  {
    type: 'function' as const,
    function: { name: 'ship', parameters: { type: 'object', properties: { to: { type: 'string' } } } },
  },
];

let upstream: FakeUpstream;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  client = new OpenAI({
    baseURL: upstream.url,
    apiKey: 'sk-test',
    maxRetries: 0,
    fetch: guardedFetch({ policy: { input: [{ check: 'pii', action: 'pseudonymise' }] } }),
  });
});
afterAll(async () => {
  await upstream.close();
});

describe('guardedFetch: restored tool-call arguments stay valid JSON', () => {
  it('chat completions, plain and streamed', async () => {
    upstream.script = { answer: '', chunk: 4, toolCall: { name: 'ship', arguments: '{"to":"<ADDRESS_1>"}' } };
    const plain = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: ASK }],
      tools: TOOLS,
    });
    expect(JSON.stringify(upstream.requests.at(-1))).not.toContain('Baker Street');
    const call = plain.choices[0].message.tool_calls?.[0];
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ to: ADDRESS });

    const stream = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: ASK }],
      tools: TOOLS,
      stream: true,
    });
    let args = '';
    for await (const chunk of stream) args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
    expect(JSON.parse(args)).toEqual({ to: ADDRESS });
  });

  it('responses, plain and streamed', async () => {
    upstream.script = {
      answer: 'On its way.',
      chunk: 4,
      toolCall: { name: 'ship', arguments: '{"to":"<ADDRESS_1>"}' },
    };
    const tools = [
      { type: 'function' as const, name: 'ship', parameters: TOOLS[0].function.parameters, strict: false },
    ];
    const plain = await client.responses.create({ model: 'fake-model', input: ASK, tools });
    const call = plain.output.find((o) => o.type === 'function_call');
    expect(call?.type === 'function_call' && JSON.parse(call.arguments)).toEqual({ to: ADDRESS });

    const stream = client.responses.stream({ model: 'fake-model', input: ASK, tools });
    let done: string | undefined;
    for await (const event of stream)
      if (event.type === 'response.function_call_arguments.done') done = event.arguments;
    expect(JSON.parse(done ?? '')).toEqual({ to: ADDRESS });
  });
});

describe('GuardSession.restoreArguments', () => {
  it('escapes values inside JSON, restores free text as written, leaves clean arguments alone', async () => {
    const session = new GuardSession();
    const tag = session.vault.tagFor('ADDRESS', 'a "b"\nc\\d');
    expect(JSON.parse(session.restoreArguments(JSON.stringify({ to: tag, n: 1 })))).toEqual({
      to: 'a "b"\nc\\d',
      n: 1,
    });
    expect(session.restoreArguments(`ship to ${tag}`)).toBe('ship to a "b"\nc\\d');
    expect(session.restoreArguments('{"to":"x"}')).toBe('{"to":"x"}');
  });
});

describe('guardedFetch: JSON mode answers stay valid JSON once their placeholders are restored', () => {
  it('chat completions with response_format json_object, plain and streamed', async () => {
    upstream.script = { answer: '{"to":"<ADDRESS_1>","n":1}', chunk: 4 };
    const plain = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: ASK }],
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(plain.choices[0].message.content ?? '')).toEqual({ to: ADDRESS, n: 1 });
    const stream = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: ASK }],
      response_format: { type: 'json_object' },
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(JSON.parse(text)).toEqual({ to: ADDRESS, n: 1 });
    // Without JSON mode the value is restored as written.
    upstream.script = { answer: 'Shipping to <ADDRESS_1>.' };
    const prose = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: ASK }],
    });
    expect(prose.choices[0].message.content).toBe(`Shipping to ${ADDRESS}.`);
  });
});
