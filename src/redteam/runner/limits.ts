import { LifeguardError } from '../../core/errors.js';

/**
 * Thrown inside the runner when a budget is spent: the item is skipped with reason `budget`, unless it is an
 * interactive attack that already has answers (it keeps the best it got, `stoppedBy: 'budget'`); a judge's
 * request: the answer is kept unjudged. `notSent`: the request never left, so a judge must not fall back on it
 * (and an attack knows it was a budget stop).
 */
export class BudgetExceeded extends Error {
  readonly notSent = true;
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

/** Requests sent and tokens reported, by the whole run or by one role. */
export interface Spend {
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

/** Who a request is for: the model under test, the attacker model, or a judge's model. */
export type RequestRole = 'target' | 'attacker' | 'judge';

/**
 * Per-run budgets: requests are reserved before sending; tokens and cost are counted as answers come. Every
 * model request of the run counts (target, attacker and judges); `part(role)` is one role's share.
 */
export class Budget {
  requests = 0;
  promptTokens = 0;
  completionTokens = 0;
  private readonly parts = new Map<RequestRole, Spend>();

  constructor(private readonly limits: BudgetLimits) {}

  get costUsd(): number {
    return this.costOf(this);
  }

  /** The cost of `s` at the configured prices (0 without prices). */
  costOf(s: Spend): number {
    const p = this.limits.pricing;
    if (!p) return 0;
    return (s.promptTokens / 1000) * p.promptPer1k + (s.completionTokens / 1000) * p.completionPer1k;
  }

  /** What one role spent (a live object: it grows with the run). */
  part(role: RequestRole): Spend {
    let s = this.parts.get(role);
    if (!s) {
      s = { requests: 0, promptTokens: 0, completionTokens: 0 };
      this.parts.set(role, s);
    }
    return s;
  }

  /** Counts what earlier sessions spent (a resumed run), by role: in each role's part and in the totals. */
  restore(byRole: Partial<Record<RequestRole, Spend>>): void {
    for (const [role, s] of Object.entries(byRole) as [RequestRole, Spend][]) {
      const p = this.part(role);
      for (const into of [this, p]) {
        into.requests += s.requests;
        into.promptTokens += s.promptTokens;
        into.completionTokens += s.completionTokens;
      }
    }
  }

  /** Which budget is spent, or undefined. */
  exhausted(): string | undefined {
    const l = this.limits;
    if (l.requests !== undefined && this.requests >= l.requests) return `requests (${l.requests})`;
    if (l.tokens !== undefined && this.promptTokens + this.completionTokens >= l.tokens) return `tokens (${l.tokens})`;
    if (l.costUsd !== undefined && this.costUsd >= l.costUsd) return `cost ($${l.costUsd})`;
    return undefined;
  }

  /** Reserves one request (for `role`, target by default) or throws `BudgetExceeded`. */
  reserve(role: RequestRole = 'target'): void {
    const spent = this.exhausted();
    if (spent) throw new BudgetExceeded(spent);
    this.requests++;
    this.part(role).requests++;
  }

  /** Gives back a request reserved for `role` that was never sent (a stop came while it waited). */
  release(role: RequestRole = 'target'): void {
    this.requests--;
    this.part(role).requests--;
  }

  add(usage: { promptTokens?: number; completionTokens?: number } | undefined, role: RequestRole = 'target'): void {
    const p = usage?.promptTokens ?? 0;
    const c = usage?.completionTokens ?? 0;
    this.promptTokens += p;
    this.completionTokens += c;
    const part = this.part(role);
    part.promptTokens += p;
    part.completionTokens += c;
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
 * Token buckets for target requests: `requestsPerSecond` (with `burst`) and `tokensPerMinute`. A request
 * reserves its expected tokens when it is dispatched (its prompt, about 4 characters a token, plus the mean
 * completion seen so far) and the reservation is settled against the tokens its answer reports, so requests
 * dispatched together cannot overshoot the minute's budget by a whole concurrency's worth of answers;
 * dispatch waits while the bucket is below zero. `take()` resolves in arrival order.
 */
export class RateLimiter {
  private tokens: number;
  private last = performance.now();
  private readonly rate: number;
  private readonly burst: number;
  private tpm: number;
  private tpmLast = performance.now();
  /** Mean completion tokens per answer so far (for reservations); a guess until answers arrive. */
  private completionMean = 256;
  private answers = 0;
  private waiting: { resolve: () => void; reject: (e: unknown) => void; reserve: number }[] = [];
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

  /** Tokens to reserve for a request whose prompt has `promptChars` characters (0 without tokensPerMinute). */
  reservation(promptChars: number): number {
    if (this.opts.tokensPerMinute === undefined) return 0;
    return Math.ceil(promptChars / 4) + Math.round(this.completionMean);
  }

  /**
   * Settles a reservation against what the answer reported (prompt + completion tokens). `null`: the request
   * failed and gets its reservation back; an answer that reports no usage is charged its reservation.
   */
  used(reserved: number, usage: { promptTokens?: number; completionTokens?: number } | null | undefined): void {
    if (this.opts.tokensPerMinute === undefined) return;
    const reported = usage && (usage.promptTokens !== undefined || usage.completionTokens !== undefined);
    const actual =
      usage === null ? 0 : reported ? (usage?.promptTokens ?? 0) + (usage?.completionTokens ?? 0) : reserved;
    this.tpm += reserved - actual;
    if (usage?.completionTokens !== undefined) {
      this.answers++;
      this.completionMean += (usage.completionTokens - this.completionMean) / this.answers;
    }
  }

  /** Waits for a request slot; `reserve` tokens are debited when it is granted. */
  take(reserve = 0): Promise<void> {
    if (this.signal?.aborted) return Promise.reject(new Stopped());
    if (this.waiting.length === 0 && this.tryTake(reserve)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject, reserve });
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

  private tryTake(reserve: number): boolean {
    this.refill();
    if (this.opts.tokensPerMinute !== undefined && this.tpm < 0) return false;
    if (this.rate !== Number.POSITIVE_INFINITY) {
      if (this.tokens < 1) return false;
      this.tokens -= 1;
    }
    this.tpm -= reserve;
    return true;
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
        while (this.waiting.length > 0 && this.tryTake(this.waiting[0].reserve)) this.waiting.shift()?.resolve();
        if (this.waiting.length > 0) this.arm();
      },
      // setTimeout takes at most 2^31-1 ms: a longer wait (requestsPerSecond 1e-8) became 1 ms, a busy loop
      // that printed a TimeoutOverflowWarning each time; the timer re-arms when it wakes too early
      Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(wait))),
    );
  }
}

/** The longest delay `setTimeout` takes (about 24.8 days); a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A config error for a runner option (CLI flags reuse it). */
export function runnerConfigError(message: string): LifeguardError {
  return new LifeguardError('LG_ERR_CONFIG_INVALID', message);
}
