// The audit log against a real PostgreSQL: the same behaviour as on SQLite, in schemas of its own that are
// dropped afterwards. Skipped (with a note) when the server is not reachable, except under CI, where it must
// be: CI=1 npx vitest run test/guard/audit
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_SCHEMA_VERSION, createAuditLog } from '../../../src/guard/audit/index.js';
import { killMidStream } from './kill.js';
import { PG_URL, pgReachable } from './pg.js';
import { allEvents, auditBehaviour, event } from './suite.js';

const URL = PG_URL;

const up = await pgReachable();
const skip = !up && !process.env.CI;
if (skip) {
  console.warn(`[audit] PostgreSQL not reachable at ${URL}: skipping its tests (set CI=1 to make this a failure)`);
}

const prefix = `lg_audit_${process.pid}_${randomBytes(3).toString('hex')}`;
const schemaOf = (name: string) => `${prefix}_${name.replace(/[^a-z0-9]/gi, '_')}`;
const used = new Set<string>();

async function sql(text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: URL });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(skip)('audit log on PostgreSQL', () => {
  afterAll(async () => {
    for (const schema of used) await sql(`drop schema if exists ${schema} cascade`);
  });

  const open = (name: string, options = {}) => {
    used.add(schemaOf(name));
    return createAuditLog({ ...options, databaseUrl: URL, schema: schemaOf(name) });
  };

  auditBehaviour({
    open,
    async breakWrites(name) {
      await sql(`drop table ${schemaOf(name)}.audit_events`);
    },
  });

  it('keeps its tables in the schema it was given, with ids compared byte-wise', async () => {
    const log = await open('layout');
    expect(log.backend).toBe('postgres');
    await log.close();
    const tables = await sql(
      `select table_name from information_schema.tables where table_schema = '${schemaOf('layout')}' order by 1`,
    );
    expect(tables).toEqual([{ table_name: 'audit_events' }, { table_name: 'audit_schema_version' }]);
    expect(await sql(`select version from ${schemaOf('layout')}.audit_schema_version order by version`)).toEqual(
      Array.from({ length: AUDIT_SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })),
    );
    const [col] = (await sql(
      `select collation_name from information_schema.columns where table_schema = '${schemaOf('layout')}' and table_name = 'audit_events' and column_name = 'id'`,
    )) as { collation_name: string }[];
    expect(col!.collation_name).toBe('C');
  });

  it('takes DATABASE_URL when asked to', async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = URL;
    used.add(schemaOf('env'));
    try {
      const log = await createAuditLog({ useEnv: true, schema: schemaOf('env'), sqlitePath: '/nonexistent/x.db' });
      expect(log.backend).toBe('postgres');
      await log.close();
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  it('keeps every acknowledged event when the writer is killed with SIGKILL mid-stream', async () => {
    used.add(schemaOf('killed'));
    const acked = await killMidStream({ AUDIT_DATABASE_URL: URL, AUDIT_SCHEMA: schemaOf('killed') }, 300);
    expect(acked.length).toBeGreaterThanOrEqual(300);
    const log = await open('killed');
    try {
      const stored = new Set((await allEvents(log)).map((e) => e.id));
      expect(acked.filter((id) => !stored.has(id))).toEqual([]);
      await log.record(event({ requestId: 'after-crash' }));
      expect(await log.query({ requestId: 'after-crash' })).toHaveLength(1);
    } finally {
      await log.close();
    }
  });
});
