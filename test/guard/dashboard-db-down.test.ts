import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/guard/audit/index.js';
import type { AuditLog } from '../../src/guard/audit/types.js';
import { mountDashboard } from '../../src/guard/dashboard/index.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const bearer = { authorization: `Bearer ${ADMIN_KEY}` };

describe('dashboard API when the audit database is unreachable', () => {
  let dir: string;
  let audit: AuditLog;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lg-dash-down-'));
    audit = await createAuditLog({ sqlitePath: join(dir, 'audit.db') });
  });
  afterAll(async () => {
    await audit.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The same audit log, whose queries fail as a database that went away does. */
  const failing = (error: Error): AuditLog =>
    new Proxy(audit, {
      get(target, key, receiver) {
        if (key === 'query' || key === 'stats') return async () => Promise.reject(error);
        return Reflect.get(target, key, receiver);
      },
    });

  const get = async (a: AuditLog, path: string) => {
    const app = new Hono();
    mountDashboard(app, { audit: a, adminKey: ADMIN_KEY });
    return app.request(path, { headers: bearer });
  };

  it('answers 503 audit_unavailable for a connection error, so a client retries', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    for (const path of ['/admin/api/stats', '/admin/api/events']) {
      const res = await get(failing(down), path);
      expect(res.status, path).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('audit_unavailable');
    }
    const res = await get(failing(new Error('Connection terminated unexpectedly')), '/admin/api/stats');
    expect(res.status).toBe(503);
  });

  it('a bug is still a 500', async () => {
    const res = await get(failing(new TypeError('x is undefined')), '/admin/api/stats');
    expect(res.status).toBe(500);
  });
});
