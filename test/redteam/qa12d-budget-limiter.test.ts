/**
 * QA 12d, runner budgets and rate limits:
 * - A request reserves its place in the budget before it waits for the rate limiter. A stop that came while it
 *   waited left it reserved though it was never sent: the session's `usage.run.requests` (meta.json,
 *   summary.json) counted requests that never left (6 for 2 sent), while the run log, which a resumed session
 *   counts, did not. The reservation is now given back.
 * - A very low `requestsPerSecond` (one request a few days apart, 1e-8) asked `setTimeout` for more than
 *   2^31-1 ms, which Node turns into 1 ms: the limiter woke every millisecond (a busy loop, a
 *   TimeoutOverflowWarning each time). The wait is now capped and the timer re-arms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseRedteamConfig } from '../../src/redteam/config.js';
import { runRedteam } from '../../src/redteam/runner/index.js';
import { Budget, RateLimiter } from '../../src/redteam/runner/limits.js';
import type { Target } from '../../src/redteam/types.js';
import { config, direct, fakePanel, goals, tmp } from './helpers/runner-fixtures.js';

afterEach(() => vi.restoreAllMocks());

describe('a stop while requests wait for the rate limiter', () => {
  it('reports only the requests sent, in this session and after resume', async () => {
    let sent = 0;
    const target: Target = {
      specificationVersion: 'v1',
      id: 't',
      async send() {
        sent++;
        return { text: 'No.', usage: { promptTokens: 1, completionTokens: 1 } };
      },
    };
    const dir = tmp();
    const cfg = config('http://127.0.0.1:9', {
      runner: { concurrency: 4, rateLimit: { requestsPerSecond: 2, burst: 1 }, graceMs: 50 },
    });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 700);
    const out = await runRedteam(cfg, {
      outDir: dir,
      goals: goals(8),
      attacks: [direct],
      target,
      panel: fakePanel(),
      signal: ac.signal,
    });
    expect(out.status).toBe('interrupted');
    expect(out.counts.pending).toBeGreaterThan(0);
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    expect(meta.usage.requests).toBe(sent);
    expect(out.summary.usage.run?.requests).toBe(sent);
    // resumed: every item answered once, and the totals still match what was sent
    const again = await runRedteam(cfg, {
      outDir: dir,
      resume: true,
      goals: goals(8),
      attacks: [direct],
      target,
      panel: fakePanel(),
    });
    expect(again.status).toBe('complete');
    expect(sent).toBe(8);
    expect(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')).usage.requests).toBe(8);
  });

  it('Budget.release gives a reservation back, in the total and the role', () => {
    const b = new Budget({ requests: 1 });
    b.reserve('attacker');
    expect(b.exhausted()).toBeDefined();
    b.release('attacker');
    expect(b.requests).toBe(0);
    expect(b.part('attacker').requests).toBe(0);
    expect(b.exhausted()).toBeUndefined();
  });
});

describe('rate limit settings', () => {
  it('0 and negative are refused; a fractional requestsPerSecond is a request every few seconds', () => {
    const rl = (rateLimit: unknown) => () =>
      parseRedteamConfig({
        target: { type: 'openai', baseUrl: 'http://x/v1', model: 'm' },
        goals: ['jbb'],
        attacks: ['direct'],
        runner: { rateLimit },
      });
    expect(rl({ requestsPerSecond: 0 })).toThrow(/requestsPerSecond/);
    expect(rl({ requestsPerSecond: -1 })).toThrow(/requestsPerSecond/);
    expect(rl({ tokensPerMinute: 0 })).toThrow(/tokensPerMinute/);
    expect(rl({ burst: 0.5, requestsPerSecond: 1 })).toThrow(/burst/);
    expect(rl({ requestsPerSecond: 0.5 })).not.toThrow();
  });

  it('a wait longer than setTimeout can hold does not turn into a 1 ms busy loop', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const ac = new AbortController();
    const limiter = new RateLimiter({ requestsPerSecond: 1e-8 }, ac.signal);
    await limiter.take(); // the burst
    const arms = vi.spyOn(globalThis, 'setTimeout');
    const waiting = limiter.take();
    waiting.catch(() => {});
    await delay(200); // node:timers/promises: not through the spied global
    // one timer armed for the wait, not one every millisecond
    expect(arms.mock.calls.length).toBe(1);
    expect(Number(arms.mock.calls[0]?.[1])).toBe(2 ** 31 - 1);
    ac.abort();
    await expect(waiting).rejects.toThrow(/stopped/);
    process.off('warning', onWarning);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });
});
