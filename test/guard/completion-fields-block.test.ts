import { describe, expect, it } from 'vitest';
import { createGateway, parseGatewayConfig } from '../../src/guard/gateway/index.js';

const KEY = `ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`;

function post(path: string, answer: Record<string, unknown>, body: Record<string, unknown>) {
  const gw = createGateway(
    parseGatewayConfig({
      upstream: { baseUrl: 'http://upstream.test/v1' },
      policy: { input: [], output: [{ check: 'secrets', action: 'block' }], tool: [] },
      audit: { enabled: false },
    }),
    { fetch: (async () => Response.json(answer)) as typeof fetch },
  );
  return gw.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe("a block in a completion's own fields", () => {
  it('chat: the refusal replaces the choices and the fields that held the blocked text are gone', async () => {
    const res = await post(
      '/v1/chat/completions',
      {
        id: 'c1',
        object: 'chat.completion',
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Fine.' }, finish_reason: 'stop' }],
        citations: [`https://x.example/${KEY}`],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      },
      { model: 'm', messages: [{ role: 'user', content: 'Hi' }] },
    );
    const text = await res.text();
    expect(res.headers.get('x-lifeguard-blocked')).toBe('output');
    expect(text).not.toContain(KEY);
    const json = JSON.parse(text) as Record<string, unknown>;
    expect((json.choices as { finish_reason: string }[])[0].finish_reason).toBe('content_filter');
    expect(json.citations).toBeUndefined();
    expect(json.usage).toBeDefined();
  });

  it('text completions: the same', async () => {
    const res = await post(
      '/v1/completions',
      {
        id: 'c1',
        object: 'text_completion',
        choices: [{ index: 0, text: 'Fine.', finish_reason: 'stop' }],
        extra: KEY,
      },
      { model: 'm', prompt: 'Hi' },
    );
    const text = await res.text();
    expect(res.headers.get('x-lifeguard-blocked')).toBe('output');
    expect(text).not.toContain(KEY);
  });
});

describe("a block in a Responses answer's own fields", () => {
  it('the refusal replaces the output and the field that held the blocked text is gone', async () => {
    const res = await post(
      '/v1/responses',
      {
        id: 'resp_1',
        object: 'response',
        status: 'completed',
        model: 'm',
        output: [
          {
            type: 'message',
            id: 'msg_1',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: 'Fine.', annotations: [] }],
          },
        ],
        provider_notes: { text: `key ${KEY}` },
      },
      { model: 'm', input: 'Hi' },
    );
    const text = await res.text();
    expect(res.headers.get('x-lifeguard-blocked')).toBe('output');
    expect(text).not.toContain(KEY);
    expect((JSON.parse(text) as Record<string, unknown>).provider_notes).toBeUndefined();
  });

  it('an item that blocks first takes the unread extra fields with it', async () => {
    const res = await post(
      '/v1/responses',
      {
        id: 'resp_1',
        object: 'response',
        status: 'completed',
        model: 'm',
        output: [
          {
            type: 'message',
            id: 'msg_1',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: `key ${KEY}`, annotations: [] }],
          },
        ],
        provider_notes: { text: 'never read by any check' },
      },
      { model: 'm', input: 'Hi' },
    );
    const json = (await res.json()) as Record<string, unknown>;
    expect(res.headers.get('x-lifeguard-blocked')).toBe('output');
    expect(json.provider_notes).toBeUndefined();
    expect(json.status).toBe('incomplete');
  });
});
