import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig, type RunningGateway, serveGateway } from '../../src/guard/gateway/index.js';

/** An upstream that streams in awkward ways: bytes split anywhere, odd line ends, cut short. */
type Handler = (body: Record<string, unknown>, res: ServerResponse) => Promise<void> | void;
let handler: Handler = (_b, res) => {
  res.end();
};
let server: Server;
let gw: RunningGateway;
let upstreamRequests = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const sse = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream' });

/** Writes `text` a few bytes at a time (cutting UTF-8 characters and lines anywhere), with pauses. */
async function dribble(res: ServerResponse, text: string, bytes: number): Promise<void> {
  const buf = Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i += bytes) {
    res.write(buf.subarray(i, i + bytes));
    if (i % (bytes * 16) === 0) await sleep(1);
  }
  res.end();
}

const ask = (content: string, extra: Record<string, unknown> = {}) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content }], ...extra }),
  });

function parse(raw: string): { events: Record<string, unknown>[]; done: boolean; text: string } {
  const events: Record<string, unknown>[] = [];
  let done = false;
  for (const block of raw.split('\n\n')) {
    const data = block.replace(/^data: /, '').trim();
    if (!data) continue;
    if (data === '[DONE]') done = true;
    else events.push(JSON.parse(data));
  }
  const text = events
    .map((e) => (e.choices as { delta?: { content?: string } }[] | undefined)?.[0]?.delta?.content ?? '')
    .join('');
  return { events, done, text };
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    upstreamRequests++;
    await handler(JSON.parse(raw || '{}'), res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  gw = await serveGateway(
    parseGatewayConfig({ upstream: { baseUrl: upstream, timeoutMs: 2000 }, server: { port: 0 } }),
  );
});
afterAll(async () => {
  await gw.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('SSE framing from the upstream', () => {
  const answer = ['Bom dia: ', '😀 café — 日本語 ', '\ud83d', '\ude00 ', 'the end.'];
  const stream = () =>
    chunk({ role: 'assistant', content: '' }) +
    ': keep-alive comment\n\n' +
    answer.map((a) => chunk({ content: a })).join('') +
    'event: message\nid: 7\n' +
    chunk({}, 'stop') +
    'data: [DONE]\n\n';

  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['a lone CR (the SSE spec allows it)', '\r'],
  ] as const) {
    it(`reads events whose lines end in ${name}, split across writes and inside UTF-8 characters`, async () => {
      handler = (_b, res) => {
        sse(res);
        return dribble(res, stream().replace(/\n/g, eol), 3);
      };
      const got = parse(await (await ask('Say hello.')).text());
      expect(got.text).toBe('Bom dia: 😀 café — 日本語 😀 the end.');
      expect(got.events.at(-1)).toMatchObject({ choices: [{ finish_reason: 'stop' }] });
      expect(got.done).toBe(true);
    });
  }

  it('restores a placeholder the model streams one character at a time', async () => {
    handler = async (body, res) => {
      sse(res);
      const sent = (body.messages as { content: string }[])[0].content;
      const tag = /<EMAIL_ADDRESS_\d+>/.exec(sent)?.[0] ?? 'no placeholder';
      let s = '';
      for (const ch of `I will write to ${tag}, yes ${tag}.`) s += chunk({ content: ch });
      await dribble(res, `${s}${chunk({}, 'stop')}data: [DONE]\n\n`, 7);
    };
    const got = parse(await (await ask('My address is dana.lee@example.org, note it.')).text());
    expect(got.text).toBe('I will write to dana.lee@example.org, yes dana.lee@example.org.');
  });
});

describe('a stream cut short', () => {
  it('ends with an error event, not a finish_reason, when the body ends with no [DONE] and no finish', async () => {
    handler = (_b, res) => {
      sse(res);
      res.write(chunk({ role: 'assistant', content: '' }));
      res.end(chunk({ content: 'Lisbon is the capital of' })); // a clean end, mid-sentence
    };
    const got = parse(await (await ask('Lisbon?')).text());
    expect(got.done).toBe(true);
    expect(got.events.at(-1)).toMatchObject({ error: { code: 'upstream_stream_error' } });
    expect(got.events.some((e) => (e.choices as { finish_reason?: unknown }[] | undefined)?.[0]?.finish_reason)).toBe(
      false,
    );
  });

  it('still finishes normally when the upstream sent the finish but no [DONE]', async () => {
    handler = (_b, res) => {
      sse(res);
      res.write(chunk({ content: 'Lisbon is in Portugal.' }));
      res.end(chunk({}, 'stop'));
    };
    const got = parse(await (await ask('Lisbon?')).text());
    expect(got.text).toBe('Lisbon is in Portugal.');
    expect(got.events.at(-1)).toMatchObject({ choices: [{ finish_reason: 'stop' }] });
  });
});

describe('request types', () => {
  it('refuses a `stream` that is not a boolean with 400, without calling the upstream', async () => {
    handler = (_b, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${chunk({ content: 'streamed anyway' }, 'stop')}data: [DONE]\n\n`);
    };
    const before = upstreamRequests;
    for (const stream of ['true', 1, {}]) {
      const res = await ask('Lisbon?', { stream });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_type');
    }
    expect(upstreamRequests).toBe(before);
    // null is "not set", as the API reads it.
    handler = (_b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        }),
      );
    };
    expect((await ask('Lisbon?', { stream: null })).status).toBe(200);
  });
});
