// Child process of qa6-dashboard-utc.test.ts, started with a TZ other than UTC (a worker thread cannot change
// its time zone: setting process.env.TZ there does not reach Date). Records three decisions at known UTC times,
// asks the dashboard API for time ranges written without an offset, and prints what it answered as JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { createAuditLog, parseTimeBound } from '../../src/guard/audit/index.js';
import { mountDashboard } from '../../src/guard/dashboard/index.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'lg-qa6-tz-'));
const audit = await createAuditLog({ sqlitePath: join(dir, 'audit.db') });
try {
  const at = (requestId: string, ts: number) =>
    ({ requestId, stage: 'input', check: 'pii', action: 'allow', latencyMs: 1, ts }) as const;
  await audit.record([
    at('early', Date.UTC(2026, 10, 29, 9, 30)),
    at('inside', Date.UTC(2026, 10, 29, 10, 30)),
    at('late', Date.UTC(2026, 10, 29, 12, 0)),
  ]);
  await audit.flush();
  const app = new Hono();
  mountDashboard(app, { audit, adminKey: ADMIN_KEY });
  const get = async (path: string) => {
    const res = await app.request(path, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const stats = async (since: string, until: string) =>
    (await get(`/admin/api/stats?since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}`)).body.total;
  const events = async (since: string) =>
    ((await get(`/admin/api/events?since=${encodeURIComponent(since)}`)).body.events as { requestId: string }[]).map(
      (e) => e.requestId,
    );
  const bad = await get(`/admin/api/stats?since=${encodeURIComponent('2026-02-30T10:00')}`);
  process.stdout.write(
    JSON.stringify({
      tz: process.env.TZ,
      offsetMinutes: new Date(2026, 10, 29, 10).getTimezoneOffset(),
      parsed: ['2026-11-29T10:00:00', '2026-11-29 10:00', '2026-11-29T10:00:00Z', '2026-11-29'].map((v) =>
        parseTimeBound(v),
      ),
      statsT: await stats('2026-11-29T10:00:00', '2026-11-29T11:00:00'),
      statsSpace: await stats('2026-11-29 10:00', '2026-11-29 11:00'),
      statsZ: await stats('2026-11-29T10:00:00Z', '2026-11-29T11:00:00Z'),
      events: await events('2026-11-29T10:00'),
      bad: { status: bad.status, message: (bad.body.error as { message?: string } | undefined)?.message },
    }),
  );
} finally {
  await audit.close();
  rmSync(dir, { recursive: true, force: true });
}
