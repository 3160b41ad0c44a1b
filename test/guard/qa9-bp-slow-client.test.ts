import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway, parseGatewayConfig } from '../../src/guard/gateway/index.js';

/**
 * A client that reads slowly must slow the upstream down, not make the gateway buffer the answer: streamed
 * answers were pushed to the client without waiting for it to drain, so the gateway read the upstream at full
 * speed and held up to `upstream.maxResponseBytes` per request.
 *
 * The client reaches the gateway over a Unix socket, whose kernel buffers are small and fixed (loopback TCP
 * grows its own to megabytes): what the upstream could write beyond what the client read is then the gateway's
 * own buffering plus the upstream hop's socket buffers.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The answer's text: ~500 KB in ~2 KB deltas, more than the client's socket and the gateway's queue hold. */
const TEXT = 'All fine here, nothing to see. '.repeat(64);
const EVENTS = 250;
/**
 * Then SSE comments (keep-alives, which the gateway reads and drops) up to 24 MB in all: cheap to read, so a
 * gateway that does not wait for its client reads them all at once. The upstream hop's socket buffers alone may
 * hold 4 MB (Linux grows a loopback socket's send buffer up to `tcp_wmem`'s maximum), so the answer is much
 * larger than that, and the cap raised to let it through.
 */
const PADDING = Buffer.from(`: ${'k'.repeat(64 * 1024 - 4)}\n\n`);
const TOTAL = 24 * 1024 * 1024;

const routes = {
  chat: {
    path: 'chat/completions',
    body: { messages: [{ role: 'user', content: 'Hi' }] },
    event: (t: string) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta: { content: t }, finish_reason: null }] })}\n\n`,
    end: `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`,
    last: 'data: [DONE]',
  },
  completions: {
    path: 'completions',
    body: { prompt: 'Hi' },
    event: (t: string) =>
      `data: ${JSON.stringify({ id: 'c', object: 'text_completion', model: 'm', choices: [{ index: 0, text: t, finish_reason: null }] })}\n\n`,
    end: `data: ${JSON.stringify({ id: 'c', object: 'text_completion', model: 'm', choices: [{ index: 0, text: '', finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`,
    last: 'data: [DONE]',
  },
  responses: {
    path: 'responses',
    body: { input: 'Hi' },
    event: (t: string) =>
      `event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', item_id: 'm1', output_index: 0, content_index: 0, delta: t })}\n\n`,
    end:
      `event: response.output_text.done\ndata: ${JSON.stringify({ type: 'response.output_text.done', item_id: 'm1', output_index: 0, content_index: 0, text: '' })}\n\n` +
      `event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', response: { id: 'resp_1', status: 'completed', output: [] } })}\n\n`,
    last: '"type":"response.completed"',
  },
} as const;
type Route = keyof typeof routes;

let route: Route = 'chat';
/** Bytes the upstream got written into its socket (it waits for `drain`, as a real server does). */
let written = 0;
/** Upstream answers the gateway hung up on before they were complete. */
let cancelled = 0;
let upstream: Server;
let gateway: Gateway;
let front: Server;
let dir: string;
let socketPath: string;

/** Writes `chunk`, waiting for `drain` when the socket is full; false once the gateway hung up. */
async function write(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  if (res.destroyed) return false;
  written += chunk.length;
  if (res.write(chunk)) return true;
  await new Promise<void>((ok) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      ok();
    };
    res.on('drain', done);
    res.on('close', done);
  });
  return !res.destroyed;
}

async function stream(res: ServerResponse): Promise<void> {
  const r = routes[route];
  res.on('close', () => {
    if (!res.writableFinished) cancelled++;
  });
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const ev = Buffer.from(r.event(TEXT));
  for (let i = 0; i < EVENTS; i++) if (!(await write(res, ev))) return;
  while (written + PADDING.length < TOTAL) if (!(await write(res, PADDING))) return;
  res.end(r.end);
}

/** A raw client that sends its request and reads nothing until resumed. */
function rawClient(r: (typeof routes)[Route]): { socket: Socket; received: () => number; text: () => string } {
  const body = JSON.stringify({ model: 'm', stream: true, ...r.body });
  const socket = connect(socketPath);
  socket.write(
    `POST /v1/${r.path} HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
  const parts: Buffer[] = [];
  let size = 0;
  socket.on('data', (b: Buffer) => {
    parts.push(b);
    size += b.length;
  });
  socket.pause(); // 'data' listeners resume a socket
  return { socket, received: () => size, text: () => Buffer.concat(parts).toString('utf8') };
}

/** The body of a raw HTTP/1.1 answer sent with `transfer-encoding: chunked`. */
function dechunk(raw: string): string {
  let rest = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  let body = '';
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, eol), 16);
    if (!size) return body;
    body += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

/** The text of every chunk (`delta.content`, `text`) or delta event (`delta`) of a streamed answer. */
function answerText(body: string): string {
  let text = '';
  for (const line of body.split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const ev = JSON.parse(line.slice(6));
    const choice = ev.choices?.[0];
    text += choice?.delta?.content ?? choice?.text ?? (ev.type === 'response.output_text.delta' ? ev.delta : '');
  }
  return text;
}

/** `written` once it has not moved for `quietMs` (or after `maxMs`). */
async function settled(quietMs: number, maxMs: number): Promise<number> {
  const t0 = Date.now();
  let last = -1;
  let since = Date.now();
  while (Date.now() - t0 < maxMs) {
    if (written !== last) {
      last = written;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) break;
    await sleep(25);
  }
  return written;
}

beforeAll(async () => {
  upstream = createServer(async (req, res) => {
    for await (const _ of req);
    await stream(res);
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  gateway = createGateway(
    parseGatewayConfig({
      upstream: {
        baseUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`,
        timeoutMs: 10_000,
        maxResponseBytes: 32 * 1024 * 1024,
      },
      // No output checks: the gateway could otherwise read only as fast as it checks, which hides the buffering.
      policy: { input: [], output: [] },
    }),
  );
  dir = mkdtempSync(join(tmpdir(), 'lifeguard-bp-'));
  socketPath = join(dir, 'gateway.sock');
  front = createAdaptorServer({ fetch: gateway.app.fetch }) as Server;
  await new Promise<void>((r) => front.listen(socketPath, r));
});
afterAll(async () => {
  front.closeAllConnections();
  await new Promise((r) => front.close(r));
  await gateway.close();
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('a streamed answer to a client that reads slowly', () => {
  for (const name of Object.keys(routes) as Route[]) {
    it(`${name}: the upstream is read only as fast as the client reads`, async () => {
      route = name;
      written = 0;
      const r = routes[name];
      const client = rawClient(r);
      const whilePaused = await settled(500, 5000);
      // The client's socket, the gateway's queue and the upstream hop's socket buffers hold some; the rest of the
      // answer waits in the upstream.
      expect(whilePaused).toBeLessThan(TOTAL / 2);

      client.socket.resume();
      for (let i = 0; i < 1000 && !client.text().endsWith('\r\n0\r\n\r\n'); i++) await sleep(10);
      client.socket.destroy();
      const text = dechunk(client.text());
      expect(written).toBeGreaterThan(TOTAL - PADDING.length);
      expect(text).toContain(r.last);
      expect(answerText(text)).toBe(TEXT.repeat(EVENTS)); // all of it, in order, once the client read on
    }, 30_000);

    it(`${name}: a client that goes away while the gateway waits for it cancels the upstream`, async () => {
      route = name;
      written = 0;
      const before = cancelled;
      const client = rawClient(routes[name]);
      const whilePaused = await settled(500, 5000);
      expect(whilePaused).toBeLessThan(TOTAL / 2);
      client.socket.destroy();
      for (let i = 0; i < 200 && cancelled === before; i++) await sleep(10);
      expect(cancelled).toBe(before + 1);
    }, 30_000);
  }
});
