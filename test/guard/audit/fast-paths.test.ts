// The audit log's fast paths give what the general ones give: the hand-written event check never accepts
// what the schema refuses, the prepared SQLite insert stores the rows the query builder stored, the scrub
// cache answers what a fresh scrub answers, and pooled random bytes still make distinct ids.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/guard/audit/database.js';
import { AuditEventSchema, isWellFormedEvent } from '../../../src/guard/audit/event-schema.js';
import { newAuditId } from '../../../src/guard/audit/id.js';
import { migrate } from '../../../src/guard/audit/migrations.js';
import { insertEvents } from '../../../src/guard/audit/queries.js';
import { prepareEvent, scrubText } from '../../../src/guard/audit/sanitize.js';
import type { AuditEventInput } from '../../../src/guard/audit/types.js';
import { EMAIL, event, GITHUB_TOKEN } from './suite.js';

const dir = mkdtempSync(join(tmpdir(), 'lifeguard-audit-fast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An event as the gateway records it, every optional field set. */
const full: AuditEventInput = {
  id: newAuditId(1_700_000_000_000),
  ts: 1_700_000_000_000,
  requestId: '3b241101-e2bb-4255-8caf-4136c566a962',
  route: 'chat',
  apiKeyId: 'team-a',
  policy: 'default',
  stage: 'output',
  check: 'harmful',
  category: 'S1',
  score: 0.93,
  action: 'block',
  latencyMs: 0.25,
  excerpt: 'how to build a weapon',
  model: 'gpt-4o-mini',
  error: 'timeout',
};

/** Values that break each rule of the schema, or sit on its edges. */
const ODD_VALUES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'x'.repeat(200),
  'x'.repeat(201),
  0,
  -0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  '1',
  true,
  {},
  [],
  'input',
  'allow',
  'shadow',
  'INPUT',
  full.id,
  'not-an-id',
];

describe('isWellFormedEvent', () => {
  it('accepts the events the gateway writes', () => {
    expect(isWellFormedEvent(full)).toBe(true);
    expect(isWellFormedEvent(event())).toBe(true);
  });

  it('accepts nothing the schema refuses, and reads the fields the schema keeps', () => {
    const inputs: unknown[] = [null, undefined, 'event', 42, [], [full], {}];
    for (const key of Object.keys(full)) {
      for (const value of ODD_VALUES) inputs.push({ ...full, [key]: value });
      const without: Record<string, unknown> = { ...full };
      delete without[key];
      inputs.push(without);
    }
    let fast = 0;
    for (const input of inputs) {
      const parsed = AuditEventSchema.safeParse(input);
      if (!isWellFormedEvent(input)) continue;
      fast++;
      expect(parsed.success, JSON.stringify(input)).toBe(true);
      if (parsed.success) {
        for (const [k, v] of Object.entries(parsed.data)) expect((input as Record<string, unknown>)[k]).toBe(v);
      }
    }
    expect(fast).toBeGreaterThan(50);
  });

  it('leaves the error messages to the schema', () => {
    expect(() => prepareEvent(event({ latencyMs: Number.NaN }))).toThrow(/latencyMs/);
    expect(() => prepareEvent(event({ requestId: 'x'.repeat(201) }))).toThrow(/requestId/);
    expect(() => prepareEvent(event({ stage: 'later' as never }))).toThrow(/stage/);
  });
});

describe('the SQLite event insert', () => {
  const rowsOf = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      const columns = (db.prepare('select * from audit_events limit 0').columns() as { name: string }[]).map(
        (c) => c.name,
      );
      // typeof() too: the same storage classes (integer, real, text, null), not only equal values.
      const types = columns.map((c) => `typeof("${c}") as "${c}_type"`).join(', ');
      return db.prepare(`select *, ${types} from audit_events order by id`).all();
    } finally {
      db.close();
    }
  };

  it('stores the rows the query builder stores', async () => {
    const events = [
      prepareEvent(full),
      prepareEvent(event({ ts: 1_700_000_000_001 })),
      prepareEvent(event({ score: 0, latencyMs: 0, ts: 1_700_000_000_002.7, excerpt: `mail ${EMAIL}` })),
      prepareEvent(event({ apiKeyId: GITHUB_TOKEN, category: 'PII', model: 'm', policy: 'p', route: '/v1/x' })),
    ];
    const paths = [join(dir, 'fast.db'), join(dir, 'builder.db')];
    for (const [i, path] of paths.entries()) {
      const store = await openDatabase({ backend: 'sqlite', where: path });
      await migrate(store);
      await store.write((tx) => (i === 0 ? store.insertEvents(tx, events) : insertEvents(tx, events)));
      await store.close();
    }
    const [fast, builder] = paths.map(rowsOf);
    expect(fast).toHaveLength(events.length);
    expect(fast).toEqual(builder);
  });

  it('writes only inside a write transaction', async () => {
    const store = await openDatabase({ backend: 'sqlite', where: join(dir, 'outside.db') });
    try {
      await migrate(store);
      await expect(store.insertEvents(store.db, [prepareEvent(event())])).rejects.toThrow(/write transaction/);
    } finally {
      await store.close();
    }
  });
});

describe('scrubText caches', () => {
  it('answer what a fresh scrub answers, for each length limit', () => {
    for (let round = 0; round < 2; round++) {
      expect(scrubText('chat', 200)).toBe('chat');
      expect(scrubText('hello world', 200)).toBe('hello world');
      expect(scrubText('hello world', 8)).toBe('hello w…');
      expect(scrubText('a\u0000b', 200)).toBe('a b');
      expect(scrubText(`mail ${EMAIL}`, 200)).toBe('mail <EMAIL_ADDRESS_1>');
    }
  });
});

describe('audit ids from pooled random bytes', () => {
  it('take fresh random bytes for every new millisecond, past a refill of the pool', () => {
    const t = Date.now();
    const randoms = Array.from({ length: 2_000 }, (_, i) => newAuditId(t + i).slice(10));
    expect(new Set(randoms).size).toBe(randoms.length);
  });
});
