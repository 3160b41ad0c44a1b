import { LifeguardError } from '../../core/errors.js';
import { namedAfter, type OpenDatabase, openDatabase, resolveTarget } from './database.js';
import { migrate } from './migrations.js';
import { computeStats, deleteOlderThan, queryEvents, toMs } from './queries.js';
import { prepareEvent } from './sanitize.js';
import type {
  AuditBackend,
  AuditEvent,
  AuditEventInput,
  AuditFilter,
  AuditLog,
  AuditLogOptions,
  AuditStats,
  AuditStatsRange,
  AuditTime,
} from './types.js';

const DEFAULT_BATCH_MS = 5;
const DEFAULT_MAX_QUEUE = 10_000;
/** Most events written in one transaction. */
const MAX_BATCH = 1_000;
/** Queued events that are worth a commit without waiting batchMs for more. */
const WRITE_AT_ONCE = 100;
const DAY_MS = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

interface Pending {
  events: AuditEvent[];
  resolve(events: AuditEvent[]): void;
  reject(error: unknown): void;
}

function positive(value: number | undefined, name: string, integer: boolean): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value)) || (integer && value < 1)) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `audit log: ${name} must be a ${integer ? 'positive integer' : 'non-negative number'}, got ${value}`,
    );
  }
}

/**
 * Opens (creating and migrating as needed) the audit log: PostgreSQL for a `postgres://` URL — `databaseUrl`,
 * or `DATABASE_URL` when `useEnv` is set — else SQLite at `sqlitePath` (default `lifeguard-audit.db`).
 *
 * Writes are queued and committed in batches, one transaction per batch; `record()` resolves when its
 * batch is durable. See docs/guard-audit.md.
 */
export async function createAuditLog(options: AuditLogOptions = {}): Promise<AuditLog> {
  positive(options.retentionDays, 'retentionDays', false);
  positive(options.batchMs, 'batchMs', false);
  positive(options.maxQueue, 'maxQueue', true);
  positive(options.poolSize, 'poolSize', true);
  positive(options.queryTimeoutMs, 'queryTimeoutMs', true);
  if (options.retentionDays === 0) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      'audit log: retentionDays must be above 0 (leave it out to keep everything)',
    );
  }
  const store = await openDatabase(resolveTarget(options), {
    schema: options.schema,
    poolSize: options.poolSize,
    queryTimeoutMs: options.queryTimeoutMs,
  });
  try {
    await migrate(store, options.schema);
  } catch (e) {
    await store.close();
    // "attempt to write a readonly database" says not which: name it.
    throw namedAfter(store.location, e);
  }
  const log = new SqlAuditLog(store, options);
  if (options.retentionDays !== undefined) {
    try {
      await log.prune();
    } catch (e) {
      await store.close();
      throw e;
    }
    log.startPruning();
  }
  return log;
}

class SqlAuditLog implements AuditLog {
  readonly backend: AuditBackend;
  private readonly batchMs: number;
  private readonly maxQueue: number;
  private readonly retentionDays: number | undefined;
  /** Queued, not yet being written. */
  private queue: Pending[] = [];
  /** Events queued or being written: what counts against maxQueue. */
  private held = 0;
  /** record() calls waiting for room, first come first served. */
  private readonly waiting: { size: number; admit(): void }[] = [];
  /** Every record() not yet settled, for flush() and close(). */
  private readonly outstanding = new Set<Promise<AuditEvent[]>>();
  private timer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private draining = false;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly store: OpenDatabase,
    options: AuditLogOptions,
  ) {
    this.backend = store.backend;
    this.batchMs = options.batchMs ?? DEFAULT_BATCH_MS;
    this.maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
    this.retentionDays = options.retentionDays;
  }

  record(input: AuditEventInput | readonly AuditEventInput[]): Promise<AuditEvent[]> {
    const p = this.enqueue(input);
    this.outstanding.add(p);
    const forget = () => this.outstanding.delete(p);
    p.then(forget, forget);
    return p;
  }

  private async enqueue(input: AuditEventInput | readonly AuditEventInput[]): Promise<AuditEvent[]> {
    if (this.closed)
      throw new LifeguardError('LG_ERR_INPUT_INVALID', 'audit log is closed; open a new one with createAuditLog');
    const list = Array.isArray(input) ? (input as readonly AuditEventInput[]) : [input as AuditEventInput];
    const now = Date.now();
    const events = list.map((e) => prepareEvent(e, now));
    if (events.length === 0) return [];
    if (this.waiting.length > 0 || !this.hasRoom(events.length)) {
      // admitWaiting() reserves the room before letting it in.
      await new Promise<void>((admit) => this.waiting.push({ size: events.length, admit }));
    } else {
      this.held += events.length;
    }
    return new Promise<AuditEvent[]>((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.schedule();
    });
  }

  /** A batch bigger than maxQueue is let in alone, when nothing else is held. */
  private hasRoom(size: number): boolean {
    return this.held === 0 || this.held + size <= this.maxQueue;
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.hasRoom(this.waiting[0]!.size)) {
      const next = this.waiting.shift()!;
      this.held += next.size;
      next.admit();
    }
  }

  private queuedEvents(): number {
    let n = 0;
    for (const p of this.queue) n += p.events.length;
    return n;
  }

  private schedule(): void {
    if (this.draining) return; // the running drain picks it up
    if (this.batchMs === 0 || this.queuedEvents() >= WRITE_AT_ONCE) {
      this.drainNow();
      return;
    }
    this.timer ??= setTimeout(() => this.drainNow(), this.batchMs);
  }

  private drainNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.draining) void this.drain();
  }

  /** Writes batches until the queue is empty; one at a time, so batches commit in order. */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        await this.writeBatch(batch);
        for (const p of batch) this.held -= p.events.length;
        this.admitWaiting();
      }
    } finally {
      this.draining = false;
    }
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let size = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (batch.length > 0 && size + next.events.length > MAX_BATCH) break;
      batch.push(this.queue.shift()!);
      size += next.events.length;
    }
    return batch;
  }

  /**
   * One transaction for the whole batch. If it fails and the batch holds several record() calls, each is
   * retried alone, so a bad event (a duplicate id, say) fails only its own caller.
   */
  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      await this.store.write((tx) =>
        this.store.insertEvents(
          tx,
          batch.flatMap((p) => p.events),
        ),
      );
      for (const p of batch) p.resolve(p.events);
      return;
    } catch (e) {
      if (batch.length === 1) {
        batch[0]!.reject(e);
        return;
      }
    }
    for (const p of batch) {
      try {
        await this.store.write((tx) => this.store.insertEvents(tx, p.events));
        p.resolve(p.events);
      } catch (e) {
        p.reject(e);
      }
    }
  }

  async flush(): Promise<void> {
    const pending = [...this.outstanding];
    if (pending.length === 0) return;
    this.drainNow();
    await Promise.all(pending);
  }

  query(filter?: AuditFilter): Promise<AuditEvent[]> {
    return queryEvents(this.store.db, filter);
  }

  stats(range?: AuditStatsRange): Promise<AuditStats> {
    return computeStats(this.store.db, range, this.backend);
  }

  async prune(now?: AuditTime): Promise<number> {
    if (this.retentionDays === undefined) return 0;
    const at = toMs(now, 'prune time') ?? Date.now();
    const cutoff = at - this.retentionDays * DAY_MS;
    return this.store.write((tx) => deleteOlderThan(tx, cutoff));
  }

  startPruning(): void {
    this.pruneTimer = setInterval(() => {
      // A failed prune is retried on the next tick; writes report their own errors.
      this.prune().catch(() => {});
    }, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    // Everything accepted so far, waiting callers included, is written before the database closes.
    let failure: unknown;
    while (this.outstanding.size > 0) {
      this.drainNow();
      const results = await Promise.allSettled([...this.outstanding]);
      for (const r of results) if (r.status === 'rejected' && failure === undefined) failure = r.reason;
    }
    await this.store.close();
    // The callers concerned were told too; close() reports the first failure so a shutdown path sees it.
    if (failure !== undefined) throw failure;
  }
}
