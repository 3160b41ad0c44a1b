import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs, runRedteam } from '../../../src/redteam/runner/index.js';
import type { ItemResult } from '../../../src/redteam/types.js';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.js';
import { config, direct, fakePanel, goals, tagged, tmp, twoTurn } from '../helpers/runner-fixtures.js';

let srv: FakeOpenAi;
beforeAll(async () => {
  srv = await startFakeOpenAi({
    answer: (p) => (p.includes('number 1 ') || p.endsWith('number 1') ? 'No, I cannot.' : `Sure: ${p}`),
  });
});
afterAll(() => srv.close());

const readResults = (dir: string): ItemResult[] =>
  readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ItemResult);

function sinceNow() {
  const n = srv.requests.length;
  return () => srv.requests.slice(n);
}

describe('runRedteam', () => {
  it('runs goals × attacks (static and interactive), judges every answer, writes results in item order', async () => {
    const dir = tmp();
    const seen = sinceNow();
    const panel = fakePanel();
    const out = await runRedteam(config(srv.url, { runner: { concurrency: 4 } }), {
      outDir: dir,
      goals: goals(6),
      attacks: [tagged, twoTurn],
      panel,
    });
    expect(out.status).toBe('complete');
    expect(out.counts).toMatchObject({ items: 12, done: 12, failed: 0, skipped: 0, sent: 18, judged: 12 });
    expect(seen()).toHaveLength(18);
    const results = readResults(dir);
    expect(results.map((r) => `${r.goal.id}/${r.attack}`)).toEqual(
      goals(6).flatMap((g) => [`${g.id}/tagged`, `${g.id}/two-turn`]),
    );
    for (const r of results) {
      expect(r.final).not.toBeNull();
      expect(r.verdicts).toHaveLength(1);
      expect(r.usage.promptTokens).toBeGreaterThan(0);
    }
    const inter = results.find((r) => r.attack === 'two-turn' && r.goal.id === 't:0') as ItemResult;
    expect(inter.turns).toBe(2);
    expect(inter.messages).toHaveLength(3);
    expect(inter.response).toBe('Sure: now: synthetic goal number 0');
    const refusedOne = results.find((r) => r.goal.id === 't:1' && r.attack === 'tagged') as ItemResult;
    expect(refusedOne.final).toMatchObject({ refused: true, jailbroken: false });
    // the run log holds every request as sent + ok, every item and verdict
    const db = new Database(join(dir, 'run.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT status, count(*) AS n FROM requests GROUP BY status ORDER BY status').all();
    expect(rows).toEqual([
      { status: 'ok', n: 18 },
      { status: 'sent', n: 18 },
    ]);
    expect(db.prepare('SELECT count(*) FROM verdicts').pluck().get()).toBe(12);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).meta.configHash).toBe(out.configHash);
  });

  it('judging runs beside the requests: a slow judge does not hold the request slot, and no verdict is lost', async () => {
    const seen = sinceNow();
    const base = fakePanel();
    let released = 0;
    let inJudge = 0;
    let maxInJudge = 0;
    // The first verdict waits until the target has been asked for two more items (or gives up after 2 s):
    // with one request slot that only happens if judging does not hold it.
    const panel = {
      judges: base.judges,
      judge: async (input: Parameters<typeof base.judge>[0]) => {
        inJudge++;
        maxInJudge = Math.max(maxInJudge, inJudge);
        if (released === 0) {
          const t0 = Date.now();
          while (seen().length < 3 && Date.now() - t0 < 2_000) await new Promise((r) => setTimeout(r, 5));
          released = seen().length >= 3 ? 1 : -1;
        }
        inJudge--;
        return base.judge(input);
      },
    };
    const out = await runRedteam(config(srv.url, { runner: { concurrency: 1, judgeConcurrency: 2 } }), {
      outDir: tmp(),
      goals: goals(5),
      attacks: [tagged],
      panel,
    });
    expect(released).toBe(1);
    expect(maxInJudge).toBeLessThanOrEqual(2);
    expect(out.counts).toMatchObject({ items: 5, done: 5, judged: 5, judgeErrors: 0 });
  });

  it('same seed → same item keys and prompts; another seed → other ones', async () => {
    const prompts = async (seed: number) => {
      const seen = sinceNow();
      const out = await runRedteam(config(srv.url, { runner: { seed, concurrency: 3 } }), {
        outDir: tmp(),
        goals: goals(5),
        attacks: [tagged],
        panel: null,
      });
      return {
        keys: out.results.map((r) => r.key),
        prompts: seen()
          .map((r) => r.prompt)
          .sort(),
      };
    };
    const a = await prompts(7);
    const b = await prompts(7);
    const c = await prompts(8);
    expect(b).toEqual(a);
    expect(c.keys).not.toEqual(a.keys);
    expect(c.prompts).not.toEqual(a.prompts);
  });

  it('retries 429 after the Retry-After it was given, then succeeds', async () => {
    const seen = sinceNow();
    srv.fail({ status: 429, count: 1, retryAfterMs: '300', prompt: 'synthetic goal number 0' });
    const out = await runRedteam(config(srv.url, { runner: { retries: { maxAttempts: 3, baseMs: 1, capMs: 2 } } }), {
      outDir: tmp(),
      goals: goals(1),
      attacks: [direct],
      panel: null,
    });
    expect(out.counts).toMatchObject({ done: 1, retries: 1, sent: 2 });
    const [first, second] = seen();
    expect(second.at - first.at).toBeGreaterThanOrEqual(290);
  });

  it('a 5xx is retried with backoff; when attempts run out the item is kept as failed, never dropped', async () => {
    srv.fail({ status: 503, count: 5, prompt: 'synthetic goal number 0' });
    srv.fail({ status: 400, count: 1, prompt: 'synthetic goal number 1' });
    const dir = tmp();
    const out = await runRedteam(config(srv.url, { runner: { retries: { maxAttempts: 3, baseMs: 1, capMs: 2 } } }), {
      outDir: dir,
      goals: goals(3),
      attacks: [direct],
      panel: fakePanel(),
    });
    srv.failures.length = 0;
    expect(out.counts).toMatchObject({ items: 3, done: 1, failed: 2, retries: 2, sent: 5 });
    const results = readResults(dir);
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ response: null, final: null });
    expect(results[0].error).toMatch(/HTTP 503/);
    expect(results[1].error).toMatch(/HTTP 400/);
    expect(results[2].final).not.toBeNull();
  });

  it('backoff: full jitter under the exponential ceiling, Retry-After as a floor, capped', () => {
    const o = { baseMs: 100, capMs: 1000, maxRetryAfterMs: 5000 };
    expect(backoffMs(1, o, undefined, () => 0.999)).toBe(99);
    expect(backoffMs(3, o, undefined, () => 0.5)).toBe(200);
    expect(backoffMs(10, o, undefined, () => 0.999)).toBe(999);
    expect(backoffMs(1, o, 2500, () => 0)).toBe(2500);
    expect(backoffMs(1, o, 60_000, () => 0)).toBe(5000);
  });

  it('rate limit: requests per second are respected', async () => {
    const seen = sinceNow();
    const t0 = Date.now();
    await runRedteam(config(srv.url, { runner: { concurrency: 8, rateLimit: { requestsPerSecond: 20, burst: 1 } } }), {
      outDir: tmp(),
      goals: goals(8),
      attacks: [direct],
      panel: null,
    });
    const elapsed = Date.now() - t0;
    expect(seen()).toHaveLength(8);
    // 1 at once, then one every 50 ms: ≥ 350 ms for 8
    expect(elapsed).toBeGreaterThanOrEqual(330);
    const at = seen().map((r) => r.at);
    expect(at[7] - at[0]).toBeGreaterThanOrEqual(320);
  });

  it('a request budget stops dispatch and marks the rest skipped (budget)', async () => {
    const dir = tmp();
    const seen = sinceNow();
    const out = await runRedteam(config(srv.url, { runner: { concurrency: 2 }, budget: { requests: 5 } }), {
      outDir: dir,
      goals: goals(12),
      attacks: [direct],
      panel: fakePanel(),
    });
    expect(seen()).toHaveLength(5);
    expect(out.status).toBe('budget');
    expect(out.budget).toMatch(/requests \(5\)/);
    expect(out.counts).toMatchObject({ done: 5, skipped: 7 });
    const results = readResults(dir);
    expect(results).toHaveLength(12);
    expect(results.filter((r) => r.error === 'skipped: budget')).toHaveLength(7);
  });

  it('a cost budget (priced per 1k tokens) stops dispatch once spent', async () => {
    const seen = sinceNow();
    const out = await runRedteam(
      config(srv.url, {
        runner: { concurrency: 1 },
        budget: { costUsd: 0.02, pricing: { promptPer1k: 1, completionPer1k: 1 } },
      }),
      { outDir: tmp(), goals: goals(10), attacks: [direct], panel: null },
    );
    // each answer is ~ 7 + 9 tokens = $0.016: the second request spends it
    expect(seen()).toHaveLength(2);
    expect(out.status).toBe('budget');
    expect(out.spent.costUsd).toBeGreaterThanOrEqual(0.02);
    expect(out.counts.skipped).toBe(8);
  });

  it('the response cache answers a second run without requests, and cache hits spend no budget', async () => {
    const cache = join(tmp(), 'cache.sqlite');
    const cfg = config(srv.url, { runner: { cache, seed: 3 } });
    let seen = sinceNow();
    const a = await runRedteam(cfg, { outDir: tmp(), goals: goals(4), attacks: [tagged, twoTurn], panel: null });
    expect(seen()).toHaveLength(12);
    seen = sinceNow();
    const b = await runRedteam(config(srv.url, { runner: { cache, seed: 3 }, budget: { requests: 1 } }), {
      outDir: tmp(),
      goals: goals(4),
      attacks: [tagged, twoTurn],
      panel: null,
    });
    expect(seen()).toHaveLength(0);
    expect(b.status).toBe('complete');
    expect(b.counts).toMatchObject({ cached: 12, sent: 0, done: 8 });
    expect(b.results.map((r) => r.response)).toEqual(a.results.map((r) => r.response));
  });

  it('refuses to reuse a run dir without --resume, and a changed config without --force', async () => {
    const dir = tmp();
    await runRedteam(config(srv.url), { outDir: dir, goals: goals(2), attacks: [direct], panel: null });
    await expect(
      runRedteam(config(srv.url), { outDir: dir, goals: goals(2), attacks: [direct], panel: null }),
    ).rejects.toThrow(/already holds a run.*--resume/);
    const changed = config(srv.url, { runner: { seed: 99 } });
    await expect(
      runRedteam(changed, { outDir: dir, resume: true, goals: goals(2), attacks: [direct], panel: null }),
    ).rejects.toThrow(/different config.*--force/);
    const forced = await runRedteam(changed, {
      outDir: dir,
      resume: true,
      force: true,
      goals: goals(2),
      attacks: [direct],
      panel: null,
    });
    expect(forced.status).toBe('complete');
    // concurrency and budgets are not part of the hash
    const other = config(srv.url, { runner: { concurrency: 3 }, budget: { requests: 1000 } });
    const r = await runRedteam(other, { outDir: dir, resume: true, goals: goals(2), attacks: [direct], panel: null });
    expect(r.counts.sent).toBe(0);
  });
});

describe('resume', () => {
  it('a stopped run resumes: every prompt reaches the endpoint once, every item gets a verdict', async () => {
    const slow = await startFakeOpenAi({ latencyMs: 15 });
    try {
      const dir = tmp();
      const stop = new AbortController();
      const cfg = config(slow.url, { runner: { concurrency: 4 } });
      let answered = 0;
      slow.options.answer = (p) => {
        if (++answered === 9) stop.abort();
        return `Sure: ${p}`;
      };
      const all = goals(10);
      const a = await runRedteam(cfg, {
        outDir: dir,
        goals: all,
        attacks: [tagged, twoTurn],
        panel: fakePanel(),
        signal: stop.signal,
      });
      expect(a.status).toBe('interrupted');
      expect(a.counts.pending).toBeGreaterThan(0);
      const b = await runRedteam(cfg, {
        outDir: dir,
        resume: true,
        goals: all,
        attacks: [tagged, twoTurn],
        panel: fakePanel(),
      });
      expect(b.status).toBe('complete');
      expect(b.counts.fromLog).toBe(a.counts.done);
      // 10 tagged + 2 × 10 two-turn requests, each exactly once
      expect(slow.requests).toHaveLength(30);
      const counts = [...slow.promptCounts().values()];
      expect(counts.every((n) => n === 1)).toBe(true);
      const results = readResults(dir);
      expect(results).toHaveLength(20);
      expect(results.every((r) => r.final !== null && r.response !== null)).toBe(true);
    } finally {
      await slow.close();
    }
  });

  it('an interactive item stopped between turns replays its logged turns instead of re-sending them', async () => {
    const slow = await startFakeOpenAi({ latencyMs: 5 });
    try {
      const dir = tmp();
      const stop = new AbortController();
      const cfg = config(slow.url, { runner: { concurrency: 1 } });
      // stop right after the first turn of the first item was answered
      let answered = 0;
      slow.options.answer = (p) => {
        if (++answered === 1) setTimeout(() => stop.abort(), 0);
        return `A(${p})`;
      };
      const a = await runRedteam(cfg, {
        outDir: dir,
        goals: goals(2),
        attacks: [twoTurn],
        panel: fakePanel(),
        signal: stop.signal,
      });
      expect(a.status).toBe('interrupted');
      const b = await runRedteam(cfg, {
        outDir: dir,
        resume: true,
        goals: goals(2),
        attacks: [twoTurn],
        panel: fakePanel(),
      });
      expect(b.counts.done).toBe(2);
      expect([...slow.promptCounts().values()].every((n) => n === 1)).toBe(true);
      expect(slow.requests).toHaveLength(4);
    } finally {
      await slow.close();
    }
  });

  it('answers without a verdict are re-judged on resume without sending anything', async () => {
    const dir = tmp();
    const cfg = config(srv.url);
    let n = 0;
    const a = await runRedteam(cfg, {
      outDir: dir,
      goals: goals(4),
      attacks: [direct],
      panel: fakePanel({ fail: () => n++ % 2 === 0 }),
    });
    expect(a.counts.judgeErrors).toBe(2);
    expect(readResults(dir).filter((r) => r.final === null)).toHaveLength(2);
    const seen = sinceNow();
    const panel = fakePanel();
    const b = await runRedteam(cfg, { outDir: dir, resume: true, goals: goals(4), attacks: [direct], panel });
    expect(seen()).toHaveLength(0);
    expect(panel.calls).toBe(2);
    expect(b.counts.judged).toBe(2);
    expect(readResults(dir).every((r) => r.final !== null)).toBe(true);
  });
});
