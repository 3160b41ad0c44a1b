/**
 * Responses API with JSON output (`text.format` `json_schema` / `json_object`): placeholders restored in the
 * answer's `output_text` are written as JSON string content, so a value over several lines keeps the JSON valid
 * (streamed and not).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../src/guard/adapters/openai-fetch.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

const ADDRESS = '221B Baker Street\nLondon NW1 6XE\nUnited Kingdom';
const ASK = `Ship my order to:\n${ADDRESS}`;

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

const SCHEMA = {
  type: 'json_schema' as const,
  name: 'ship',
  schema: { type: 'object', properties: { shipTo: { type: 'string' } }, required: ['shipTo'] },
};

describe('responses: JSON output keeps restored values valid JSON', () => {
  for (const format of [SCHEMA, { type: 'json_object' as const }]) {
    it(`${format.type}: plain`, async () => {
      upstream.script = { answer: '{"shipTo":"<ADDRESS_1>"}' };
      const r = await client.responses.create({ model: 'fake-model', input: ASK, text: { format } });
      expect(JSON.stringify(upstream.requests.at(-1))).not.toContain('Baker Street');
      expect(JSON.parse(r.output_text)).toEqual({ shipTo: ADDRESS });
    });

    it(`${format.type}: streamed, placeholder split across deltas`, async () => {
      upstream.script = { answer: '{"shipTo":"<ADDRESS_1>"}', chunk: 3 };
      const stream = client.responses.stream({ model: 'fake-model', input: ASK, text: { format } });
      let deltas = '';
      let done = '';
      for await (const ev of stream) {
        if (ev.type === 'response.output_text.delta') deltas += ev.delta;
        if (ev.type === 'response.output_text.done') done = ev.text;
      }
      const final = await stream.finalResponse();
      expect(JSON.parse(deltas)).toEqual({ shipTo: ADDRESS });
      expect(JSON.parse(done)).toEqual({ shipTo: ADDRESS });
      expect(JSON.parse(final.output_text)).toEqual({ shipTo: ADDRESS });
    });
  }

  it('plain text output still gets the value as written', async () => {
    upstream.script = { answer: 'Shipping to <ADDRESS_1>.' };
    const r = await client.responses.create({ model: 'fake-model', input: ASK });
    expect(r.output_text).toBe(`Shipping to ${ADDRESS}.`);
  });
});
