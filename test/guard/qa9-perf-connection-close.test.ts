import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig, type RunningGateway, serveGateway } from '../../src/guard/gateway/index.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

let upstream: FakeUpstream;
let gw: RunningGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gw = await serveGateway(
    parseGatewayConfig({ upstream: { baseUrl: upstream.url }, server: { port: 0 }, policy: { name: 'none' } }),
  );
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

/** One raw HTTP/1.1 streamed chat request; resolves with what came back once the gateway closed the socket. */
function rawStream(connection: 'close' | 'keep-alive'): Promise<{ head: string; body: string; closedBy: string }> {
  const { port } = new URL(gw.url);
  const body = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'Hello' }] });
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), '127.0.0.1');
    let raw = '';
    // A kept-alive socket is not closed by the gateway: the test closes it after the last chunk.
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ head: raw.split('\r\n\r\n')[0], body: raw, closedBy: 'client' });
    }, 1500);
    s.on('data', (d) => {
      raw += d;
    });
    s.on('error', reject);
    s.on('end', () => {
      clearTimeout(timer);
      s.destroy();
      resolve({ head: raw.split('\r\n\r\n')[0], body: raw, closedBy: 'server' });
    });
    s.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: ${connection}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}

describe('gateway: a streamed answer honours the client’s Connection header', () => {
  it('closes the socket right after the answer when the client sent Connection: close', async () => {
    upstream.script = { answer: 'Lisbon has great food.', chunk: 5 };
    const r = await rawStream('close');
    expect(r.body).toContain('data: [DONE]');
    expect(r.head).toMatch(/^connection: close$/im);
    // Set to keep-alive by the gateway, the socket stayed open for the keep-alive timeout (about 6 s).
    expect(r.closedBy).toBe('server');
  });

  it('keeps the connection open for reuse otherwise', async () => {
    upstream.script = { answer: 'Lisbon has great food.', chunk: 5 };
    const r = await rawStream('keep-alive');
    expect(r.body).toContain('data: [DONE]');
    expect(r.head).toMatch(/^connection: keep-alive$/im);
    expect(r.closedBy).toBe('client');
  });
});
