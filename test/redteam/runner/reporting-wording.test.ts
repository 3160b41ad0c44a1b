import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRedteam } from '../../../src/redteam/runner/index.js';
import type { ItemResult } from '../../../src/redteam/types.js';
import { startFakeOpenAi } from '../helpers/fake-openai.js';
import { config, direct, fakePanel, goals, tmp } from '../helpers/runner-fixtures.js';

const readResults = (dir: string): ItemResult[] =>
  readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ItemResult);

describe('runner: reporting says what actually happened', () => {
  it('an item out of retries does not say "(will retry)"', async () => {
    const srv = await startFakeOpenAi();
    try {
      srv.fail({ status: 429, count: 100 });
      const dir = tmp();
      const out = await runRedteam(config(srv.url, { runner: { retries: { maxAttempts: 2, baseMs: 1, capMs: 2 } } }), {
        outDir: dir,
        goals: goals(1),
        attacks: [direct],
        panel: fakePanel(),
      });
      expect(out.counts).toMatchObject({ failed: 1, retries: 1 });
      const [r] = readResults(dir);
      expect(r.error).toContain('HTTP 429');
      expect(r.error).not.toContain('will retry');
      expect(r.error).toContain('gave up after 2 attempts');
    } finally {
      await srv.close();
    }
  });

  it('requests aborted when graceMs ran out are reported as such on resume; --no-resend counts them as not re-sent', async () => {
    const srv = await startFakeOpenAi({ latencyMs: 3000 });
    try {
      const dir = tmp();
      const stop = new AbortController();
      const cfg = config(srv.url, { runner: { concurrency: 2, graceMs: 50 } });
      const running = runRedteam(cfg, {
        outDir: dir,
        goals: goals(2),
        attacks: [direct],
        panel: fakePanel(),
        signal: stop.signal,
      });
      await new Promise((r) => setTimeout(r, 300));
      stop.abort();
      const first = await running;
      expect(first.status).toBe('interrupted');

      const noResend = config(srv.url, { runner: { concurrency: 2, resendUnanswered: false } });
      const again = await runRedteam(noResend, {
        outDir: dir,
        resume: true,
        goals: goals(2),
        attacks: [direct],
        panel: fakePanel(),
      });
      expect(again.counts).toMatchObject({
        unanswered: 2,
        abortedAtStop: 2,
        resent: 0,
        notResent: 2,
        failed: 2,
        sent: 0,
      });
      for (const r of readResults(dir)) {
        expect(r.error).toContain('aborted when the stop grace period (graceMs) ran out');
        expect(r.error).not.toContain('hard kill');
      }
    } finally {
      await srv.close();
    }
  });
});
