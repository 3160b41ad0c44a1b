// QA pass 5: the dashboard's live feed must not hold unbounded memory for a viewer that stops reading. Before
// the fix every event for such a viewer was queued in its response stream for as long as the stream lasted
// (and after it ended, until the socket went away): 8 paused viewers grew the heap by ~7 MB/s here.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuditLog } from '../../src/guard/audit/index.js';
import type { AuditLog } from '../../src/guard/audit/types.js';
import { mountDashboard } from '../../src/guard/dashboard/index.js';
import { GatewayMetrics } from '../../src/guard/gateway/metrics.js';

const ADMIN_KEY = 'qa5-admin-key-0123456789abcdef';
const bearer = { authorization: `Bearer ${ADMIN_KEY}` };
const EXCERPT = 'quiet words '.repeat(16);

const slowCount = (m: GatewayMetrics) =>
  Number(/lifeguard_requests_total\{outcome="live_slow",route="admin"\} (\d+)/.exec(m.render())?.[1] ?? 0);

async function until(ok: () => boolean | Promise<boolean>, what: string, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('live feed: a viewer that does not read is disconnected, not buffered without bound', () => {
  let dir: string;
  let audit: AuditLog;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lg-qa5-live-'));
    audit = await createAuditLog({ sqlitePath: join(dir, 'audit.db'), batchMs: 0 });
  });
  afterAll(async () => {
    await audit.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const burst = (n: number) =>
    audit.record(
      Array.from({ length: n }, (_, i) => ({
        requestId: `slow-${i}`,
        stage: 'input' as const,
        check: 'injection',
        action: 'allow' as const,
        latencyMs: 1,
        excerpt: EXCERPT,
      })),
    );

  it('in process: the stream errors past liveBufferBytes, the drop is counted and the slot is freed', async () => {
    const metrics = new GatewayMetrics();
    const app = new Hono();
    mountDashboard(app, {
      audit,
      adminKey: ADMIN_KEY,
      metrics,
      liveIntervalMs: 20,
      liveBufferBytes: 16 * 1024,
      maxLiveViewers: 1,
    });
    const res = await app.request(`/admin/api/live?after=${'0'.repeat(26)}`, { headers: bearer });
    expect(res.status).toBe(200);
    // Never read: about 200 events × ~350 bytes is well over 16 KiB.
    await burst(200);
    await until(() => slowCount(metrics) === 1, 'the slow viewer to be dropped');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await expect(reader.read()).rejects.toThrow(/too slow/);
    // Its place is free again: the one allowed viewer can reconnect.
    const again = await app.request('/admin/api/live', { headers: bearer });
    expect(again.status).toBe(200);
    await (again.body as ReadableStream<Uint8Array>).cancel();
  });

  it('over a socket: the connection is closed, quietly, and the server holds nothing for it', async () => {
    const metrics = new GatewayMetrics();
    const app = new Hono();
    mountDashboard(app, { audit, adminKey: ADMIN_KEY, metrics, liveIntervalMs: 20, liveBufferBytes: 16 * 1024 });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((r) => server.once('listening', () => r()));
    const { port } = server.address() as { port: number };
    const connections = () =>
      new Promise<number>((r) => (server as unknown as import('node:net').Server).getConnections((_, n) => r(n)));
    const errors = vi.spyOn(console, 'error');
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const s = connect(port, '127.0.0.1');
        s.on('error', () => {});
        s.once('connect', () => {
          s.write(`GET /admin/api/live HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_KEY}\r\n\r\n`);
          s.pause(); // a viewer that never reads
        });
        sockets.push(s);
      }
      await until(async () => (await connections()) === 3, 'three viewers');
      // Keep decisions coming until the kernel's socket buffers are full and the stream queue passes the bound.
      await until(
        async () => {
          await burst(200);
          return slowCount(metrics) === 3;
        },
        'all three slow viewers to be dropped',
        20_000,
      );
      await until(async () => (await connections()) === 0, 'the server to close their connections');
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 30_000);
});
