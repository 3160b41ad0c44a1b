import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTarget } from '../../../src/redteam/targets/index.js';
import { TargetSpecSchema } from '../../../src/redteam/targets/schema.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** An endpoint that sends its answer one byte every 50 ms, forever: no gap ever reaches timeoutMs. */
async function trickle(): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"choices":[{"message":{"role":"assistant","content":"');
    const t = setInterval(() => res.write('a'), 50);
    res.on('close', () => clearInterval(t));
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

describe('target deadlineMs', () => {
  it('a trickling answer fails at the deadline with a retryable error that names it', async () => {
    const baseUrl = await trickle();
    const spec = TargetSpecSchema.parse({ type: 'openai', baseUrl, model: 'm', timeoutMs: 1000, deadlineMs: 400 });
    const target = createTarget(spec, 'target');
    const t0 = Date.now();
    const err = await target.send({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(String((err as Error).message)).toContain('deadlineMs (400 ms)');
    expect((err as { retryable?: boolean }).retryable).toBe(true);
  });

  it('defaults to ten minutes and is not part of what identifies the target', () => {
    const spec = TargetSpecSchema.parse({ type: 'openai', baseUrl: 'http://127.0.0.1:1/v1', model: 'm' });
    expect((spec as { deadlineMs?: number }).deadlineMs).toBe(600_000);
  });
});
