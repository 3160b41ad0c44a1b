import { LifeguardError } from '../../core/errors.js';

/** Thrown inside the runner when a budget is spent: the item is skipped with reason `budget`. */
export class BudgetExceeded extends Error {
  constructor(readonly which: string) {
    super(`budget spent: ${which}`);
    this.name = 'BudgetExceeded';
  }
}

/** Thrown inside the runner when the run is stopping: the item is left for `--resume`. */
export class Stopped extends Error {
  constructor() {
    super('run stopped');
    this.name = 'Stopped';
  }
}

export interface BudgetLimits {
  requests?: number;
  tokens?: number;
  costUsd?: number;
  pricing?: { promptPer1k: number; completionPer1k: number };
}

/** Per-run budgets: requests are reserved before sending; tokens and cost are counted as answers come. */
export class Budget {
  requests = 0;
  promptTokens = 0;
  completionTokens = 0;

  constructor(private readonly limits: BudgetLimits) {}

  get costUsd(): number {
    const p = this.limits.pricing;
    if (!p) return 0;
    return (this.promptTokens / 1000) * p.promptPer1k + (this.completionTokens / 1000) * p.completionPer1k;
  }

  /** Which budget is spent, or undefined. */
  exhausted(): string | undefined {
    const l = this.limits;
    if (l.requests !== undefined && this.requests >= l.requests) return `requests (${l.requests})`;
    if (l.tokens !== undefined && this.promptTokens + this.completionTokens >= l.tokens) return `tokens (${l.tokens})`;
    if (l.costUsd !== undefined && this.costUsd >= l.costUsd) return `cost ($${l.costUsd})`;
    return undefined;
  }

  /** Reserves one request or throws `BudgetExceeded`. */
  reserve(): void {
    const spent = this.exhausted();
    if (spent) throw new BudgetExceeded(spent);
    this.requests++;
  }

  add(usage: { promptTokens?: number; completionTokens?: number } | undefined): void {
    this.promptTokens += usage?.promptTokens ?? 0;
    this.completionTokens += usage?.completionTokens ?? 0;
  }
}

/** Resolves after `ms`, or rejects with `Stopped` when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Stopped());
    const onAbort = () => {
      clearTimeout(t);
      reject(new Stopped());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Exponential backoff with full jitter: a uniform wait in [0, min(cap, base·2^(failures-1))]; a
 * Retry-After from the endpoint is a floor (cut to `maxRetryAfterMs`).
 */
export function backoffMs(
  failures: number,
  opts: { baseMs: number; capMs: number; maxRetryAfterMs: number },
  retryAfterMs: number | undefined,
  rng: () => number = Math.random,
): number {
  const ceiling = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, failures - 1));
  const jitter = Math.floor(rng() * ceiling);
  if (retryAfterMs === undefined) return jitter;
  return Math.max(jitter, Math.min(retryAfterMs, opts.maxRetryAfterMs));
}

/**
 * Token buckets for target requests: `requestsPerSecond` (with `burst`) and `tokensPerMinute` (debited by
 * the tokens each answer reports; dispatch waits while the bucket is below zero). `take()` resolves in
 * arrival order.
 */
export class RateLimiter {
  private tokens: number;
  private last = performance.now();
  private readonly rate: number;
  private readonly burst: number;
  private tpm: number;
  private tpmLast = performance.now();
  private waiting: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly opts: { requestsPerSecond?: number; burst?: number; tokensPerMinute?: number },
    private readonly signal?: AbortSignal,
  ) {
    this.rate = opts.requestsPerSecond ?? Number.POSITIVE_INFINITY;
    this.burst = opts.burst ?? Math.max(1, Math.ceil(opts.requestsPerSecond ?? 1));
    this.tokens = this.burst;
    this.tpm = opts.tokensPerMinute ?? 0;
    signal?.addEventListener(
      'abort',
      () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        const w = this.waiting;
        this.waiting = [];
        for (const x of w) x.reject(new Stopped());
      },
      { once: true },
    );
  }

  get active(): boolean {
    return this.opts.requestsPerSecond !== undefined || this.opts.tokensPerMinute !== undefined;
  }

  /** Debits reported tokens from the tokens-per-minute bucket. */
  used(tokens: number): void {
    if (this.opts.tokensPerMinute !== undefined) this.tpm -= tokens;
  }

  take(): Promise<void> {
    if (this.signal?.aborted) return Promise.reject(new Stopped());
    if (this.waiting.length === 0 && this.tryTake()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.arm();
    });
  }

  private refill(): void {
    const t = performance.now();
    if (this.rate !== Number.POSITIVE_INFINITY) {
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    }
    this.last = t;
    const cap = this.opts.tokensPerMinute;
    if (cap !== undefined) {
      this.tpm = Math.min(cap, this.tpm + ((t - this.tpmLast) / 60_000) * cap);
      this.tpmLast = t;
    }
  }

  private tryTake(): boolean {
    this.refill();
    if (this.opts.tokensPerMinute !== undefined && this.tpm < 0) return false;
    if (this.rate === Number.POSITIVE_INFINITY) return true;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  private arm(): void {
    if (this.timer) return;
    let wait = 1;
    if (this.rate !== Number.POSITIVE_INFINITY && this.tokens < 1) wait = ((1 - this.tokens) / this.rate) * 1000;
    const cap = this.opts.tokensPerMinute;
    if (cap !== undefined && this.tpm < 0) wait = Math.max(wait, (-this.tpm / cap) * 60_000);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        while (this.waiting.length > 0 && this.tryTake()) this.waiting.shift()?.resolve();
        if (this.waiting.length > 0) this.arm();
      },
      Math.max(1, Math.ceil(wait)),
    );
  }
}

/** A config error for a runner option (CLI flags reuse it). */
export function runnerConfigError(message: string): LifeguardError {
  return new LifeguardError('LG_ERR_CONFIG_INVALID', message);
}
