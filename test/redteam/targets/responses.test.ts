import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTarget, TargetSpecSchema, targetFingerprint } from '../../../src/redteam/targets/index.js';
import { type FakeUpstream, startFakeUpstream } from '../../guard/upstream.js';

// The fake speaks the Responses API as OpenAI does: an answer with output items, or its typed event stream.
let up: FakeUpstream;
beforeAll(async () => {
  up = await startFakeUpstream();
});
afterAll(() => up.close());

describe('openai target, api: responses', () => {
  it('sends input items and max_output_tokens to /responses; reads the output text and usage', async () => {
    up.script = { answer: 'Here is a short poem about the sea.' };
    const t = createTarget({
      type: 'openai',
      api: 'responses',
      baseUrl: up.url,
      model: 'm1',
      system: 'Be brief.',
      params: { max_tokens: 64, temperature: 0 },
    });
    const r = await t.send({ messages: [{ role: 'user', content: 'A poem, please.' }] });
    expect(r).toEqual({
      text: 'Here is a short poem about the sea.',
      usage: { promptTokens: 5, completionTokens: 5 },
      finishReason: 'stop',
    });
    expect(up.requests.at(-1)).toEqual({
      model: 'm1',
      max_output_tokens: 64,
      temperature: 0,
      input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'A poem, please.' },
      ],
    });
  });
  it('joins a streamed answer from its events', async () => {
    up.script = { answer: 'Streamed, in small pieces, and whole again.', chunk: 4 };
    const t = createTarget({ type: 'openai', api: 'responses', stream: true, baseUrl: up.url, model: 'm1' });
    const r = await t.send({ messages: [{ role: 'user', content: 'Go.' }] });
    expect(r.text).toBe('Streamed, in small pieces, and whole again.');
    expect(r.finishReason).toBe('stop');
  });
  it('a chat endpoint answering /responses with no output list is a clear upstream error', async () => {
    up.script = { answer: 'x', status: 404 };
    const t = createTarget({ type: 'openai', api: 'responses', baseUrl: up.url, model: 'm1' });
    await expect(t.send({ messages: [{ role: 'user', content: 'Go.' }] })).rejects.toMatchObject({
      code: 'LG_ERR_UPSTREAM',
    });
    up.script = { answer: 'ok' };
  });
  it('leaves chat specs as they were (same fingerprint without api), and tells the two apart', () => {
    const chat = TargetSpecSchema.parse({ type: 'openai', baseUrl: 'http://h/v1', model: 'm' });
    expect('api' in chat).toBe(false);
    const responses = TargetSpecSchema.parse({ type: 'openai', baseUrl: 'http://h/v1', model: 'm', api: 'responses' });
    expect(targetFingerprint(responses)).not.toBe(targetFingerprint(chat));
  });
});
