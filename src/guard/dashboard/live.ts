import type { AuditEvent, AuditLog } from '../audit/index.js';

/** What a live subscriber receives: new events, oldest first, or word that some were skipped. */
export type LiveMessage = { kind: 'events'; events: AuditEvent[] } | { kind: 'gap' };

interface Subscriber {
  /** Events with an id above this one are new to the subscriber; undefined until the first poll. */
  cursor: string | undefined;
  send(message: LiveMessage): void;
}

export interface LiveFeedOptions {
  /** Poll interval (default 1 000 ms). */
  intervalMs?: number;
  /** Newest events read per poll (default 200); more new events than that in one interval make a gap. */
  pageSize?: number;
  /** Most subscribers at once (default 16). */
  maxSubscribers?: number;
}

/**
 * New audit events for the dashboard's live view. One poll of the audit log per interval, shared by every
 * subscriber and only while there is one: it reads the newest page and gives each subscriber the events
 * above its id cursor (ids are time-ordered). When a whole page is new to a subscriber, older new events
 * were skipped; it gets a `gap` and can reload. Works across processes (several gateways, one database).
 */
export class LiveFeed {
  readonly #subs = new Set<Subscriber>();
  readonly #intervalMs: number;
  readonly #pageSize: number;
  readonly maxSubscribers: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #polling = false;

  constructor(
    private readonly audit: AuditLog,
    options: LiveFeedOptions = {},
  ) {
    this.#intervalMs = options.intervalMs ?? 1000;
    this.#pageSize = options.pageSize ?? 200;
    this.maxSubscribers = options.maxSubscribers ?? 16;
  }

  get size(): number {
    return this.#subs.size;
  }

  /**
   * Starts delivering events with an id above `after` (or, without it, those recorded from now on).
   * Returns the unsubscribe function, or undefined when `maxSubscribers` are already listening.
   */
  subscribe(send: (message: LiveMessage) => void, after?: string): (() => void) | undefined {
    if (this.#subs.size >= this.maxSubscribers) return undefined;
    const sub: Subscriber = { cursor: after, send };
    this.#subs.add(sub);
    this.#schedule(0);
    return () => {
      this.#subs.delete(sub);
      if (this.#subs.size === 0 && this.#timer) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  #schedule(ms: number): void {
    if (this.#timer || this.#polling || this.#subs.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#poll();
    }, ms);
    this.#timer.unref?.();
  }

  async #poll(): Promise<void> {
    this.#polling = true;
    try {
      const page = await this.audit.query({ limit: this.#pageSize }); // newest first
      const newest = page[0]?.id ?? '0'.repeat(26);
      const oldest = page.at(-1)?.id;
      for (const sub of this.#subs) {
        const cursor = sub.cursor;
        if (cursor === undefined) {
          sub.cursor = newest;
          continue;
        }
        const fresh = page.filter((e) => e.id > cursor);
        if (fresh.length === 0) continue;
        sub.cursor = fresh[0]?.id;
        try {
          if (page.length === this.#pageSize && oldest !== undefined && oldest > cursor) sub.send({ kind: 'gap' });
          sub.send({ kind: 'events', events: fresh.reverse() });
        } catch {
          // A subscriber whose stream is gone is removed by its own unsubscribe; the others go on.
        }
      }
    } catch {
      // The log is closing or the database is away for a moment: try again next interval.
    } finally {
      this.#polling = false;
      this.#schedule(this.#intervalMs);
    }
  }
}
