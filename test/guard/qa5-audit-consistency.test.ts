// QA pass 5: the same audit queries must give the same answers on SQLite and PostgreSQL, through the library
// and through the dashboard's API. Found:
// - a NUL in a filter (`/admin/api/events?check=%00`) or a time bound beyond what a bigint can print as digits
//   (`since=99999999999999999999999`, `since=99999999999w`) made PostgreSQL fail the query (a 500 leaking the
//   database's message) where SQLite answered;
// - a lone surrogate was stored by SQLite as invalid UTF-8 and read back as three U+FFFD (by PostgreSQL as one),
//   `record()` returned it unchanged, and only SQLite matched a filter holding the same lone surrogate;
// - statistics were ordered by the database's collation on PostgreSQL (en_US: `_x`, `alpha`, `Zeta`) and
//   byte-wise on SQLite (`Zeta`, `_x`, `alpha`).
// PostgreSQL tests skip (with a note) when the server is not reachable, except under CI.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/guard/audit/index.js';
import type { AuditEventInput, AuditLog } from '../../src/guard/audit/types.js';
import { mountDashboard } from '../../src/guard/dashboard/index.js';
import { PG_URL, pgReachable } from './audit/pg.js';

const ADMIN_KEY = 'qa5-admin-key-0123456789abcdef';
const up = await pgReachable();
const skipPg = !up && !process.env.CI;
if (skipPg) {
  console.warn(`[qa5] PostgreSQL not reachable at ${PG_URL}: skipping its tests (set CI=1 to make this a failure)`);
}

const prefix = `lg_qa5_${process.pid}_${randomBytes(3).toString('hex')}`;
const schemas = new Set<string>();
const dir = mkdtempSync(join(tmpdir(), 'lg-qa5-consistency-'));

async function pgSql(text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const s of schemas) await pgSql(`drop schema if exists ${s} cascade`);
});

type Backend = 'sqlite' | 'postgres';
const backends: Backend[] = skipPg ? ['sqlite'] : ['sqlite', 'postgres'];

async function open(backend: Backend, name: string): Promise<{ log: AuditLog; schema?: string }> {
  if (backend === 'sqlite') return { log: await createAuditLog({ sqlitePath: join(dir, `${name}.db`), batchMs: 0 }) };
  const schema = `${prefix}_${name}`;
  schemas.add(schema);
  return { log: await createAuditLog({ databaseUrl: PG_URL, schema, batchMs: 0 }), schema };
}

const ev = (e: Partial<AuditEventInput>): AuditEventInput => ({
  requestId: 'r',
  stage: 'input',
  check: 'injection',
  action: 'allow',
  latencyMs: 1,
  ...e,
});

describe.each(backends)('audit queries agree across stores (%s)', (backend) => {
  it('stores a lone surrogate as one U+FFFD, returns what it stored, and filters match either form', async () => {
    const { log } = await open(backend, 'surrogate');
    try {
      const [stored] = await log.record(
        ev({ requestId: 'req\ud800x', check: 'c\udc00', model: 'm\ud83d', excerpt: 'half \ud83d an emoji' }),
      );
      expect(stored?.requestId).toBe('req\ufffdx');
      expect(stored?.check).toBe('c\ufffd');
      expect(stored?.model).toBe('m\ufffd');
      expect(stored?.excerpt).toBe('half \ufffd an emoji');
      const [back] = await log.query({ limit: 1 });
      expect(back).toEqual(stored);
      expect(await log.query({ check: 'c\udc00' })).toHaveLength(1);
      expect(await log.query({ check: 'c\ufffd' })).toHaveLength(1);
      expect(await log.query({ requestId: 'req\ud800x' })).toHaveLength(1);
      // A whole pair is untouched.
      const [emoji] = await log.record(ev({ check: 'ok \ud83d\ude00' }));
      expect(emoji?.check).toBe('ok \ud83d\ude00');
      expect(await log.query({ check: 'ok \ud83d\ude00' })).toHaveLength(1);
    } finally {
      await log.close();
    }
  });

  it('a NUL or control character in a filter matches what was stored for it, never fails the query', async () => {
    const { log } = await open(backend, 'nul');
    try {
      await log.record(ev({ requestId: 'a\u0000b', check: 'x\u0001y', apiKeyId: 'team\u0000a' }));
      expect(await log.query({ check: '\u0000' })).toEqual([]);
      expect(await log.query({ requestId: 'a\u0000b' })).toHaveLength(1);
      expect(await log.query({ requestId: 'a b' })).toHaveLength(1);
      expect(await log.query({ check: 'x\u0001y' })).toHaveLength(1);
      expect(await log.query({ apiKeyId: 'team\u0000a' })).toHaveLength(1);
    } finally {
      await log.close();
    }
  });

  it('time bounds beyond any date mean "everything" or "nothing", the same on both stores', async () => {
    const { log } = await open(backend, 'bounds');
    try {
      await log.record([ev({ ts: 1_000 }), ev({ ts: 2_000 })]);
      expect(await log.query({ since: 1e23 })).toEqual([]);
      expect(await log.query({ until: 1e23 })).toHaveLength(2);
      expect(await log.query({ since: -1e23 })).toHaveLength(2);
      expect(await log.query({ since: Number.MAX_VALUE })).toEqual([]);
      expect((await log.stats({ since: -6e22, until: 1e23 })).total).toBe(2);
      expect((await log.stats({ since: 1e23 })).total).toBe(0);
    } finally {
      await log.close();
    }
  });

  it('statistics are ordered byte-wise, whatever the database collation', async () => {
    const { log, schema } = await open(backend, 'order');
    try {
      if (schema) {
        // As in a database created with an en_US collation (the usual default); the test database is C.UTF-8.
        const [icu] = (await pgSql(`select 1 from pg_collation where collname = 'en-US-x-icu'`)) as unknown[];
        const collation = icu ? '"en-US-x-icu"' : undefined;
        if (!collation) console.warn('[qa5] no en-US-x-icu collation: ordering checked under the default only');
        else
          await pgSql(
            `alter table ${schema}.audit_events alter column check_name type text collate ${collation}, alter column category type text collate ${collation}`,
          );
      }
      await log.record([
        ev({ check: 'Zeta', category: 'b', action: 'block' }),
        ev({ check: 'alpha', category: 'B', action: 'block' }),
        ev({ check: '_x', category: 'a', action: 'block' }),
        ev({ check: 'éa', category: 'Á', action: 'allow' }),
      ]);
      const s = await log.stats();
      const bytewise = ['Zeta', '_x', 'alpha', 'éa'];
      expect(s.counts.map((c) => c.check)).toEqual(bytewise);
      expect(s.blockRateByCheck.map((c) => c.check)).toEqual(bytewise);
      expect(s.latency.map((c) => c.check)).toEqual(bytewise);
      expect(s.blockRateByCategory.map((c) => c.category)).toEqual(['B', 'a', 'b', 'Á']);
      expect(s.topRules.map((r) => `${r.check}/${r.category}`)).toEqual(['Zeta/b', '_x/a', 'alpha/B']);
    } finally {
      await log.close();
    }
  });

  it('the dashboard API answers hostile parameters with 200 or 400, never 500', async () => {
    const { log } = await open(backend, 'api');
    try {
      await log.record([ev({ ts: Date.now() - 1000 }), ev({ ts: Date.now() - 500, check: 'pii' })]);
      const app = new Hono();
      mountDashboard(app, { audit: log, adminKey: ADMIN_KEY });
      const get = async (path: string) => {
        const res = await app.request(path, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const empty = { status: 200, body: { events: [] } };
      expect(await get('/admin/api/events?since=99999999999999999999999')).toEqual(empty);
      expect(await get('/admin/api/events?check=%00')).toEqual(empty);
      expect(await get('/admin/api/events?request=%00')).toEqual(empty);
      expect((await get('/admin/api/events?since=99999999999w')).body.events).toHaveLength(2);
      expect((await get('/admin/api/stats?since=99999999999999999999999')).body.total).toBe(0);
      expect((await get('/admin/api/stats?since=99999999999w')).body.total).toBe(2);
      for (const bad of ['limit=-1', 'limit=NaN', 'limit=501', 'before=x%27%20or%201=1--', 'since=-5', 'action=x'])
        expect((await get(`/admin/api/events?${bad}`)).status).toBe(400);
    } finally {
      await log.close();
    }
  });
});
