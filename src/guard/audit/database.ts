import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  Kysely,
  type Kysely as KyselyDb,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Transaction,
  WithSchemaPlugin,
} from 'kysely';
import { LifeguardError } from '../../core/errors.js';
import { insertEvents } from './queries.js';
import { sqliteEventWriter } from './sqlite-insert.js';
import type { AuditBackend, AuditEvent } from './types.js';

/** The events table, one row per decision. Column names are snake_case; `check` is an SQL keyword. */
export interface EventsTable {
  id: string;
  ts: number;
  request_id: string;
  route: string | null;
  api_key_id: string | null;
  policy: string | null;
  stage: string;
  check_name: string;
  category: string | null;
  score: number | null;
  action: string;
  latency_ms: number;
  excerpt: string | null;
  model: string | null;
  error: string | null;
}

/** One row per schema migration applied. */
export interface VersionTable {
  version: number;
  applied_at: number;
}

export interface AuditDatabase {
  audit_events: EventsTable;
  audit_schema_version: VersionTable;
}

export type AuditDb = KyselyDb<AuditDatabase>;
export type AuditTx = Transaction<AuditDatabase> | AuditDb;

export const DEFAULT_SQLITE_PATH = 'lifeguard-audit.db';

/** An open database and how to run a write transaction on it. */
export interface OpenDatabase {
  backend: AuditBackend;
  /** For messages: the SQLite file, or the PostgreSQL host/database (never the password). */
  location: string;
  db: AuditDb;
  /**
   * Runs `fn` in one transaction that holds the write lock from its start: `BEGIN IMMEDIATE` on SQLite (so
   * a second process waits on busy_timeout instead of failing mid-transaction), a transaction-scoped
   * advisory lock on PostgreSQL when `lock` is set (schema migrations).
   */
  write<T>(fn: (tx: AuditTx) => Promise<T>, lock?: boolean): Promise<T>;
  /** Inserts events; call it inside `write()` with its transaction. */
  insertEvents(tx: AuditTx, events: readonly AuditEvent[]): Promise<void>;
  close(): Promise<void>;
}

const PG_URL = /^postgres(?:ql)?:\/\//i;
const SQLITE_URL = /^(?:sqlite|file):(?:\/\/)?/i;

export interface Target {
  backend: AuditBackend;
  /** The PostgreSQL URL or the SQLite path. */
  where: string;
}

/** Picks the store: an explicit URL, then `DATABASE_URL` when allowed and PostgreSQL, else the SQLite file. */
export function resolveTarget(options: { databaseUrl?: string; useEnv?: boolean; sqlitePath?: string }): Target {
  const url = options.databaseUrl;
  if (url !== undefined && url !== '') {
    if (PG_URL.test(url)) return { backend: 'postgres', where: url };
    if (SQLITE_URL.test(url)) return { backend: 'sqlite', where: url.replace(SQLITE_URL, '') };
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `audit log: unsupported database URL scheme "${url.split(':')[0]}"; use postgres://… or sqlite:FILE (or sqlitePath)`,
    );
  }
  const env = options.useEnv ? process.env.DATABASE_URL : undefined;
  if (env && PG_URL.test(env)) return { backend: 'postgres', where: env };
  return { backend: 'sqlite', where: options.sqlitePath ?? DEFAULT_SQLITE_PATH };
}

/** host:port/database of a PostgreSQL URL, without credentials. */
function describePg(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.host}${u.pathname}`;
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export async function openDatabase(target: Target, options: PgOptions = {}): Promise<OpenDatabase> {
  return target.backend === 'postgres' ? openPostgres(target.where, options) : openSqlite(target.where);
}

/**
 * SQLite logs open in this process, by file. Two connections to one file in one thread would deadlock: a
 * transaction on one spans awaits, while the other waits for the lock synchronously (busy_timeout), blocking
 * the thread the first needs to finish. So logs on the same file share one connection.
 */
const openSqliteFiles = new Map<string, { refs: number; store: Promise<OpenDatabase> }>();

async function openSqlite(path: string): Promise<OpenDatabase> {
  const file = resolve(path);
  let entry = openSqliteFiles.get(file);
  if (!entry) {
    const created = { refs: 0, store: connectSqlite(file) };
    entry = created;
    openSqliteFiles.set(file, created);
    created.store.catch(() => openSqliteFiles.delete(file));
  }
  entry.refs++;
  const shared = await entry.store;
  const held = entry;
  let closed = false;
  return {
    ...shared,
    close: async () => {
      if (closed) return;
      closed = true;
      held.refs--;
      if (held.refs > 0) return;
      openSqliteFiles.delete(file);
      await shared.close();
    },
  };
}

async function connectSqlite(file: string): Promise<OpenDatabase> {
  const { default: Database } = await import('better-sqlite3');
  let raw: import('better-sqlite3').Database;
  try {
    mkdirSync(dirname(file), { recursive: true });
    raw = new Database(file);
  } catch (e) {
    // SQLite says only "unable to open database file": name the file, keep the error (and its code).
    throw namedAfter(file, e);
  }
  try {
    const mode = raw.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') {
      throw new LifeguardError('LG_ERR_CONFIG_INVALID', `audit log: ${file} cannot use WAL mode (got "${mode}")`);
    }
    // Durability. In WAL mode, synchronous=NORMAL already survives the process being killed (kill -9): a
    // commit is in the WAL file, in the OS page cache, when the call returns. It may lose the last commits
    // on a power cut or kernel crash. FULL fsyncs the WAL at every commit, so an event acknowledged by
    // record() is on stable storage. Events are written in batches (one transaction, one fsync each),
    // which makes FULL cheap enough; see docs/guard-audit.md for the measured rate.
    raw.pragma('synchronous = FULL');
    // Another process (the gateway and `lifeguard guard logs`) may hold the lock for a moment.
    raw.pragma('busy_timeout = 5000');
  } catch (e) {
    raw.close();
    throw namedAfter(file, e);
  }
  const db = new Kysely<AuditDatabase>({ dialect: new SqliteDialect({ database: raw }) });
  const insertRows = sqliteEventWriter(raw);
  return {
    backend: 'sqlite',
    location: file,
    db,
    write: (fn) =>
      db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          const result = await fn(conn);
          await sql`commit`.execute(conn);
          return result;
        } catch (e) {
          if (raw.inTransaction) await sql`rollback`.execute(conn);
          throw e;
        }
      }),
    // The one connection runs `write()`'s transaction: statements on it are part of that transaction.
    insertEvents: async (_tx, events) => insertRows(events),
    close: () => db.destroy(),
  };
}

/** The error, its message prefixed with the audit log's file (once): its class and `code` stay as they were. */
export function namedAfter(file: string, e: unknown): unknown {
  if (e instanceof Error && !e.message.includes(file)) e.message = `audit log ${file}: ${e.message}`;
  return e;
}

/** Longest a PostgreSQL query may go unanswered before it fails (a prune of a large backlog included). */
const PG_QUERY_TIMEOUT_MS = 60_000;

interface PgOptions {
  schema?: string;
  poolSize?: number;
  queryTimeoutMs?: number;
}

type PgPool = import('pg').Pool;
type PgClient = import('pg').PoolClient;

/**
 * The pool as Kysely sees it, except that a connection on which a query timed out is destroyed when released,
 * not reused, and refuses further queries at once: the unanswered query still occupies it, so every later
 * query (the transaction's ROLLBACK, the next batch) would wait out the timeout behind it again.
 */
function droppingTimedOut(pool: PgPool) {
  return {
    async connect() {
      const client: PgClient = await pool.connect();
      let timedOut: Error | undefined;
      // The pool listens for errors on idle clients only. A connection that drops while checked out (the
      // server restarted, the backend terminated, a reset mid-transaction) emits 'error' on the client; with
      // no listener that crashed the whole gateway. Its queries fail on their own; the client is discarded.
      let broken: Error | undefined;
      const onError = (e: Error) => {
        broken ??= e;
      };
      client.on('error', onError);
      return {
        query: async (text: string, params: readonly unknown[]) => {
          if (timedOut) throw timedOut;
          if (broken) throw broken;
          try {
            return await client.query(text, params as unknown[]);
          } catch (e) {
            if ((e as Error).message === 'Query read timeout') timedOut = e as Error;
            throw e;
          }
        },
        release: (discard?: boolean) => {
          // A broken client keeps the listener: it may still report its socket's end while being destroyed.
          if (!broken) client.removeListener('error', onError);
          client.release(timedOut ?? broken ?? discard);
        },
      };
    },
    end: () => pool.end(),
  };
}

async function openPostgres(url: string, options: PgOptions): Promise<OpenDatabase> {
  const { default: pg } = await import('pg');
  const schema = options.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `audit log: schema "${schema}" must be letters, digits and _`);
  }
  // bigint (20) and numeric (1700: what sum() returns) as JavaScript numbers: epoch ms and counts fit in 2^53.
  // A pool-local parser, so other users of pg in the same process keep the library's defaults.
  const asNumber = (v: string) => Number(v);
  const queryTimeoutMs = options.queryTimeoutMs ?? PG_QUERY_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: Math.min(10_000, queryTimeoutMs),
    // A server that stops answering (a network partition, a hung host) would leave every write pending
    // forever: no error, and the gateway's decisions piling up unseen. Each query gets an answer or an error.
    query_timeout: queryTimeoutMs,
    keepAlive: true,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20 || oid === 1700 ? asNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the next query reports the failure.
  pool.on('error', () => {});
  const db = new Kysely<AuditDatabase>({
    dialect: new PostgresDialect({ pool: droppingTimedOut(pool) as unknown as PgPool }),
    plugins: schema ? [new WithSchemaPlugin(schema)] : [],
  });
  const lockKey = `lifeguard.audit.${schema ?? ''}`;
  return {
    backend: 'postgres',
    location: describePg(url) + (schema ? ` (schema ${schema})` : ''),
    db,
    write: (fn, lock) =>
      db.transaction().execute(async (tx) => {
        if (lock) await sql`select pg_advisory_xact_lock(hashtext(${lockKey}))`.execute(tx);
        return fn(tx);
      }),
    insertEvents,
    close: () => db.destroy(),
  };
}
