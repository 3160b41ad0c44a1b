import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_SCHEMA_VERSION, createAuditLog } from '../../../src/guard/audit/index.js';
import { killMidStream } from './kill.js';
import { allEvents, auditBehaviour, EMAIL, event, GITHUB_TOKEN, PHONE } from './suite.js';

const dir = mkdtempSync(join(tmpdir(), 'lifeguard-audit-'));
const file = (name: string) => join(dir, `${name}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit log on SQLite', () => {
  auditBehaviour({
    open: (name, options) => createAuditLog({ ...options, sqlitePath: file(name) }),
    async breakWrites(name) {
      const db = new Database(file(name));
      db.exec('drop table audit_events');
      db.close();
    },
  });

  it('uses WAL with synchronous=FULL and records its schema version', async () => {
    const log = await createAuditLog({ sqlitePath: file('pragmas') });
    expect(log.backend).toBe('sqlite');
    await log.record(event());
    const db = new Database(file('pragmas'), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('select version from audit_schema_version order by version').all()).toEqual(
        Array.from({ length: AUDIT_SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })),
      );
    } finally {
      db.close();
      await log.close();
    }
  });

  it('creates the parent folder, and sqlite: URLs name a file', async () => {
    const nested = join(dir, 'a', 'b', 'audit.db');
    const log = await createAuditLog({ databaseUrl: `sqlite:${nested}` });
    await log.close();
    expect(existsSync(nested)).toBe(true);
    await expect(createAuditLog({ databaseUrl: 'mysql://localhost/x' })).rejects.toThrow(/unsupported database URL/);
  });

  it('takes DATABASE_URL only when asked to and only when it is PostgreSQL', async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = 'mysql://somewhere/else';
    try {
      const log = await createAuditLog({ useEnv: true, sqlitePath: file('env') });
      expect(log.backend).toBe('sqlite');
      await log.close();
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  it('never writes a raw email, phone number or token to the database files', async () => {
    const path = file('raw-bytes');
    const log = await createAuditLog({ sqlitePath: path });
    await log.record(event({ excerpt: `mail ${EMAIL}, call ${PHONE}, key ${GITHUB_TOKEN}`, apiKeyId: GITHUB_TOKEN }));
    // Read while the log is open: the rows are still in the WAL file.
    const bytes = [path, `${path}-wal`]
      .filter(existsSync)
      .map((f) => readFileSync(f).toString('latin1'))
      .join('');
    await log.close();
    expect(bytes).toContain('<EMAIL_ADDRESS_1>');
    for (const raw of [EMAIL, PHONE, GITHUB_TOKEN]) expect(bytes).not.toContain(raw);
  });

  it('keeps every acknowledged event when the writer is killed with SIGKILL mid-stream', async () => {
    const path = file('killed');
    const acked = await killMidStream({ AUDIT_SQLITE_PATH: path }, 300);
    expect(acked.length).toBeGreaterThanOrEqual(300);

    const check = new Database(path);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();

    const log = await createAuditLog({ sqlitePath: path });
    try {
      const stored = new Set((await allEvents(log)).map((e) => e.id));
      const missing = acked.filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      // It can go on writing after the crash.
      await log.record(event({ requestId: 'after-crash' }));
      expect((await log.query({ requestId: 'after-crash' })).length).toBe(1);
    } finally {
      await log.close();
    }
  });
});
