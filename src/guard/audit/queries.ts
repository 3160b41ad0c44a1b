import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { LifeguardError } from '../../core/errors.js';
import type { AuditDatabase, AuditDb, AuditTx, EventsTable } from './database.js';
import { identifierText } from './event-schema.js';
import {
  AUDIT_ACTIONS,
  AUDIT_STAGES,
  type AuditAction,
  type AuditBackend,
  type AuditEvent,
  type AuditFilter,
  type AuditStage,
  type AuditStats,
  type AuditStatsRange,
  type AuditTime,
} from './types.js';

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 10_000;
/** Rows per INSERT statement: 15 columns × 500 stays under every driver's bound-parameter limit. */
const INSERT_CHUNK = 500;

export function toRow(e: AuditEvent): EventsTable {
  return {
    id: e.id,
    ts: e.ts,
    request_id: e.requestId,
    route: e.route ?? null,
    api_key_id: e.apiKeyId ?? null,
    policy: e.policy ?? null,
    stage: e.stage,
    check_name: e.check,
    category: e.category ?? null,
    score: e.score ?? null,
    action: e.action,
    latency_ms: e.latencyMs,
    excerpt: e.excerpt ?? null,
    model: e.model ?? null,
    error: e.error ?? null,
  };
}

export function fromRow(r: EventsTable): AuditEvent {
  const e: AuditEvent = {
    id: r.id,
    ts: Number(r.ts),
    requestId: r.request_id,
    stage: r.stage as AuditStage,
    check: r.check_name,
    action: r.action as AuditAction,
    latencyMs: Number(r.latency_ms),
  };
  if (r.route !== null) e.route = r.route;
  if (r.api_key_id !== null) e.apiKeyId = r.api_key_id;
  if (r.policy !== null) e.policy = r.policy;
  if (r.category !== null) e.category = r.category;
  if (r.score !== null) e.score = Number(r.score);
  if (r.excerpt !== null) e.excerpt = r.excerpt;
  if (r.model !== null) e.model = r.model;
  if (r.error !== null) e.error = r.error;
  return e;
}

/** Writes events in statements of at most INSERT_CHUNK rows, inside the caller's transaction. */
export async function insertEvents(tx: AuditTx, events: readonly AuditEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += INSERT_CHUNK) {
    await tx
      .insertInto('audit_events')
      .values(events.slice(i, i + INSERT_CHUNK).map(toRow))
      .execute();
  }
}

export function toMs(t: AuditTime | undefined, name: string): number | undefined {
  if (t === undefined) return undefined;
  const ms = t instanceof Date ? t.getTime() : t;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `audit ${name}: expected epoch milliseconds or a Date`);
  }
  // Within the range of a Date (±8.64e15 ms, far inside bigint): a bound beyond it (`since=1e23`, `9999999w`)
  // means the same on both stores. Unclamped, PostgreSQL refused it ("1e+23" is not a bigint) where SQLite
  // answered.
  return Math.min(Math.max(Math.floor(ms), -MAX_DATE_MS), MAX_DATE_MS);
}

const MAX_DATE_MS = 8.64e15;

function oneOf<T extends string>(value: T | undefined, valid: readonly T[], name: string): T | undefined {
  if (value !== undefined && !valid.includes(value)) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `audit ${name} "${value}" is not one of: ${valid.join(', ')}`);
  }
  return value;
}

type EventsQuery<O> = SelectQueryBuilder<AuditDatabase, 'audit_events', O>;

function inRange<O>(q: EventsQuery<O>, since: number | undefined, until: number | undefined): EventsQuery<O> {
  let out = q;
  if (since !== undefined) out = out.where('ts', '>=', since);
  if (until !== undefined) out = out.where('ts', '<', until);
  return out;
}

export async function queryEvents(db: AuditDb, filter: AuditFilter = {}): Promise<AuditEvent[]> {
  const limit = filter.limit ?? DEFAULT_QUERY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `audit query limit must be an integer from 1 to ${MAX_QUERY_LIMIT}`,
    );
  }
  const action = oneOf(filter.action, AUDIT_ACTIONS, 'action');
  const stage = oneOf(filter.stage, AUDIT_STAGES, 'stage');
  let q = inRange(db.selectFrom('audit_events').selectAll(), toMs(filter.since, 'since'), toMs(filter.until, 'until'));
  // Filters are normalised as stored identifiers are (control characters as spaces, lone surrogates as
  // U+FFFD, line breaks and tabs as spaces too): a NUL in a filter made PostgreSQL fail the query where SQLite matched nothing.
  if (filter.check !== undefined) q = q.where('check_name', '=', identifierText(filter.check));
  if (action !== undefined) q = q.where('action', '=', action);
  if (stage !== undefined) q = q.where('stage', '=', stage);
  if (filter.requestId !== undefined) q = q.where('request_id', '=', identifierText(filter.requestId));
  if (filter.apiKeyId !== undefined) q = q.where('api_key_id', '=', identifierText(filter.apiKeyId));
  if (filter.before !== undefined) q = q.where('id', '<', filter.before);
  const rows = await q.orderBy('id', 'desc').limit(limit).execute();
  return rows.map(fromRow);
}

export async function deleteOlderThan(tx: AuditTx, cutoff: number): Promise<number> {
  const result = await tx.deleteFrom('audit_events').where('ts', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}

const blocked = (eb: ExpressionBuilder<AuditDatabase, 'audit_events'>) =>
  eb.fn.sum<number>(eb.case().when('action', '=', 'block').then(1).else(0).end());

const rate = (blockedCount: number, total: number) => (total === 0 ? 0 : blockedCount / total);

/**
 * Aggregates, each one SQL statement that both SQLite and PostgreSQL run. Percentiles use the nearest-rank
 * rule: p-th percentile = the value at rank ⌈p·n⌉ in ascending order, found as the smallest value whose
 * row number is ≥ p·n (no `ceil` or `percentile_cont` needed, so both databases give the same answer).
 */
export async function computeStats(
  db: AuditDb,
  range: AuditStatsRange = {},
  backend: AuditBackend = 'sqlite',
): Promise<AuditStats> {
  // Names sort byte-wise on both stores. SQLite compares text as bytes; PostgreSQL by the database's collation
  // (en_US puts `_x`, `alpha`, `Zeta` where SQLite has `Zeta`, `_x`, `alpha`), so it is told to use "C".
  const byName = (column: 'check_name' | 'category') =>
    backend === 'postgres' ? sql`${sql.ref(column)} collate "C"` : sql.ref(column);
  const since = toMs(range.since, 'since');
  const until = toMs(range.until, 'until');
  const events = () => inRange(db.selectFrom('audit_events'), since, until);

  const [totalRow, counts, byCheck, byCategory, latency, topRules] = await Promise.all([
    events()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
    events()
      .select((eb) => ['check_name', 'action', eb.fn.countAll<number>().as('n')])
      .groupBy(['check_name', 'action'])
      .orderBy(byName('check_name'))
      .orderBy('action')
      .execute(),
    events()
      .select((eb) => ['check_name', eb.fn.countAll<number>().as('n'), blocked(eb).as('blocked')])
      .groupBy('check_name')
      .orderBy('n', 'desc')
      .orderBy(byName('check_name'))
      .execute(),
    events()
      .where('category', 'is not', null)
      .select((eb) => ['category', eb.fn.countAll<number>().as('n'), blocked(eb).as('blocked')])
      .groupBy('category')
      .orderBy('n', 'desc')
      .orderBy(byName('category'))
      .execute(),
    db
      .selectFrom(
        events()
          .select([
            'check_name',
            'latency_ms',
            sql<number>`row_number() over (partition by check_name order by latency_ms)`.as('rn'),
            sql<number>`count(*) over (partition by check_name)`.as('n'),
          ])
          .as('ranked'),
      )
      .select((eb) => {
        const at = (p: number) =>
          eb.fn
            .min(
              eb
                .case()
                .when(sql<boolean>`rn >= ${sql.lit(p)} * n`)
                .then(eb.ref('latency_ms'))
                .end(),
            )
            .as(`p${Math.round(p * 100)}`);
        return ['check_name', eb.fn.max('n').as('n'), at(0.5), at(0.95), at(0.99)];
      })
      .groupBy('check_name')
      .orderBy(byName('check_name'))
      .execute(),
    events()
      .where('action', '<>', 'allow')
      .select((eb) => ['check_name', 'category', eb.fn.countAll<number>().as('n')])
      .groupBy(['check_name', 'category'])
      .orderBy('n', 'desc')
      .orderBy(byName('check_name'))
      .orderBy(byName('category'), (o) => o.asc().nullsLast())
      .limit(10)
      .execute(),
  ]);

  const stats: AuditStats = {
    total: Number(totalRow?.n ?? 0),
    counts: counts.map((r) => ({ check: r.check_name, action: r.action as AuditAction, count: Number(r.n) })),
    blockRateByCheck: byCheck.map((r) => {
      const total = Number(r.n);
      const b = Number(r.blocked ?? 0);
      return { check: r.check_name, total, blocked: b, rate: rate(b, total) };
    }),
    blockRateByCategory: byCategory.map((r) => {
      const total = Number(r.n);
      const b = Number(r.blocked ?? 0);
      return { category: r.category as string, total, blocked: b, rate: rate(b, total) };
    }),
    latency: latency.map((r) => ({
      check: r.check_name,
      count: Number(r.n),
      p50: Number(r.p50),
      p95: Number(r.p95),
      p99: Number(r.p99),
    })),
    topRules: topRules.map((r) => ({ check: r.check_name, category: r.category, count: Number(r.n) })),
  };
  if (since !== undefined) stats.since = since;
  if (until !== undefined) stats.until = until;
  return stats;
}
