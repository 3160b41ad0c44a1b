/**
 * QA 12b: a run with `judges: false` and a gate (`asr > 0.05`) sent every request, then failed the gate for
 * lack of data, on every run; `error_rate` counts answers without a verdict as errors, so it was 100% there.
 * Such a gate is now refused before the run (no run directory, no request), as a gate with a typo is.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGate } from '../../src/redteam/report/index.js';
import { runRedteam } from '../../src/redteam/runner/index.js';
import type { Target } from '../../src/redteam/types.js';
import { config, direct, goals, tmp } from './helpers/runner-fixtures.js';

const counting = (): Target & { sent: number } => ({
  specificationVersion: 'v1',
  id: 'counting',
  sent: 0,
  async send() {
    this.sent++;
    return { text: 'an answer', toolCalls: [] };
  },
});

describe('a gate on a run without judges', () => {
  it('checkGate refuses every metric when nothing is judged', () => {
    for (const expr of ['asr > 0.05', 'error_rate > 0.1', 'over_refusal_rate[attack=direct] > 0']) {
      expect(() => checkGate(expr, { judged: false }), expr).toThrow(/counts verdicts .*judges: false/);
      expect(() => checkGate(expr, { judged: true, attacks: ['direct'] }), expr).not.toThrow();
      expect(() => checkGate(expr, {}), expr).not.toThrow();
    }
  });

  it('runRedteam with judges: false refuses the gate before anything is sent', async () => {
    const target = counting();
    const dir = join(tmp(), 'run');
    const cfg = { ...config('http://127.0.0.1:9'), judges: false as const, failIf: 'asr > 0.05' };
    await expect(runRedteam(cfg, { outDir: dir, goals: goals(2), attacks: [direct], target })).rejects.toMatchObject({
      code: 'LG_ERR_CONFIG_INVALID',
    });
    expect(target.sent).toBe(0);
    expect(existsSync(dir)).toBe(false);
    // the same with panel: null
    await expect(
      runRedteam(config('http://127.0.0.1:9'), {
        outDir: dir,
        goals: goals(2),
        attacks: [direct],
        target,
        panel: null,
        failIf: 'refusal_rate < 0.5',
      }),
    ).rejects.toThrow(/judges: false/);
    // without a gate the run goes ahead
    const ok = await runRedteam(
      { ...cfg, failIf: undefined },
      { outDir: dir, goals: goals(2), attacks: [direct], target },
    );
    expect(ok.status).toBe('complete');
    expect(target.sent).toBe(2);
  });
});
