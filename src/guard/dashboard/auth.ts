import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Admin keys shorter than this leave the dashboard disabled: a short key can be guessed. */
export const MIN_ADMIN_KEY_CHARS = 16;
/** How long a login lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** The session cookie: HttpOnly, SameSite=Strict, Path=/admin. */
export const SESSION_COOKIE = 'lg_admin';

const TOKEN_VERSION = 'v1';
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();
const b64url = (b: Buffer) => b.toString('base64url');

/**
 * The dashboard's credentials. The admin key is only ever compared (as SHA-256 digests, in constant time);
 * sessions are stateless tokens `v1.<expiry ms>.<nonce>.<HMAC-SHA256>` signed with a key derived from the
 * admin key, so the cookie never holds the key, rotating the key ends every session, and gateways that share
 * the key accept each other's sessions.
 */
export class AdminAuth {
  readonly #keyDigest: Buffer;
  readonly #sessionKey: Buffer;

  constructor(
    adminKey: string,
    readonly ttlMs: number = SESSION_TTL_MS,
  ) {
    this.#keyDigest = sha256(adminKey);
    this.#sessionKey = createHmac('sha256', adminKey).update('lifeguard dashboard session v1').digest();
  }

  /** True when `candidate` is the admin key (constant time: both sides hashed to 32 bytes first). */
  checkKey(candidate: string): boolean {
    return timingSafeEqual(sha256(candidate), this.#keyDigest);
  }

  /** A new session token, valid for the TTL. */
  issue(now: number = Date.now()): { token: string; expires: number } {
    const expires = now + this.ttlMs;
    const body = `${TOKEN_VERSION}.${expires}.${b64url(randomBytes(16))}`;
    return { token: `${body}.${this.#sign(body)}`, expires };
  }

  /** The token's expiry (epoch ms) when it is genuine and current; undefined otherwise. */
  verify(token: string | undefined, now: number = Date.now()): number | undefined {
    if (!token || token.length > 200) return undefined;
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== TOKEN_VERSION || !/^\d{1,16}$/.test(parts[1] as string)) return undefined;
    const body = parts.slice(0, 3).join('.');
    const given = Buffer.from(parts[3] as string, 'base64url');
    const expected = Buffer.from(this.#sign(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const expires = Number(parts[1]);
    // A token may not claim to last longer than a session can (guards against a clock set far back at issue).
    if (expires <= now || expires > now + this.ttlMs + 60_000) return undefined;
    return expires;
  }

  #sign(body: string): string {
    return b64url(createHmac('sha256', this.#sessionKey).update(body).digest());
  }
}

/**
 * Failed key attempts per client address: after `max` failures in `windowMs`, further attempts are refused
 * until the window ends. In memory, bounded.
 */
export class FailureLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly max = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `who` may try a key now. */
  allowed(who: string): boolean {
    const w = this.#windows.get(who);
    if (!w) return true;
    if (w.resetAt <= this.now()) {
      this.#windows.delete(who);
      return true;
    }
    return w.count < this.max;
  }

  fail(who: string): void {
    const t = this.now();
    const w = this.#windows.get(who);
    if (w && w.resetAt > t) w.count++;
    else this.#windows.set(who, { count: 1, resetAt: t + this.windowMs });
    if (this.#windows.size > 10_000) {
      for (const [k, v] of this.#windows) if (v.resetAt <= t) this.#windows.delete(k);
      // Still full (a flood from many addresses): forget the oldest entries rather than grow.
      for (const k of this.#windows.keys()) {
        if (this.#windows.size <= 10_000) break;
        this.#windows.delete(k);
      }
    }
  }
}
