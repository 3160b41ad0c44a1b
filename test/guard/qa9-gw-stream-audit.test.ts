import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig, type RunningGateway, serveGateway } from '../../src/guard/gateway/index.js';
import type { CheckDecision } from '../../src/guard/types.js';

/**
 * A streamed answer that breaks off (upstream timeout, socket closed, an upstream error event, the client gone)
 * had released checked text, but the decisions of the checks that released it never reached the audit log:
 * only the input stage's were recorded.
 */
type Handler = (res: ServerResponse) => Promise<void>;
let handler: Handler = async (res) => {
  res.end();
};
let server: Server;
let gw: RunningGateway;
const decisions: { rid: string; d: CheckDecision }[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const answer = 'Lisbon is the capital of Portugal and one of the oldest cities in western Europe. '.repeat(8);
const chat = (text: string) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
const completion = (text: string) =>
  `data: ${JSON.stringify({ id: 'c', object: 'text_completion', model: 'm', choices: [{ index: 0, text, finish_reason: null }] })}\n\n`;
const responsesEv = (o: Record<string, unknown>) => `event: ${o.type}\ndata: ${JSON.stringify(o)}\n\n`;
const responsesDelta = (text: string) =>
  responsesEv({ type: 'response.output_text.delta', item_id: 'm1', output_index: 0, content_index: 0, delta: text });
const responsesStart =
  responsesEv({ type: 'response.created', response: { id: 'resp_1', status: 'in_progress', output: [] } }) +
  responsesEv({
    type: 'response.output_item.added',
    output_index: 0,
    item: { type: 'message', id: 'm1', role: 'assistant', content: [] },
  }) +
  responsesEv({
    type: 'response.content_part.added',
    item_id: 'm1',
    output_index: 0,
    content_index: 0,
    part: { type: 'output_text', text: '' },
  });

const routes = {
  chat: {
    path: 'chat/completions',
    body: { messages: [{ role: 'user', content: 'Lisbon?' }] },
    chunk: chat,
    start: '',
  },
  completions: { path: 'completions', body: { prompt: 'Lisbon?' }, chunk: completion, start: '' },
  responses: { path: 'responses', body: { input: 'Lisbon?' }, chunk: responsesDelta, start: responsesStart },
} as const;

/** Streams the answer in 20-character chunks, then ends as `how` says. */
function breakingUpstream(route: keyof typeof routes, how: 'hang' | 'destroy' | 'slow'): Handler {
  const r = routes[route];
  return async (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(r.start);
    for (let i = 0; i < answer.length; i += 20) {
      if (res.destroyed) return;
      res.write(r.chunk(answer.slice(i, i + 20)));
      if (how === 'slow') await sleep(10);
    }
    if (how === 'destroy') {
      await sleep(30); // let the chunks out first
      res.destroy();
    }
    if (how === 'slow') res.end();
  };
}

const outputOf = (rid: string | null) => decisions.filter((x) => x.rid === rid && x.d.stage === 'output');

beforeAll(async () => {
  server = createServer(async (req, res) => {
    for await (const _ of req);
    await handler(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  gw = await serveGateway(
    parseGatewayConfig({ upstream: { baseUrl: upstream, timeoutMs: 300 }, server: { port: 0 } }),
    { onDecisions: (ds, info) => decisions.push(...ds.map((d) => ({ rid: info.requestId, d }))) },
  );
});
afterAll(async () => {
  await gw.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('a streamed answer that breaks off still has its output checks audited', () => {
  for (const route of Object.keys(routes) as (keyof typeof routes)[]) {
    for (const how of ['hang', 'destroy'] as const) {
      it(`${route}: upstream ${how === 'hang' ? 'silent past its timeout' : 'closes the socket'} mid-stream`, async () => {
        handler = breakingUpstream(route, how);
        const res = await fetch(`${gw.url}/v1/${routes[route].path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'm', stream: true, ...routes[route].body }),
        });
        const raw = await res.text();
        expect(raw).toMatch(/error/); // the stream ended with its error event
        expect(raw).toContain('Lisbon is the capital'); // checked text had been released
        const rid = res.headers.get('x-lifeguard-request-id');
        await sleep(20);
        const out = outputOf(rid);
        // One summary per output check of the default policy (harmful, secrets, pii), as a finished stream records.
        expect(out.map((x) => x.d.check).sort()).toEqual(['harmful', 'pii', 'secrets']);
      });
    }

    it(`${route}: the client goes away mid-stream`, async () => {
      handler = breakingUpstream(route, 'slow');
      const res = await fetch(`${gw.url}/v1/${routes[route].path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', stream: true, ...routes[route].body }),
      });
      const rid = res.headers.get('x-lifeguard-request-id');
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let seen = '';
      while (!seen.includes('Lisbon is the capital')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
      }
      await reader.cancel();
      for (let i = 0; i < 50 && outputOf(rid).length === 0; i++) await sleep(20);
      expect(
        outputOf(rid)
          .map((x) => x.d.check)
          .sort(),
      ).toEqual(['harmful', 'pii', 'secrets']);
    });
  }
});

describe("a Responses stream that ends with the upstream's error event", () => {
  it('rebuilds the event (no extra fields, message cleaned and cut) and counts a stream error', async () => {
    const metric = async () => {
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      const line = text
        .split('\n')
        .find((l) => l.includes('outcome="stream_error"') && l.includes('route="responses"'));
      return line ? Number(line.split(' ').at(-1)) : 0;
    };
    const before = await metric();
    handler = async (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(responsesStart);
      res.end(
        responsesEv({
          type: 'error',
          code: 'server_error',
          message: `bad \u001b[31mthing\nhappened ${'x'.repeat(400)}`,
          param: null,
          partial_output: 'text nobody checked',
        }),
      );
    };
    const res = await fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: true, input: 'Lisbon?' }),
    });
    const raw = await res.text();
    expect(raw).not.toContain('text nobody checked');
    const last = JSON.parse(
      raw
        .trim()
        .split('\n')
        .at(-1)
        ?.replace(/^data: /, '') ?? '{}',
    );
    expect(Object.keys(last).sort()).toEqual(['code', 'message', 'param', 'sequence_number', 'type']);
    expect(last).toMatchObject({ type: 'error', code: 'upstream_stream_error' });
    expect(last.message).not.toMatch(/[\u0000-\u001f]/);
    expect(last.message.length).toBeLessThan(260);
    expect(await metric()).toBe(before + 1);
  });
});
