// The audit log's behaviour, run against each backend (sqlite.test.ts, postgres.test.ts).
import { expect, it } from 'vitest';
import { LifeguardError } from '../../../src/core/errors.js';
import {
  AUDIT_ID_PATTERN,
  type AuditEventInput,
  type AuditLog,
  type AuditLogOptions,
} from '../../../src/guard/audit/index.js';

export interface StoreFactory {
  /** Opens the store called `name`: empty the first time, the same data when opened again. */
  open(name: string, options?: AuditLogOptions): Promise<AuditLog>;
  /** Removes the events table behind the log's back, so the next write fails. */
  breakWrites(name: string): Promise<void>;
}

export const DAY = 86_400_000;
export const EMAIL = 'maria.gonzalez@example.com';
export const PHONE = '+44 20 7946 0958';
export const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`;

export function event(over: Partial<AuditEventInput> = {}): AuditEventInput {
  return { requestId: 'req-1', stage: 'input', check: 'injection', action: 'allow', latencyMs: 1, ...over };
}

/** All events in the log, newest first, paging through with the cursor. */
export async function allEvents(log: AuditLog) {
  const out = [];
  let before: string | undefined;
  for (;;) {
    const page = await log.query({ limit: 1000, before });
    out.push(...page);
    if (page.length < 1000) return out;
    before = page.at(-1)!.id;
  }
}

export function auditBehaviour(stores: StoreFactory): void {
  it('stores every field of an event and returns it as stored, newest first', async () => {
    const log = await stores.open('roundtrip');
    try {
      const ts = Date.now();
      const [stored] = await log.record(
        event({
          ts,
          route: '/v1/chat/completions',
          apiKeyId: 'team-a',
          policy: 'strict',
          stage: 'output',
          check: 'harmful',
          category: 'S1',
          score: 0.93,
          action: 'block',
          latencyMs: 2.5,
          excerpt: 'how to build a weapon',
          model: 'gpt-4o-mini',
          error: 'none',
        }),
      );
      expect(stored!.id).toMatch(AUDIT_ID_PATTERN);
      await log.record(event({ ts: ts + 1, requestId: 'req-2' }));
      const got = await log.query();
      expect(got.map((e) => e.requestId)).toEqual(['req-2', 'req-1']);
      expect(got[1]).toEqual({
        id: stored!.id,
        ts,
        requestId: 'req-1',
        route: '/v1/chat/completions',
        apiKeyId: 'team-a',
        policy: 'strict',
        stage: 'output',
        check: 'harmful',
        category: 'S1',
        score: 0.93,
        action: 'block',
        latencyMs: 2.5,
        excerpt: 'how to build a weapon',
        model: 'gpt-4o-mini',
        error: 'none',
      });
      expect(got[0]).toEqual({
        id: got[0]!.id,
        ts: ts + 1,
        requestId: 'req-2',
        stage: 'input',
        check: 'injection',
        action: 'allow',
        latencyMs: 1,
      });
    } finally {
      await log.close();
    }
  });

  it('filters by time, check, action, stage, request and API key', async () => {
    const log = await stores.open('filters');
    try {
      const t0 = Date.UTC(2026, 0, 1);
      await log.record([
        event({ ts: t0, check: 'pii', action: 'redact', stage: 'input', requestId: 'a', apiKeyId: 'k1' }),
        event({ ts: t0 + 1000, check: 'pii', action: 'allow', stage: 'output', requestId: 'a', apiKeyId: 'k2' }),
        event({ ts: t0 + 2000, check: 'injection', action: 'block', stage: 'input', requestId: 'b', apiKeyId: 'k1' }),
        event({ ts: t0 + 3000, check: 'secrets', action: 'redact', stage: 'tool', requestId: 'c' }),
      ]);
      const ids = async (f: Parameters<AuditLog['query']>[0]) => (await log.query(f)).map((e) => e.ts - t0);
      expect(await ids({})).toEqual([3000, 2000, 1000, 0]);
      expect(await ids({ since: t0 + 1000 })).toEqual([3000, 2000, 1000]);
      expect(await ids({ until: new Date(t0 + 2000) })).toEqual([1000, 0]);
      expect(await ids({ since: t0 + 1000, until: t0 + 3000 })).toEqual([2000, 1000]);
      expect(await ids({ check: 'pii' })).toEqual([1000, 0]);
      expect(await ids({ action: 'redact' })).toEqual([3000, 0]);
      expect(await ids({ stage: 'input' })).toEqual([2000, 0]);
      expect(await ids({ requestId: 'a' })).toEqual([1000, 0]);
      expect(await ids({ apiKeyId: 'k1' })).toEqual([2000, 0]);
      expect(await ids({ check: 'pii', stage: 'output', apiKeyId: 'k2' })).toEqual([1000]);
      expect(await ids({ limit: 2 })).toEqual([3000, 2000]);
      expect(await ids({ check: 'nope' })).toEqual([]);
      await expect(log.query({ action: 'explode' as never })).rejects.toThrow(/not one of: allow, block/);
      await expect(log.query({ limit: 0 })).rejects.toThrow(/limit/);
    } finally {
      await log.close();
    }
  });

  it('pages with the id cursor: newest first, no gaps, no repeats', async () => {
    const log = await stores.open('paging');
    try {
      const t0 = Date.now() - 1000;
      // Several events share a millisecond: ids still order them.
      await log.record(Array.from({ length: 25 }, (_, i) => event({ ts: t0 + Math.floor(i / 3), requestId: `r${i}` })));
      const pages: string[][] = [];
      let before: string | undefined;
      for (;;) {
        const page = await log.query({ limit: 10, before });
        if (page.length === 0) break;
        pages.push(page.map((e) => e.requestId));
        before = page.at(-1)!.id;
      }
      expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
      expect(pages.flat()).toEqual(Array.from({ length: 25 }, (_, i) => `r${24 - i}`));
    } finally {
      await log.close();
    }
  });

  it('computes counts, block rates, nearest-rank latency percentiles and top rules in SQL', async () => {
    const log = await stores.open('stats');
    try {
      const t0 = Date.UTC(2026, 1, 1);
      const events: AuditEventInput[] = [];
      // pii: latencies 1..100 (shuffled), every 4th one redacts an email.
      for (let i = 0; i < 100; i++) {
        const latency = ((i * 37) % 100) + 1;
        events.push(
          event({
            ts: t0 + i,
            check: 'pii',
            latencyMs: latency,
            action: i % 4 === 0 ? 'redact' : 'allow',
            category: i % 4 === 0 ? 'EMAIL_ADDRESS' : undefined,
          }),
        );
      }
      // injection: 3 blocks (2 in category S1, 1 in S2) out of 5.
      events.push(
        event({ ts: t0 + 200, check: 'injection', action: 'block', category: 'S1', latencyMs: 10 }),
        event({ ts: t0 + 201, check: 'injection', action: 'block', category: 'S1', latencyMs: 20 }),
        event({ ts: t0 + 202, check: 'injection', action: 'block', category: 'S2', latencyMs: 30 }),
        event({ ts: t0 + 203, check: 'injection', action: 'allow', category: 'S1', latencyMs: 40 }),
        event({ ts: t0 + 204, check: 'injection', action: 'warn', latencyMs: 50 }),
      );
      // Outside the range asked for below.
      events.push(event({ ts: t0 - 10, check: 'pii', action: 'block', latencyMs: 1000 }));
      await log.record(events);

      const s = await log.stats({ since: t0, until: new Date(t0 + 1000) });
      expect(s.since).toBe(t0);
      expect(s.until).toBe(t0 + 1000);
      expect(s.total).toBe(105);
      expect(s.counts).toEqual([
        { check: 'injection', action: 'allow', count: 1 },
        { check: 'injection', action: 'block', count: 3 },
        { check: 'injection', action: 'warn', count: 1 },
        { check: 'pii', action: 'allow', count: 75 },
        { check: 'pii', action: 'redact', count: 25 },
      ]);
      expect(s.blockRateByCheck).toEqual([
        { check: 'pii', total: 100, blocked: 0, rate: 0 },
        { check: 'injection', total: 5, blocked: 3, rate: 0.6 },
      ]);
      expect(s.blockRateByCategory).toEqual([
        { category: 'EMAIL_ADDRESS', total: 25, blocked: 0, rate: 0 },
        { category: 'S1', total: 3, blocked: 2, rate: 2 / 3 },
        { category: 'S2', total: 1, blocked: 1, rate: 1 },
      ]);
      expect(s.latency).toEqual([
        { check: 'injection', count: 5, p50: 30, p95: 50, p99: 50 },
        { check: 'pii', count: 100, p50: 50, p95: 95, p99: 99 },
      ]);
      expect(s.topRules).toEqual([
        { check: 'pii', category: 'EMAIL_ADDRESS', count: 25 },
        { check: 'injection', category: 'S1', count: 2 },
        { check: 'injection', category: 'S2', count: 1 },
        { check: 'injection', category: null, count: 1 },
      ]);

      const all = await log.stats();
      expect(all.total).toBe(106);
      expect(all.since).toBeUndefined();
      const empty = await log.stats({ since: t0 + 10 * DAY });
      expect(empty).toEqual({
        since: t0 + 10 * DAY,
        total: 0,
        counts: [],
        blockRateByCheck: [],
        blockRateByCategory: [],
        latency: [],
        topRules: [],
      });
    } finally {
      await log.close();
    }
  });

  it('applies retention: prune(now) deletes what is older, and so does opening', async () => {
    const now = Date.now();
    const keep = await stores.open('retention');
    await keep.record([
      event({ ts: now - 40 * DAY, requestId: 'old' }),
      event({ ts: now - 20 * DAY, requestId: 'mid' }),
      event({ ts: now - 1000, requestId: 'new' }),
    ]);
    expect(await keep.prune(now)).toBe(0); // no retention configured: keep everything
    await keep.close();

    const log = await stores.open('retention', { retentionDays: 30 }); // prunes on open
    try {
      expect((await log.query()).map((e) => e.requestId)).toEqual(['new', 'mid']);
      expect(await log.prune(now + 15 * DAY)).toBe(1);
      expect((await log.query()).map((e) => e.requestId)).toEqual(['new']);
      expect(await log.prune(new Date(now + 15 * DAY))).toBe(0);
    } finally {
      await log.close();
    }
  });

  it('stores excerpts redacted: no email, phone number or GitHub token reaches the log', async () => {
    const log = await stores.open('redaction');
    try {
      const excerpt = `Please contact ${EMAIL} or ${PHONE}, token ${GITHUB_TOKEN} thanks`;
      const [stored] = await log.record(
        event({ check: 'secrets', action: 'redact', excerpt, error: `upstream said: bad key ${GITHUB_TOKEN}` }),
      );
      const [got] = await log.query();
      expect(got).toEqual(stored);
      expect(got!.excerpt).toBe('Please contact <EMAIL_ADDRESS_1> or <PHONE_NUMBER_1>, token <GITHUB_TOKEN_1> thanks');
      expect(got!.error).toBe('upstream said: bad key <GITHUB_TOKEN_1>');
      // Every stored field but the generated id and time, whose digits can hold "7946" by chance (a flake).
      const text = JSON.stringify((await allEvents(log)).map(({ id: _id, ts: _ts, ...rest }) => rest));
      for (const raw of [EMAIL, PHONE, GITHUB_TOKEN, 'maria.gonzalez', '7946']) expect(text).not.toContain(raw);
    } finally {
      await log.close();
    }
  });

  it('truncates excerpts to 200 characters and keeps only a digest of a key passed as its id', async () => {
    const log = await stores.open('truncation');
    try {
      const long = `${'benign words '.repeat(40)} then ${EMAIL}`;
      const [a] = await log.record(event({ excerpt: long, apiKeyId: GITHUB_TOKEN }));
      expect(a!.excerpt!.length).toBeLessThanOrEqual(200);
      expect(a!.excerpt!.endsWith('…')).toBe(true);
      expect(a!.apiKeyId).toMatch(/^sha256:[0-9a-f]{16}$/);
      // An email straddling the 200th character is redacted as a whole, never cut in half.
      const straddle = `${'x'.repeat(175)} ${EMAIL} end`;
      const [b] = await log.record(event({ excerpt: straddle }));
      expect(b!.excerpt).toBe(`${'x'.repeat(175)} <EMAIL_ADDRESS_1> end`);
      const [got] = await log.query({ limit: 1 });
      expect(got!.excerpt).toBe(b!.excerpt);
    } finally {
      await log.close();
    }
  });

  it('rejects an invalid event at once, naming the field, and writes nothing of that call', async () => {
    const log = await stores.open('invalid');
    try {
      const bad = log.record([event(), event({ stage: 'sideways' as never })]);
      await expect(bad).rejects.toSatisfy((e) => LifeguardError.isInstance(e) && e.code === 'LG_ERR_INPUT_INVALID');
      await expect(log.record(event({ latencyMs: Number.NaN }))).rejects.toThrow(/latencyMs/);
      await expect(log.record(event({ requestId: '' }))).rejects.toThrow(/requestId/);
      expect(await log.record([])).toEqual([]);
      await log.flush();
      expect(await log.query()).toEqual([]);
    } finally {
      await log.close();
    }
  });

  it('never loses an event on close: everything queued is written first', async () => {
    const log = await stores.open('close');
    const pending = Array.from({ length: 500 }, (_, i) => log.record(event({ requestId: `c${i}` })));
    await log.close();
    await Promise.all(pending);
    await expect(log.record(event())).rejects.toThrow(/closed/);
    const again = await stores.open('close');
    try {
      const ids = new Set((await allEvents(again)).map((e) => e.requestId));
      expect(ids.size).toBe(500);
    } finally {
      await again.close();
    }
  });

  it('lands every one of many concurrent record() calls through a small bounded queue', async () => {
    const log = await stores.open('concurrency', { maxQueue: 64, batchMs: 2 });
    try {
      const calls = Array.from({ length: 2000 }, (_, i) =>
        log.record(
          i % 10 === 0
            ? [event({ requestId: `m${i}a` }), event({ requestId: `m${i}b` })]
            : event({ requestId: `m${i}` }),
        ),
      );
      const results = await Promise.all(calls);
      expect(results.flat()).toHaveLength(2200);
      await log.flush();
      const all = await allEvents(log);
      expect(all).toHaveLength(2200);
      expect(new Set(all.map((e) => e.id)).size).toBe(2200);
      // Ids sort the same way as the order the calls were made in.
      expect(all.map((e) => e.id)).toEqual(
        results
          .flat()
          .map((e) => e.id)
          .reverse(),
      );
      // A call larger than the whole queue still goes through (alone).
      expect(await log.record(Array.from({ length: 100 }, () => event()))).toHaveLength(100);
    } finally {
      await log.close();
    }
  });

  it('fails only the caller whose event cannot be written (a duplicate id), not its batch-mates', async () => {
    const log = await stores.open('duplicates', { batchMs: 20 });
    try {
      const [first] = await log.record(event());
      const calls = [
        log.record(event({ requestId: 'ok-1' })),
        log.record(event({ id: first!.id, requestId: 'dup' })),
        log.record(event({ requestId: 'ok-2' })),
      ];
      const settled = await Promise.allSettled(calls);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await log.query()).map((e) => e.requestId).sort()).toEqual(['ok-1', 'ok-2', 'req-1']);
    } finally {
      await log.close();
    }
  });

  it('surfaces a write error to the caller and to flush()', async () => {
    const log = await stores.open('broken');
    await log.record(event());
    await stores.breakWrites('broken');
    const write = log.record(event({ requestId: 'lost' }));
    const flushed = log.flush();
    await expect(write).rejects.toThrow(/audit_events/);
    await expect(flushed).rejects.toThrow(/audit_events/);
    // A write that fails while closing rejects its caller and close() too.
    const late = log.record(event({ requestId: 'late' }));
    late.catch(() => {});
    await expect(log.close()).rejects.toThrow(/audit_events/);
    await expect(late).rejects.toThrow(/audit_events/);
  });

  it('opens an existing log again without migrating twice', async () => {
    const a = await stores.open('reopen');
    await a.record(event({ requestId: 'kept' }));
    await a.close();
    const [b, c] = await Promise.all([stores.open('reopen'), stores.open('reopen')]);
    try {
      expect((await b.query()).map((e) => e.requestId)).toEqual(['kept']);
      expect((await c.query()).map((e) => e.requestId)).toEqual(['kept']);
    } finally {
      await b.close();
      await c.close();
    }
  });
}
