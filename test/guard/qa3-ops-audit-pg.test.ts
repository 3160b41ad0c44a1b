// The audit log on PostgreSQL when the server stops answering mid-run (a network partition, a hung host):
// writes must fail with an error, never hang unseen. Skipped (with a note) when PostgreSQL is not reachable.
import { connect, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditLog, createAuditLog } from '../../src/guard/audit/index.js';
import { PG_URL, pgReachable } from './audit/pg.js';

const URL = PG_URL;
const target = new globalThis.URL(URL);

const up = await pgReachable();
if (!up && !process.env.CI) console.warn(`[qa3-ops] PostgreSQL not reachable at ${URL}: skipping`);

/** A TCP proxy to the server that can go silent: bytes stop flowing both ways, connections stay open. */
let silent = false;
let proxy: Server;
const sockets = new Set<Socket>();
const schema = `lg_qa3ops_${process.pid}`;

describe.skipIf(!up && !process.env.CI)('qa3 ops: audit log on a PostgreSQL that stops answering', () => {
  let log: AuditLog;
  beforeAll(async () => {
    proxy = createServer((client) => {
      const server = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, server]) sockets.add(s);
      client.on('data', (d) => silent || server.write(d));
      server.on('data', (d) => silent || client.write(d));
      const end = () => {
        client.destroy();
        server.destroy();
      };
      client.on('error', end);
      server.on('error', end);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as { port: number }).port;
    const via = new globalThis.URL(URL);
    via.host = `127.0.0.1:${port}`;
    log = await createAuditLog({ databaseUrl: via.toString(), schema, batchMs: 1, queryTimeoutMs: 1500 });
  });
  afterAll(async () => {
    silent = false;
    for (const s of sockets) s.destroy();
    await log?.close().catch(() => {});
    await new Promise<void>((r) => proxy.close(() => r()));
    const c = new pg.Client({ connectionString: URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  });

  const event = (i: number) =>
    ({ requestId: `r${i}`, stage: 'input', check: 'injection', action: 'allow', latencyMs: 1 }) as const;

  it('every write waiting on the silent server fails with an error, within the query timeout', async () => {
    await log.record(event(0));
    silent = true;
    const t0 = Date.now();
    const settled = await Promise.race([
      Promise.allSettled([1, 2, 3].map((i) => log.record(event(i)))),
      new Promise<'pending'>((r) => setTimeout(() => r('pending'), 15_000)),
    ]);
    expect(settled).not.toBe('pending');
    const results = settled as PromiseSettledResult<unknown>[];
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of results) expect(String((r as PromiseRejectedResult).reason)).toMatch(/timeout/i);
    expect(Date.now() - t0).toBeLessThan(15_000);
    // The server answers again: the stuck connections were dropped, so the next write goes through.
    silent = false;
    await expect(log.record(event(4))).resolves.toHaveLength(1);
  }, 30_000);
});
