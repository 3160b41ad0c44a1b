/** Token buckets per client: `rpm` requests per minute, up to `burst` at once. In memory, per process. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rpm: number,
    private readonly burst = Math.max(1, rpm / 6),
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string): boolean {
    const t = this.now();
    const b = this.#buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 60_000) * this.rpm);
    b.at = t;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.#buckets.set(key, b);
    if (this.#buckets.size > 100_000) this.#evict(t);
    return ok;
  }

  /** Whole seconds until `key`'s bucket holds a token again (the `Retry-After` of a refusal); at least 1. */
  retryAfterSeconds(key: string): number {
    const b = this.#buckets.get(key);
    if (!b) return 1;
    const tokens = Math.min(this.burst, b.tokens + ((this.now() - b.at) / 60_000) * this.rpm);
    return Math.max(1, Math.ceil(((1 - tokens) / this.rpm) * 60));
  }

  #evict(t: number): void {
    for (const [k, b] of this.#buckets) if (t - b.at > 10 * 60_000) this.#buckets.delete(k);
  }
}
