/** Most clients a limiter remembers; past it the longest idle are forgotten (see `#evict`). */
const MAX_CLIENTS = 100_000;

/** Token buckets per client: `rpm` requests per minute, up to `burst` at once. In memory, per process. */
export class RateLimiter {
  /** By client, least recently used first (a take moves its client to the end). */
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rpm: number,
    private readonly burst = Math.max(1, rpm / 6),
    // Monotonic: a wall clock stepped back (NTP) would drain every bucket for as long as the step.
    private readonly now: () => number = () => performance.now(),
    private readonly maxClients = MAX_CLIENTS,
  ) {}

  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string): boolean {
    const t = this.now();
    const b = this.#buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = this.#refilled(b, t);
    b.at = t;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.#buckets.delete(key);
    this.#buckets.set(key, b);
    if (this.#buckets.size > this.maxClients) this.#evict();
    return ok;
  }

  /** Whole seconds until `key`'s bucket holds a token again (the `Retry-After` of a refusal); at least 1. */
  retryAfterSeconds(key: string): number {
    const b = this.#buckets.get(key);
    if (!b) return 1;
    const tokens = this.#refilled(b, this.now());
    return Math.max(1, Math.ceil(((1 - tokens) / this.rpm) * 60));
  }

  /** Clients remembered (for tests and memory bounds). */
  get size(): number {
    return this.#buckets.size;
  }

  /** The bucket's tokens at `t`; time never runs backwards for it, whatever the clock says. */
  #refilled(b: { tokens: number; at: number }, t: number): number {
    const elapsed = Math.max(0, t - b.at);
    return Math.min(this.burst, b.tokens + (elapsed / 60_000) * this.rpm);
  }

  /**
   * Forgets the least recently used clients down to 90% of the cap in one pass, so a flood of new clients
   * costs O(1) per request (not a scan of every bucket each) and memory stays bounded. Those are almost
   * always full buckets, which are the same as none.
   */
  #evict(): void {
    const keep = Math.floor(this.maxClients * 0.9);
    for (const k of this.#buckets.keys()) {
      if (this.#buckets.size <= keep) break;
      this.#buckets.delete(k);
    }
  }
}
