/**
 * QA (12j): the audit log and `lifeguard guard logs` under hostile input and a large log.
 *
 * - an event time past what an id encodes (`ts: 1e20`) is refused, not stored as a float that PostgreSQL
 *   refuses and that `guard logs` cannot print;
 * - identifiers are one line: a request id, check, model or route holding `\n`, `\t`, `\r` or a C1 control
 *   (U+009B is a terminal's CSI) is stored with spaces, and a filter holding them finds it;
 * - `guard logs` prints hand-written rows (an invalid time, control characters) without failing or forging lines,
 *   and refuses a `--before` that is not an event id instead of silently listing everything;
 * - listings filtered by check, key, stage or action use an index that also gives their order (no full scan,
 *   no sort of every matching row), checked with EXPLAIN QUERY PLAN on the query the log really runs;
 * - a SQLite file that cannot be opened is named in the error.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { type CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerGuardLogs } from '../../src/cli/commands/guard-logs.js';
import type { AuditDatabase } from '../../src/guard/audit/database.js';
import { type AuditEventInput, createAuditLog, newAuditId, prepareEvent } from '../../src/guard/audit/index.js';
import { queryEvents } from '../../src/guard/audit/queries.js';
import type { AuditFilter } from '../../src/guard/audit/types.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-qa12j-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const event = (over: Partial<AuditEventInput> = {}): AuditEventInput => ({
  requestId: 'req-1',
  stage: 'input',
  check: 'injection',
  action: 'allow',
  latencyMs: 1,
  ...over,
});

/** Runs `guard logs ARGS` in process; returns what it wrote to stdout. */
async function logs(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  const guard = program.command('guard').exitOverride();
  registerGuardLogs(guard).exitOverride();
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  try {
    await program.parseAsync(['guard', 'logs', ...args], { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('event times', () => {
  it('refuses a time an id cannot encode, on the fast path and through the schema', async () => {
    const log = await createAuditLog({ sqlitePath: join(dir, 'ts.db') });
    try {
      for (const ts of [1e20, 2 ** 48]) {
        await expect(log.record(event({ ts }))).rejects.toMatchObject({ code: 'LG_ERR_INPUT_INVALID' });
        // An extra unknown-typed field sends the event through zod: the same rule there.
        expect(() => prepareEvent({ ...event({ ts }), score: 'x' as unknown as number })).toThrow(/ts/);
        expect(() => prepareEvent(event({ ts, check: '' }))).toThrow(/ts/);
      }
      const [last] = await log.record(event({ ts: 2 ** 48 - 1 }));
      expect(last!.ts).toBe(2 ** 48 - 1);
      expect(last!.id.slice(0, 10)).toBe(newAuditId(2 ** 48 - 1).slice(0, 10));
      expect((await log.query({})).map((e) => e.ts)).toEqual([2 ** 48 - 1]);
    } finally {
      await log.close();
    }
  });
});

describe('identifiers are one line', () => {
  it('stores line breaks, tabs and C1 controls in identifiers as spaces, and filters match them', async () => {
    const log = await createAuditLog({ sqlitePath: join(dir, 'ids.db') });
    try {
      const [e] = await log.record(
        event({
          requestId: 'req\nTIME  REQUEST forged\r\tline',
          check: 'chk\u009b31m\u0085x',
          category: 'cat\u2028y',
          model: 'm\nz',
          policy: 'p\tq',
          route: '/v1/chat\ncompletions',
          apiKeyId: 'team\na',
          excerpt: 'ok\nok\u009bok',
        }),
      );
      expect(e).toMatchObject({
        requestId: 'req TIME  REQUEST forged  line',
        check: 'chk 31m x',
        category: 'cat y',
        model: 'm z',
        policy: 'p q',
        route: '/v1/chat completions',
        apiKeyId: 'team a',
        // Free text keeps its line breaks (the table prints it on one line); a C1 control goes.
        excerpt: 'ok\nok ok',
      });
      const stored = await log.query({});
      expect(stored).toEqual([e]);
      // A filter is normalised as the stored identifier is.
      expect(await log.query({ requestId: 'req\nTIME  REQUEST forged\r\tline' })).toEqual([e]);
      expect(await log.query({ check: 'chk\u009b31m\u0085x', apiKeyId: 'team\na' })).toEqual([e]);
    } finally {
      await log.close();
    }
  });
});

describe('lifeguard guard logs with rows it did not write', () => {
  const file = join(dir, 'hand.db');
  const now = Date.now();

  it('prints an invalid time as a number and never a control character or a forged line', async () => {
    const log = await createAuditLog({ sqlitePath: file });
    await log.record(event({ requestId: 'normal', ts: now - 1000 }));
    await log.close();
    // Rows as an older version (or a hand) may have left them.
    const raw = new Database(file);
    const insert = raw.prepare(
      'insert into audit_events (id, ts, request_id, stage, check_name, action, latency_ms, excerpt, category) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run(newAuditId(now), 1e20, 'huge-ts', 'input', 'pii', 'allow', 1, null, null);
    insert.run(
      newAuditId(now),
      now,
      'evil\nFAKE-ROW',
      'input',
      'x\u001b[2Jy',
      'block',
      1,
      'a\u009b31mb\u202ec',
      'c\u0085d',
    );
    raw.close();

    const out = await logs('--db', file);
    const rows = out.trim().split('\n');
    expect(rows).toHaveLength(2 + 3);
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(rows.some((r) => r.startsWith('FAKE-ROW'))).toBe(false);
    expect(out).toContain('evil FAKE-ROW');
    expect(out).toContain('x [2Jy');
    expect(out).toMatch(/^100000000000000000000\s+huge-ts/m);
    expect(out).toMatch(/^\d{4}-\d{2}-\d{2}T\S+Z\s+normal/m);
    // --json is unchanged: JSON escapes what it holds.
    const json = (await logs('--db', file, '--json')).trim().split('\n');
    expect(json.map((l) => JSON.parse(l).requestId)).toEqual(['evil\nFAKE-ROW', 'huge-ts', 'normal']);
    // --stats as a table: names through the same cleaning.
    const stats = await logs('--db', file, '--stats');
    expect(stats).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(stats).toContain('x [2Jy');
  });

  it('refuses a --before that is not an event id, and takes one in lower case', async () => {
    const all = (await logs('--db', file, '--json')).trim().split('\n');
    const newest = JSON.parse(all[0]!).id as string;
    for (const bad of ['foo', 'last', '123', `${newest}0`]) {
      await expect(logs('--db', file, '--before', bad)).rejects.toThrow(/--before: expected an event id/);
    }
    const older = (await logs('--db', file, '--json', '--before', newest.toLowerCase())).trim().split('\n');
    expect(older).toEqual(all.slice(1));
  });
});

describe('listings use an index that gives their order (EXPLAIN QUERY PLAN)', () => {
  it('filters by check, key, stage, action (and with a cursor) without a full scan or a sort', async () => {
    const file = join(dir, 'plan.db');
    const log = await createAuditLog({ sqlitePath: file });
    const checks = ['injection', 'pii', 'secrets', 'toxicity'];
    const actions = ['allow', 'allow', 'block', 'redact', 'warn'] as const;
    const stages = ['input', 'output', 'tool', 'context'] as const;
    const t0 = Date.now() - 86_400_000;
    await log.record(
      Array.from({ length: 4000 }, (_, i) =>
        event({
          ts: t0 + i * 1000,
          requestId: `r${i >> 2}`,
          check: checks[i % 4]!,
          action: actions[i % 5]!,
          stage: stages[(i >> 1) % 4]!,
          apiKeyId: `key-${i % 7}`,
        }),
      ),
    );
    await log.close();

    const raw = new Database(file);
    raw.exec('analyze'); // the planner with statistics, as a long-lived log gets them
    const compiled: CompiledQuery[] = [];
    const db = new Kysely<AuditDatabase>({
      dialect: new SqliteDialect({ database: raw }),
      log: (e) => {
        compiled.push(e.query);
      },
    });
    const cursor = newAuditId(t0 + 2000 * 1000);
    const filters: AuditFilter[] = [
      { check: 'pii' },
      { apiKeyId: 'key-3' },
      { stage: 'tool' },
      { action: 'block' },
      { check: 'pii', before: cursor },
      { action: 'warn', before: cursor },
      { requestId: 'r7' },
      {},
      { before: cursor },
    ];
    try {
      for (const filter of filters) {
        compiled.length = 0;
        const events = await queryEvents(db, { ...filter, limit: 50 });
        expect(events.length).toBeGreaterThan(0);
        const q = compiled[0]!;
        const plan = (
          raw.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as {
            detail: string;
          }[]
        )
          .map((r) => r.detail)
          .join(' | ');
        expect(plan, JSON.stringify(filter)).toMatch(/\bUSING (?:COVERING )?INDEX\b/);
        expect(plan, JSON.stringify(filter)).not.toMatch(/^SCAN audit_events$/);
        // A request's few events may be sorted; a listing of a check (or a key, stage, action) may not.
        if (!filter.requestId) expect(plan, JSON.stringify(filter)).not.toMatch(/TEMP B-TREE/);
        if (filter.check || filter.apiKeyId || filter.stage || filter.action) {
          expect(plan, JSON.stringify(filter)).toMatch(/^SEARCH audit_events USING INDEX/);
        }
      }
    } finally {
      await db.destroy();
    }
  });
});

describe('a SQLite file that cannot be opened', () => {
  it('is named in the error, which keeps its code', async () => {
    const folder = join(dir, 'a-folder.db');
    mkdirSync(folder);
    const err = (await createAuditLog({ sqlitePath: folder }).catch((e: unknown) => e)) as Error & { code?: string };
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain(folder);
    expect(err.code).toBe('SQLITE_CANTOPEN');
  });
});
