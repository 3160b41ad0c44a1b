import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { LifeguardError } from '../../core/errors.js';
import type { AuditEvent, AuditFilter, AuditLog, AuditStats } from '../../guard/audit/index.js';
import { formatTable } from '../table.js';

interface LogsFlags {
  db?: string;
  databaseUrl?: string;
  since?: string;
  until?: string;
  check?: string;
  action?: string;
  stage?: string;
  request?: string;
  key?: string;
  before?: string;
  limit: string;
  json?: boolean;
  stats?: boolean;
}

const EXCERPT_COLUMN = 60;

function oneOf(value: string | undefined, valid: readonly string[], flag: string): void {
  if (value !== undefined && !valid.includes(value)) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${flag}: "${value}" is not one of: ${valid.join(', ')}`);
  }
}

function parseLimit(value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `--limit: expected an integer from 1 to ${max}, got "${value}"`);
  }
  return n;
}

const num = (x: number | undefined, digits: number) => (x === undefined ? '–' : x.toFixed(digits));
/**
 * A cell as the terminal gets it: one line, no control characters (C0, C1 — U+009B is a CSI — DEL) and no bidi
 * controls, whatever the row holds (the log normalises what it stores, but a row may have been written by an
 * older version or by hand).
 */
const cell = (s: string) =>
  s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ');
const clipCell = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** The event's time; a row whose `ts` is no valid date shows the number rather than failing the whole listing. */
function isoTime(ts: number): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? String(ts) : d.toISOString();
}

/** `--before`: an event id (any case, as Crockford base32 allows); anything else would silently list everything. */
function parseBefore(value: string | undefined, pattern: RegExp): string | undefined {
  if (value === undefined) return undefined;
  const id = value.trim().toUpperCase();
  if (!pattern.test(id)) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `--before: expected an event id (26 characters of Crockford base32, as printed by --json), got "${value}"`,
    );
  }
  return id;
}

function eventTable(events: readonly AuditEvent[]): string {
  return formatTable(
    ['TIME', 'REQUEST', 'STAGE', 'CHECK', 'CATEGORY', 'ACTION', 'SCORE', 'MS', 'EXCERPT'],
    events.map((e) => [
      isoTime(e.ts),
      cell(e.requestId),
      cell(e.stage),
      cell(e.check),
      cell(e.category ?? ''),
      cell(e.action),
      num(e.score, 2),
      num(e.latencyMs, 1),
      clipCell(cell(e.error ? `error: ${e.error}` : (e.excerpt ?? '')), EXCERPT_COLUMN),
    ]),
  );
}

function statsText(s: AuditStats): string {
  const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
  const parts = [
    `${s.total} decisions`,
    formatTable(
      ['CHECK', 'DECISIONS', 'BLOCKED', 'BLOCK RATE', 'P50 MS', 'P95 MS', 'P99 MS'],
      s.blockRateByCheck.map((c) => {
        const l = s.latency.find((x) => x.check === c.check);
        return [
          cell(c.check),
          String(c.total),
          String(c.blocked),
          pct(c.rate),
          num(l?.p50, 2),
          num(l?.p95, 2),
          num(l?.p99, 2),
        ];
      }),
    ),
    formatTable(
      ['CHECK', 'ACTION', 'COUNT'],
      s.counts.map((c) => [cell(c.check), cell(c.action), String(c.count)]),
    ),
  ];
  if (s.blockRateByCategory.length > 0) {
    parts.push(
      formatTable(
        ['CATEGORY', 'DECISIONS', 'BLOCKED', 'BLOCK RATE'],
        s.blockRateByCategory.map((c) => [cell(c.category), String(c.total), String(c.blocked), pct(c.rate)]),
      ),
    );
  }
  if (s.topRules.length > 0) {
    parts.push(
      formatTable(
        ['TOP RULES', 'CATEGORY', 'ACTED'],
        s.topRules.map((r) => [cell(r.check), cell(r.category ?? ''), String(r.count)]),
      ),
    );
  }
  return parts.join('\n\n');
}

async function openLog(flags: LogsFlags): Promise<AuditLog> {
  const { createAuditLog, DEFAULT_SQLITE_PATH } = await import('../../guard/audit/index.js');
  if (flags.db !== undefined && flags.databaseUrl !== undefined) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', 'pass either --db or --database-url, not both');
  }
  if (flags.databaseUrl !== undefined) return createAuditLog({ databaseUrl: flags.databaseUrl });
  if (flags.db === undefined && /^postgres(?:ql)?:\/\//i.test(process.env.DATABASE_URL ?? '')) {
    return createAuditLog({ useEnv: true });
  }
  const file = flags.db ?? DEFAULT_SQLITE_PATH;
  // Reading must not leave an empty database behind where there was none.
  if (!existsSync(file)) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `no audit log at ${file}; pass --db FILE or --database-url URL (or set DATABASE_URL)`,
    );
  }
  await assertAuditLogFile(file);
  return createAuditLog({ sqlitePath: file });
}

/**
 * Checks, read-only, that `file` is an audit log before it is opened as one: opening it for writing would turn
 * any other small file (or an empty one) into a database and run the log's migrations on someone else's
 * SQLite file.
 */
async function assertAuditLogFile(file: string): Promise<void> {
  const notALog = (why: string) =>
    new LifeguardError('LG_ERR_CONFIG_INVALID', `${file} is not a Lifeguard audit log (${why}); nothing was changed`);
  if (statSync(file).isDirectory()) throw notALog('it is a folder');
  const { default: Database } = await import('better-sqlite3');
  let db: import('better-sqlite3').Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const table = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'audit_events'").get();
    if (!table) throw notALog('no audit_events table');
  } catch (e) {
    if (e instanceof LifeguardError) throw e;
    throw notALog((e as { code?: string }).code === 'SQLITE_NOTADB' ? 'not a SQLite database' : (e as Error).message);
  } finally {
    db?.close();
  }
}

/** `lifeguard guard logs`: the audit log, newest first, as a table, JSON Lines or aggregates. */
export function registerGuardLogs(guard: Command): Command {
  return guard
    .command('logs')
    .description('query the audit log: guard decisions, newest first (a table, JSON Lines with --json, or --stats)')
    .option('--db <file>', 'SQLite audit log (default lifeguard-audit.db, or $DATABASE_URL when it is PostgreSQL)')
    .option('--database-url <url>', 'PostgreSQL audit log, postgres://…')
    .option('--since <time>', 'from this time: a duration back from now (30m, 1h, 7d) or an ISO date')
    .option('--until <time>', 'before this time (same forms as --since)')
    .option('--check <name>', 'only this check, e.g. injection, pii, secrets')
    .option('--action <action>', 'only this action')
    .option('--stage <stage>', 'only this stage: input, context, output, tool')
    .option('--request <id>', 'only this request id')
    .option('--key <id>', 'only this API key id')
    .option('--before <id>', 'only events older than this event id (paging)')
    .option('--limit <n>', 'most events to print', '50')
    .option('--json', 'JSON Lines (one event per line), or the stats as one JSON object')
    .option('--stats', 'aggregates instead of events: counts, block rates, latency percentiles, top rules')
    .action(async (flags: LogsFlags) => {
      const { AUDIT_ACTIONS, AUDIT_ID_PATTERN, AUDIT_STAGES, MAX_QUERY_LIMIT, parseTimeBound } = await import(
        '../../guard/audit/index.js'
      );
      oneOf(flags.action, AUDIT_ACTIONS, '--action');
      oneOf(flags.stage, AUDIT_STAGES, '--stage');
      const now = Date.now();
      const since = flags.since === undefined ? undefined : parseTimeBound(flags.since, now);
      const until = flags.until === undefined ? undefined : parseTimeBound(flags.until, now);
      const limit = parseLimit(flags.limit, MAX_QUERY_LIMIT);
      const before = parseBefore(flags.before, AUDIT_ID_PATTERN);
      const log = await openLog(flags);
      try {
        if (flags.stats) {
          const stats = await log.stats({ since, until });
          process.stdout.write(flags.json ? `${JSON.stringify(stats)}\n` : `${statsText(stats)}\n`);
          return;
        }
        const filter: AuditFilter = {
          since,
          until,
          check: flags.check,
          action: flags.action as AuditFilter['action'],
          stage: flags.stage as AuditFilter['stage'],
          requestId: flags.request,
          apiKeyId: flags.key,
          before,
          limit,
        };
        const events = await log.query(filter);
        if (flags.json) {
          process.stdout.write(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
        } else {
          process.stdout.write(`${eventTable(events)}\n`);
        }
      } finally {
        await log.close();
      }
    });
}
