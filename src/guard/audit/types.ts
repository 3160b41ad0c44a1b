/** Where in a request a check ran. */
export const AUDIT_STAGES = ['input', 'context', 'output', 'tool'] as const;
export type AuditStage = (typeof AUDIT_STAGES)[number];

/** What the guard did about one check's verdict. */
export const AUDIT_ACTIONS = ['allow', 'block', 'redact', 'pseudonymise', 'warn', 'log', 'shadow'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One guard decision: which check ran on which stage of which request, its score, the action taken and
 * how long it took. Stored in the audit log; never carries a raw secret, personal data or an API key.
 */
export interface AuditEvent {
  /** Time-ordered unique id (26 characters, ULID layout): sorting by id sorts by `ts`. */
  id: string;
  /** When the decision was made, epoch milliseconds. */
  ts: number;
  requestId: string;
  route?: string;
  /** The id of the client's API key (e.g. its configured name), never the key itself. */
  apiKeyId?: string;
  policy?: string;
  stage: AuditStage;
  /** The check, e.g. `injection`, `pii`, `secrets`, `deny-list`. */
  check: string;
  /** A hazard category or entity type, e.g. `S1`, `EMAIL_ADDRESS`. */
  category?: string;
  score?: number;
  action: AuditAction;
  latencyMs: number;
  /** A short, redacted piece of the text the check read (at most 200 characters once stored). */
  excerpt?: string;
  model?: string;
  /** Why the check failed, when it errored or timed out (redacted like the excerpt). */
  error?: string;
}

/** What `record()` takes: `id` and `ts` are filled in when absent. */
export type AuditEventInput = Omit<AuditEvent, 'id' | 'ts'> & { id?: string; ts?: number };

/** A time bound: epoch milliseconds or a Date. */
export type AuditTime = number | Date;

/** Which events `query()` returns, newest first. Every field narrows the result. */
export interface AuditFilter {
  /** Inclusive lower bound on `ts`. */
  since?: AuditTime;
  /** Exclusive upper bound on `ts`. */
  until?: AuditTime;
  check?: string;
  action?: AuditAction;
  stage?: AuditStage;
  requestId?: string;
  apiKeyId?: string;
  /** At most this many events (default 100, at most 10 000). */
  limit?: number;
  /** Cursor: only events with an id below this one, i.e. older. Pass the last id of the previous page. */
  before?: string;
}

export interface AuditStatsRange {
  since?: AuditTime;
  until?: AuditTime;
}

/** How often each check led to each action. */
export interface AuditCount {
  check: string;
  action: AuditAction;
  count: number;
}

/** Share of a check's (or a category's) decisions that blocked. */
export interface AuditBlockRate {
  total: number;
  blocked: number;
  /** blocked / total, 0–1. */
  rate: number;
}

/** Latency percentiles of one check (nearest rank), milliseconds. */
export interface AuditLatency {
  check: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

/** A check (and category) that acted, i.e. whose action was not `allow`. */
export interface AuditRule {
  check: string;
  category: string | null;
  count: number;
}

/** Aggregates over a time range, computed by the database. */
export interface AuditStats {
  since?: number;
  until?: number;
  total: number;
  /** By check, then action. */
  counts: AuditCount[];
  /** By check, most decisions first. */
  blockRateByCheck: (AuditBlockRate & { check: string })[];
  /** By category (events without one are left out), most decisions first. */
  blockRateByCategory: (AuditBlockRate & { category: string })[];
  latency: AuditLatency[];
  /** The 10 check/category pairs that acted most often. */
  topRules: AuditRule[];
}

export interface AuditLogOptions {
  /** A `postgres://` or `postgresql://` URL: store in PostgreSQL. `sqlite:FILE` / `file:FILE` also work. */
  databaseUrl?: string;
  /** Read `DATABASE_URL` from the environment when `databaseUrl` is absent (used only if it is a PostgreSQL URL). */
  useEnv?: boolean;
  /** SQLite file when no PostgreSQL URL applies (default `lifeguard-audit.db`). */
  sqlitePath?: string;
  /** PostgreSQL schema to keep the tables in (created when missing; default: the connection's search path). */
  schema?: string;
  /** Events older than this many days are deleted by `prune()`, on open and hourly after. No limit when absent. */
  retentionDays?: number;
  /** How long a queued event may wait for companions before its batch is written (default 5 ms). */
  batchMs?: number;
  /** Most events held in memory waiting to be written; `record()` waits for room past that (default 10 000). */
  maxQueue?: number;
  /** PostgreSQL pool size (default 4). */
  poolSize?: number;
  /**
   * PostgreSQL: longest a query may go unanswered before it fails and its connection is dropped (default
   * 60 000 ms), so a server that stops answering makes writes fail instead of hang.
   */
  queryTimeoutMs?: number;
}

export type AuditBackend = 'sqlite' | 'postgres';

export interface AuditLog {
  readonly backend: AuditBackend;
  /**
   * Queues one event or several; resolves with what was stored (ids filled in, excerpt redacted) once the
   * batch holding them is committed durably. Rejects when the write fails, or at once when an event is invalid.
   * When `maxQueue` events are already waiting, it first waits for room (backpressure).
   */
  record(events: AuditEventInput | readonly AuditEventInput[]): Promise<AuditEvent[]>;
  /** Resolves once everything queued so far is written (rejects if a batch of it failed). */
  flush(): Promise<void>;
  /** Matching events, newest first. Page on with `before: page.at(-1).id`. */
  query(filter?: AuditFilter): Promise<AuditEvent[]>;
  stats(range?: AuditStatsRange): Promise<AuditStats>;
  /** Deletes events older than the retention period before `now` (default: the current time); returns how many. */
  prune(now?: AuditTime): Promise<number>;
  /** Writes everything queued, then closes the database. Later `record()` calls reject. */
  close(): Promise<void>;
}
