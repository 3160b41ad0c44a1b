import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig, type RunningGateway, serveGateway } from '../../src/guard/gateway/index.js';
import type { CheckDecision } from '../../src/guard/types.js';

/**
 * A streamed Responses answer that broke off always ended with `code: "upstream_stream_error"`, also for a
 * timeout or an oversize answer (the chat route says `upstream_timeout` and `upstream_response_too_large`), and
 * the upstream's own `response.failed` was counted as outcome `200`.
 */
type Handler = (res: ServerResponse) => Promise<void>;
let handler: Handler = async (res) => {
  res.end();
};
let server: Server;
let gw: RunningGateway;
const decisions: { rid: string; d: CheckDecision }[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ev = (o: Record<string, unknown>) => `event: ${o.type}\ndata: ${JSON.stringify(o)}\n\n`;
const delta = (text: string) =>
  ev({ type: 'response.output_text.delta', item_id: 'm1', output_index: 0, content_index: 0, delta: text });
const start =
  ev({ type: 'response.created', response: { id: 'resp_1', status: 'in_progress', output: [] } }) +
  ev({ type: 'response.output_item.added', output_index: 0, item: { type: 'message', id: 'm1', content: [] } }) +
  ev({
    type: 'response.content_part.added',
    item_id: 'm1',
    output_index: 0,
    content_index: 0,
    part: { type: 'output_text', text: '' },
  });
const answer = 'Lisbon is the capital of Portugal and one of the oldest cities in western Europe. ';

async function metric(outcome: string): Promise<number> {
  const text = await (await fetch(`${gw.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('lifeguard_requests_total') &&
        l.includes('route="responses"') &&
        l.includes(`outcome="${outcome}"`),
    );
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** Streams a Responses request; its events, and the request id. */
async function ask(): Promise<{ events: Record<string, unknown>[]; rid: string | null }> {
  const res = await fetch(`${gw.url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', stream: true, input: 'Lisbon?' }),
  });
  const events = (await res.text())
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)));
  return { events, rid: res.headers.get('x-lifeguard-request-id') };
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    for await (const _ of req);
    await handler(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  gw = await serveGateway(
    parseGatewayConfig({
      upstream: { baseUrl: upstream, timeoutMs: 300, maxResponseBytes: 64 * 1024 },
      server: { port: 0 },
    }),
    { onDecisions: (ds, info) => decisions.push(...ds.map((d) => ({ rid: info.requestId, d }))) },
  );
});
afterAll(async () => {
  await gw.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('a streamed Responses answer that breaks off says why, as the chat route does', () => {
  it('an upstream silent past its timeout: upstream_timeout, counted as stream_timeout', async () => {
    const before = await metric('stream_timeout');
    handler = async (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(start + delta(answer));
      await sleep(2000); // past timeoutMs
      res.end();
    };
    const { events } = await ask();
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'upstream_timeout' });
    expect(await metric('stream_timeout')).toBe(before + 1);
  });

  it('an answer over maxResponseBytes: upstream_response_too_large, counted as stream_too_large', async () => {
    const before = await metric('stream_too_large');
    handler = async (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(start);
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write(delta(answer.repeat(8)));
        await sleep(1);
      }
      if (!res.destroyed) res.end();
    };
    const { events } = await ask();
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'upstream_response_too_large' });
    expect(await metric('stream_too_large')).toBe(before + 1);
  });
});

describe("the upstream's response.failed", () => {
  it('is passed on as the final event and counted as a stream error, not 200; its checks are audited', async () => {
    const [errors, ok] = [await metric('stream_error'), await metric('200')];
    handler = async (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(start + delta(answer.repeat(8))); // long enough that checks ran on it
      res.end(
        ev({
          type: 'response.failed',
          response: {
            id: 'resp_1',
            status: 'failed',
            error: { code: 'server_error', message: 'The model failed.' },
            output: [],
          },
        }),
      );
    };
    const { events, rid } = await ask();
    expect(events.at(-1)).toMatchObject({ type: 'response.failed', response: { status: 'failed' } });
    expect(await metric('stream_error')).toBe(errors + 1);
    expect(await metric('200')).toBe(ok);
    await sleep(20);
    const checks = decisions.filter((x) => x.rid === rid && x.d.stage === 'output').map((x) => x.d.check);
    expect(checks.sort()).toEqual(['harmful', 'pii', 'secrets']);
  });
});
