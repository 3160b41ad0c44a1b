import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { AuditEventInput } from '../audit/index.js';
import { type AuditFailures, decisionToEvent, type GatewayAudit } from '../audit-hook.js';
import type { CheckDecision } from '../types.js';
import type { RequestInfo } from './app.js';
import type { GatewayConfig } from './config.js';
import { GatewayMetrics, type MetricsSnapshot } from './metrics.js';

/**
 * `guard serve --workers N` (node:cluster). The primary process serves nothing: it forks N workers that
 * share the listening socket (connections are handed out round-robin), restarts a worker that dies, and
 * owns the audit log. Workers send their decisions to it in small batches over the IPC channel, so one
 * process writes the database (no lock contention between writers, one batch = one transaction) and the
 * commits' fsyncs never block a worker's event loop. On SIGINT/SIGTERM the primary asks every worker to
 * stop; a worker closes its server, sends what it still holds, disconnects, and the primary writes all of
 * it before it closes the log and exits.
 */

/** A message between the primary and a worker (tagged, so other IPC users are left alone). */
export type ClusterMessage =
  | { lg: 'audit'; events: AuditEventInput[] }
  /** Primary → workers: the audit events it could not write so far (each worker's /health and /metrics). */
  | { lg: 'audit-failures'; events: number; lastError?: string }
  | { lg: 'shutdown' }
  | { lg: 'ready'; url: string }
  /** A stopping worker's last message: everything it sent before has arrived. */
  | { lg: 'bye' }
  /** Worker → primary: a client asked this worker for `/metrics`. */
  | { lg: 'metrics-ask'; id: number }
  /** Primary → worker: send your registry. */
  | { lg: 'metrics-collect'; id: number }
  /** Worker → primary: its registry, for collection `id`. */
  | { lg: 'metrics-snapshot'; id: number; snapshot: MetricsSnapshot }
  /** Primary → worker: the sum over every worker, for the worker's ask `id`. */
  | { lg: 'metrics-sum'; id: number; text: string };

const isMessage = (m: unknown): m is ClusterMessage =>
  typeof m === 'object' && m !== null && typeof (m as { lg?: unknown }).lg === 'string';

/** How many workers a `server.workers` value means. */
export function resolveWorkers(workers: number | 'auto' | undefined): number {
  if (workers === 'auto') return Math.max(1, availableParallelism());
  return Math.max(1, workers ?? 1);
}

/** Per-worker rate limits: connections are spread round-robin, so each worker gets 1/N of a key's budget. */
export function scaleRateLimits(config: GatewayConfig, workers: number): GatewayConfig {
  if (workers <= 1) return config;
  const scale = (rl?: { rpm: number; burst?: number }) =>
    rl && { rpm: rl.rpm / workers, burst: rl.burst === undefined ? undefined : Math.max(1, rl.burst / workers) };
  return {
    ...config,
    rateLimit: scale(config.rateLimit),
    keys: config.keys.map((k) => ({ ...k, rateLimit: scale(k.rateLimit) })),
  };
}

/** Longest a decision waits in a worker before it is sent to the primary. */
const FORWARD_MS = 10;
/** Events that are sent at once, without waiting FORWARD_MS for more. */
const FORWARD_AT = 256;

/** In a worker: the audit hook that forwards decisions to the primary. */
export class AuditForwarder {
  #pending: AuditEventInput[] = [];
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> = Promise.resolve();
  /** Decisions this worker could not hand to the primary. */
  #lost = 0;
  #lastError: string | undefined;
  /** What the primary could not write, as it last said. */
  #primary: AuditFailures = { events: 0 };

  constructor() {
    process.on('message', (m) => {
      if (isMessage(m) && m.lg === 'audit-failures') this.#primary = { events: m.events, lastError: m.lastError };
    });
  }

  /** For `GatewayOptions.auditFailures`: the primary's failed writes and this worker's lost hand-overs. */
  readonly failures = (): AuditFailures => ({
    events: this.#primary.events + this.#lost,
    lastError: this.#lastError ?? this.#primary.lastError,
  });

  recordDecisions(decisions: readonly CheckDecision[], info: RequestInfo): void {
    if (decisions.length === 0) return;
    const ts = Date.now();
    for (const d of decisions) this.#pending.push(decisionToEvent(d, info, ts));
    if (this.#pending.length >= FORWARD_AT) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), FORWARD_MS);
  }

  #lose(events: number, why: string): void {
    this.#lost += events;
    this.#lastError = why;
  }

  /** Sends everything held; resolves when the channel has taken it (in order with earlier sends). */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return this.#sending;
    const events = this.#pending;
    this.#pending = [];
    const message: ClusterMessage = { lg: 'audit', events };
    this.#sending = this.#sending.then(
      () =>
        new Promise<void>((resolve) => {
          if (!process.send || !process.connected) {
            this.#lose(events.length, 'the primary is gone');
            process.stderr.write(`lifeguard: audit: ${events.length} decisions lost, the primary is gone\n`);
            resolve();
            return;
          }
          process.send(message, undefined, {}, (e) => {
            if (e) {
              this.#lose(events.length, e.message);
              process.stderr.write(`lifeguard: audit: sending decisions to the primary failed: ${e.message}\n`);
            }
            resolve();
          });
        }),
    );
    return this.#sending;
  }
}

export interface PrimaryOptions {
  workers: number;
  /** The audit log the primary writes (undefined: audit off). */
  audit?: GatewayAudit;
  /** Told once every worker listens. */
  onReady?: (url: string) => void;
  /** Longest a worker may take to stop before it is killed (ms). */
  stopTimeoutMs?: number;
  /** Longest `/metrics` waits for the workers' registries before it uses the last ones they sent (ms). */
  collectTimeoutMs?: number;
}

export interface RunningPrimary {
  workers(): Worker[];
  /** Stops every worker, writes every decision they sent, closes the audit log. */
  stop(): Promise<void>;
}

/** In the primary: forks the workers (they re-run the same command line) and serves their audit events. */
export function startPrimary(options: PrimaryOptions): RunningPrimary {
  let stopping = false;
  let ready = 0;
  let announced = false;
  const writes = new Set<Promise<unknown>>();
  const metrics = new MetricsCollector(options.collectTimeoutMs ?? 1_000);
  const onMessage = (w: Worker, m: unknown) => {
    if (!isMessage(m)) return;
    if (m.lg === 'metrics-ask') {
      void metrics.sum(live()).then((text) => {
        if (w.isConnected()) w.send({ lg: 'metrics-sum', id: m.id, text } satisfies ClusterMessage);
      });
      return;
    }
    if (m.lg === 'metrics-snapshot') {
      metrics.received(w.id, m.id, m.snapshot);
      return;
    }
    if (m.lg === 'audit' && options.audit) {
      const audit = options.audit;
      const before = audit.failures().events;
      const p = audit.recordEvents(m.events).then(() => {
        // A failed write is counted by the audit hook; every worker is told, so whichever answers /health or
        // /metrics reports it (they only printed on the primary's stderr before).
        if (audit.failures().events !== before) tellFailures(live());
      });
      writes.add(p);
      void p.finally(() => writes.delete(p));
    } else if (m.lg === 'ready') {
      ready++;
      // A worker started after failures (a restart) learns them too.
      if (options.audit && options.audit.failures().events > 0) tellFailures([w]);
      if (!announced && ready >= options.workers) {
        announced = true;
        options.onReady?.(m.url);
      }
    }
  };
  const live = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
  const tellFailures = (to: readonly Worker[]) => {
    const f = options.audit?.failures();
    if (!f) return;
    const message: ClusterMessage = { lg: 'audit-failures', events: f.events, lastError: f.lastError };
    for (const w of to) {
      if (!w.isConnected()) continue;
      try {
        w.send(message);
      } catch {
        // a worker going away: it learns again when it is replaced
      }
    }
  };
  const fork = () => {
    const w = cluster.fork({ LIFEGUARD_WORKER: '1' });
    w.on('message', (m) => onMessage(w, m));
    w.on('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`lifeguard: worker ${w.process.pid} exited (${signal ?? code}); starting another\n`);
      fork();
    });
    return w;
  };
  for (let i = 0; i < options.workers; i++) fork();
  return {
    workers: live,
    async stop() {
      stopping = true;
      await Promise.all(
        live().map(
          (w) =>
            new Promise<void>((resolve) => {
              // Messages arrive in order: after 'bye', every decision the worker sent has been received. A
              // worker that dies without one gets a moment for what is still in the channel.
              if (w.isDead()) return resolve();
              w.on('message', (m) => {
                if (isMessage(m) && m.lg === 'bye') resolve();
              });
              w.once('exit', () => setTimeout(resolve, 500));
              const kill = setTimeout(() => w.process.kill('SIGKILL'), options.stopTimeoutMs ?? 15_000);
              kill.unref();
              try {
                w.send({ lg: 'shutdown' } satisfies ClusterMessage);
              } catch {
                w.process.kill('SIGTERM');
              }
            }),
        ),
      );
      await Promise.all([...writes]);
      await options.audit?.close();
    },
  };
}

/**
 * In the primary: sums the workers' metric registries for `/metrics`. A worker that does not answer in time
 * counts with the last registry it sent; a worker that exited keeps counting with its last one, so the
 * counters Prometheus sees never go backwards because a worker was restarted.
 */
/** What the collector needs of a cluster worker (a `node:cluster` Worker, or a stand-in in tests). */
export type CollectedWorker = Pick<Worker, 'id' | 'isConnected' | 'send'>;

export class MetricsCollector {
  readonly #last = new Map<number, MetricsSnapshot>();
  readonly #waiting = new Map<number, { expect: Set<number>; done(): void }>();
  #next = 0;

  constructor(private readonly timeoutMs: number) {}

  received(workerId: number, id: number, snapshot: MetricsSnapshot): void {
    this.#last.set(workerId, snapshot);
    const w = this.#waiting.get(id);
    if (!w) return;
    w.expect.delete(workerId);
    if (w.expect.size === 0) w.done();
  }

  async sum(workers: readonly CollectedWorker[]): Promise<string> {
    const id = ++this.#next;
    const expect = new Set<number>();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), this.timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve();
      };
      this.#waiting.set(id, { expect, done });
      for (const w of workers) {
        if (!w.isConnected()) continue;
        expect.add(w.id);
        try {
          w.send({ lg: 'metrics-collect', id } satisfies ClusterMessage);
        } catch {
          expect.delete(w.id);
        }
      }
      if (expect.size === 0) done();
    });
    return GatewayMetrics.renderSum(this.#last.values());
  }
}

/**
 * In a worker: answers the primary's collections with this worker's registry, and gives `/metrics` the
 * sum over all workers (this worker's own registry alone if the primary does not answer).
 */
export class WorkerMetrics {
  #metrics: GatewayMetrics | undefined;
  readonly #asks = new Map<number, (text: string) => void>();
  #next = 0;

  constructor(private readonly timeoutMs = 3_000) {
    process.on('message', (m) => {
      if (!isMessage(m)) return;
      if (m.lg === 'metrics-collect' && this.#metrics) {
        process.send?.({
          lg: 'metrics-snapshot',
          id: m.id,
          snapshot: this.#metrics.snapshot(),
        } satisfies ClusterMessage);
      } else if (m.lg === 'metrics-sum') {
        this.#asks.get(m.id)?.(m.text);
      }
    });
  }

  /** For `GatewayOptions.metricsText`. */
  readonly text = (local: GatewayMetrics): Promise<string> => {
    this.#metrics = local;
    if (!process.send || !process.connected) return Promise.resolve(local.render());
    const id = ++this.#next;
    return new Promise<string>((resolve) => {
      const timer = setTimeout(() => {
        this.#asks.delete(id);
        resolve(`# lifeguard: the primary did not answer; this worker's metrics only\n${local.render()}`);
      }, this.timeoutMs);
      this.#asks.set(id, (text) => {
        clearTimeout(timer);
        this.#asks.delete(id);
        resolve(text);
      });
      process.send?.({ lg: 'metrics-ask', id } satisfies ClusterMessage);
    });
  };

  /** The registry must be known before the first collection: set it when the gateway is created. */
  attach(metrics: GatewayMetrics): void {
    this.#metrics = metrics;
  }
}

/** In a worker: calls `stop` once, on the primary's request or on SIGINT/SIGTERM (a terminal's Ctrl-C). */
export function onWorkerShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const run = () => {
    if (stopping) return;
    stopping = true;
    void stop()
      .catch((e: Error) => {
        process.stderr.write(`lifeguard: worker stop failed: ${e.message}\n`);
      })
      .then(
        () =>
          new Promise<void>((resolve) => {
            if (!process.send || !process.connected) return resolve();
            process.send({ lg: 'bye' } satisfies ClusterMessage, undefined, {}, () => resolve());
          }),
      )
      .finally(() => {
        // Closing the channel lets the process exit.
        if (process.connected) process.disconnect();
      });
  };
  process.on('message', (m) => {
    if (isMessage(m) && m.lg === 'shutdown') run();
  });
  process.once('SIGINT', run);
  process.once('SIGTERM', run);
}

/** Tells the primary this worker listens. */
export function announceWorker(url: string): void {
  process.send?.({ lg: 'ready', url } satisfies ClusterMessage);
}

export const isClusterWorker = () => cluster.isWorker && process.env.LIFEGUARD_WORKER === '1';
