import type Database from 'better-sqlite3';

/**
 * Writes queued and committed in one transaction per event-loop turn, so logging keeps up with thousands of
 * requests a second. Shared by the run log and the response cache.
 */
export class WriteBatch {
  private queue: (() => void)[] = [];
  private waiters: (() => void)[] = [];
  private scheduled = false;
  private closed = false;
  private readonly commit: () => void;

  constructor(db: Database.Database) {
    this.commit = db.transaction(() => {
      const q = this.queue;
      this.queue = [];
      for (const write of q) write();
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues a write for this turn's commit; returns false (and queues nothing) once closed. */
  push(write: () => void): boolean {
    if (this.closed) return false;
    this.queue.push(write);
    this.schedule();
    return true;
  }

  /** Resolves once everything queued so far is committed. */
  committed(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.schedule();
    });
  }

  /** Commits everything queued, now. */
  flush(): void {
    if (this.queue.length > 0) this.commit();
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }

  /** Commits what is queued; later writes are refused. The database stays the owner's to close. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.closed) this.flush();
    });
  }
}
