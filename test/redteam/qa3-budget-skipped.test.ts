/**
 * QA pass 3: items a budget never let start are written by the runner with `error: "skipped: budget"`;
 * the reports counted them as endpoint errors ("7 errors, 0 skipped", JUnit `<error>`), so a budget made
 * the error rate jump and an `error_rate` gate fail.
 */
import { describe, expect, it } from 'vitest';
import { evaluateGate, renderJunit, summarize } from '../../src/redteam/report/index.js';
import { runRedteam } from '../../src/redteam/runner/index.js';
import type { ItemResult } from '../../src/redteam/types.js';
import { startFakeOpenAi } from './helpers/fake-openai.js';
import { config, direct, fakePanel, goals, tmp } from './helpers/runner-fixtures.js';

describe('budget-skipped items in the reports', () => {
  it('count as skipped, not errors, in the summary, the gate and JUnit', async () => {
    const srv = await startFakeOpenAi();
    try {
      const out = await runRedteam(config(srv.url, { runner: { concurrency: 1 }, budget: { requests: 2 } }), {
        outDir: tmp(),
        goals: goals(5),
        attacks: [direct],
        panel: fakePanel(),
      });
      expect(out.status).toBe('budget');
      const skipped = out.results.filter((r: ItemResult) => r.error === 'skipped: budget');
      expect(skipped).toHaveLength(3);

      expect(out.summary.totals).toMatchObject({ items: 5, errors: 0, skipped: 3 });
      expect(out.summary.error_rate.k).toBe(0);
      expect(evaluateGate('error_rate > 0', out.summary).pass).toBe(true);

      const xml = renderJunit(out.summary, out.results);
      expect(xml.match(/<skipped /g)).toHaveLength(3);
      expect(xml).not.toContain('<error ');

      // an item that really failed is still an error
      const failed = { ...skipped[0], error: 'openai:fake: endpoint answered HTTP 500' };
      expect(summarize([failed], out.summary.meta).totals).toMatchObject({ errors: 1, skipped: 0 });
    } finally {
      await srv.close();
    }
  });
});
