import { describe, expect, it } from 'vitest';
import { RateLimiter, Stopped } from '../../../src/redteam/runner/limits.js';

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('RateLimiter', () => {
  it('spaces requests at requestsPerSecond once the burst is spent', async () => {
    const rl = new RateLimiter({ requestsPerSecond: 50, burst: 1 });
    const t0 = performance.now();
    for (let i = 0; i < 6; i++) await rl.take();
    // one from the burst, then five at 20 ms each
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
  });

  it('tokensPerMinute: requests dispatched together reserve their tokens, so they cannot overshoot by a concurrency of answers', async () => {
    const stop = new AbortController();
    const rl = new RateLimiter({ tokensPerMinute: 6_000 }, stop.signal);
    const reserve = rl.reservation(4_000); // 1,000 prompt tokens + the default completion guess
    expect(reserve).toBeGreaterThan(1_000);
    let granted = 0;
    const takes = Array.from({ length: 16 }, () => rl.take(reserve).then(() => granted++));
    await settle();
    // 6,000 tokens cover about five such requests, not sixteen
    expect(granted).toBeGreaterThanOrEqual(4);
    expect(granted).toBeLessThanOrEqual(5);
    stop.abort();
    const outcomes = await Promise.allSettled(takes);
    expect(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof Stopped)).toHaveLength(16 - granted);
  });

  it('settles a reservation against the reported usage, refunds a failed request, and learns the completion size', async () => {
    const stop = new AbortController();
    const rl = new RateLimiter({ tokensPerMinute: 1_000 }, stop.signal);
    const first = rl.reservation(400); // 100 + 256
    await rl.take(first);
    rl.used(first, null); // failed: refunded
    await rl.take(first);
    rl.used(first, { promptTokens: 100, completionTokens: 20 });
    // the guess moved towards what answers report
    expect(rl.reservation(400)).toBe(100 + 20);
    // usage over the minute's budget blocks the next request until the bucket refills
    await rl.take(120);
    rl.used(120, { promptTokens: 900, completionTokens: 500 });
    let granted = false;
    const next = rl.take(120).then(() => {
      granted = true;
    });
    await settle();
    expect(granted).toBe(false);
    stop.abort();
    await expect(next).rejects.toBeInstanceOf(Stopped);
  });
});
