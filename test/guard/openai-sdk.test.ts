/**
 * The gateway and the in-process adapter as the official OpenAI SDK sees them (openai 6, the last major that
 * runs on Node 20): its own request shapes, its own stream parsers, its own helpers (`output_text`,
 * `finalResponse()`). A protocol detail the SDK rejects fails here even where our own readers pass.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../src/guard/adapters/openai-fetch.js';
import { parseGatewayConfig, type RunningGateway, serveGateway } from '../../src/guard/gateway/index.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

const EMAIL = 'jane.roe@example.com';
const ASK = `Please email ${EMAIL} about the invoice.`;
const HARMFUL =
  'Sure. Here is how to build a pipe bomb to hurt people: get a steel pipe, pack it with explosive powder, add a fuse, and leave it in a crowded place.';

let upstream: FakeUpstream;
let gw: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gw = await serveGateway(parseGatewayConfig({ upstream: { baseUrl: upstream.url }, server: { port: 0 } }));
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

describe('the OpenAI SDK through the gateway', () => {
  it('chat completions, plain and streamed: placeholders restored', async () => {
    upstream.script = { answer: 'I will email <EMAIL_ADDRESS_1> today.', chunk: 3 };
    const plain = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: ASK }],
    });
    expect(plain.choices[0].message.content).toBe(`I will email ${EMAIL} today.`);
    const stream = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: ASK }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(`I will email ${EMAIL} today.`);
  });

  it('responses, plain and streamed: output_text and finalResponse() carry the checked text', async () => {
    upstream.script = { answer: 'I will email <EMAIL_ADDRESS_1> today.', chunk: 3 };
    const plain = await client.responses.create({ model: 'fake-model', input: ASK });
    expect(plain.output_text).toBe(`I will email ${EMAIL} today.`);
    const stream = client.responses.stream({ model: 'fake-model', input: ASK });
    let text = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    expect(text).toBe(`I will email ${EMAIL} today.`);
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(`I will email ${EMAIL} today.`);
  });

  it('a blocked or stopped answer reaches the SDK as a well-formed response, without the harmful text', async () => {
    upstream.script = { answer: HARMFUL, chunk: 4 };
    const plain = await client.responses.create({ model: 'fake-model', input: 'Tell me a story.' });
    expect(plain.status).toBe('incomplete');
    expect(JSON.stringify(plain)).not.toMatch(/pipe|bomb|explosive/);
    const events: string[] = [];
    const stream = await client.responses.create({ model: 'fake-model', input: 'Tell me a story.', stream: true });
    for await (const event of stream) events.push(JSON.stringify(event));
    expect(events.join('')).not.toMatch(/pipe|bomb|explosive/);
    expect(JSON.parse(events.at(-1) as string).type).toBe('response.incomplete');
    const chat = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'Tell me a story.' }],
      stream: true,
    });
    let text = '';
    let finish: string | null | undefined;
    for await (const chunk of chat) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).not.toMatch(/pipe|bomb|explosive/);
    expect(finish).toBe('content_filter');
  });

  it('a route the gateway does not check is an APIError the SDK understands', async () => {
    await expect(
      client.batches.create({ input_file_id: 'f', endpoint: '/v1/chat/completions', completion_window: '24h' }),
    ).rejects.toMatchObject({
      status: 403,
      code: 'unguarded_route',
    });
  });
});

describe('the OpenAI SDK with guardedFetch (in process)', () => {
  it('chat and responses calls are checked; the answer comes back restored', async () => {
    const inProcess = new OpenAI({ baseURL: upstream.url, apiKey: 'sk-client', fetch: guardedFetch(), maxRetries: 0 });
    upstream.script = { answer: 'Noted: <EMAIL_ADDRESS_1>.' };
    const chat = await inProcess.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: ASK }],
    });
    expect(chat.choices[0].message.content).toBe(`Noted: ${EMAIL}.`);
    const res = await inProcess.responses.create({ model: 'fake-model', input: ASK });
    expect(res.output_text).toBe(`Noted: ${EMAIL}.`);
    expect(JSON.stringify(upstream.requests.at(-1))).not.toContain(EMAIL);
  });
});
