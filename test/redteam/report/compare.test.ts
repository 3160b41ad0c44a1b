import { describe, expect, it } from 'vitest';
import {
  compareRuns,
  evaluateCompareGate,
  renderComparisonMarkdown,
  summarize,
} from '../../../src/redteam/report/index.js';
import type { ItemResult } from '../../../src/redteam/types.js';
import { CAT_A, item, META, NOW } from './fixtures.js';

/** n harmful items of one attack, the first k jailbroken (the rest refused), goal ids g0…g(n-1). */
function run(attack: string, n: number, jailbroken: (i: number) => boolean, keyPrefix = ''): ItemResult[] {
  return Array.from({ length: n }, (_, i) =>
    item({
      key: `${keyPrefix}g${i}|${attack}`,
      goalId: `g${i}`,
      attack,
      category: CAT_A,
      outcome: jailbroken(i) ? 'jb' : 'ref',
    }),
  );
}

const withResults = (results: ItemResult[], id: string) => ({
  ...summarize(results, { ...META, id }, { now: NOW }),
  results,
});

describe('compareRuns', () => {
  it('unpaired: Newcombe interval of the difference decides significance (56/70 vs 48/80)', () => {
    const base = summarize(
      run('t', 80, (i) => i < 48),
      { ...META, id: 'base' },
      { now: NOW },
    );
    const cand = summarize(
      run('t', 70, (i) => i < 56),
      { ...META, id: 'cand' },
      { now: NOW },
    );
    const c = compareRuns(base, cand, { now: NOW });
    const asr = c.overall.asr;
    expect(asr.delta).toBeCloseTo(0.2, 10);
    expect(asr.delta_low).toBeCloseTo(0.0524, 4);
    expect(asr.delta_high).toBeCloseTo(0.3339, 4);
    expect(asr.test).toBe('newcombe');
    expect(asr.mcnemar).toBeUndefined();
    expect(asr.regression).toBe(true);
    expect(c.pairing).toEqual({ by: null, pairs: 0, base_unpaired: 0, candidate_unpaired: 0 });
    // refusal fell by the same amount: a regression too (lower is worse)
    expect(c.overall.refusal_rate.regression).toBe(true);
    expect(c.regressions.map((r) => `${r.scope}:${r.name}:${r.metric}`)).toEqual([
      'overall:*:asr',
      'overall:*:refusal_rate',
      'attack:t:asr',
      'attack:t:refusal_rate',
      `category:${CAT_A}:asr`,
      `category:${CAT_A}:refusal_rate`,
    ]);
    expect(c.improvements).toEqual([]);
  });

  it('a difference whose interval spans 0 is not flagged', () => {
    const base = summarize(
      run('t', 10, (i) => i < 3),
      META,
      { now: NOW },
    );
    const cand = summarize(
      run('t', 10, (i) => i < 5),
      META,
      { now: NOW },
    );
    const c = compareRuns(base, cand);
    expect(c.overall.asr.delta_low).toBeLessThan(0);
    expect(c.overall.asr.regression).toBe(false);
    expect(c.regressions).toEqual([]);
  });

  it('paired by key: McNemar on the discordant pairs flags the regression', () => {
    // 20 goals; base jailbroken on g0,g1; candidate on g0..g9: 8 discordant, all candidate-only
    const base = run('t', 20, (i) => i < 2);
    const cand = run('t', 20, (i) => i < 10);
    const c = compareRuns(withResults(base, 'base'), withResults(cand, 'cand'));
    expect(c.pairing).toEqual({ by: 'key', pairs: 20, base_unpaired: 0, candidate_unpaired: 0 });
    const m = c.overall.asr.mcnemar!;
    expect(m).toMatchObject({ pairs: 20, base_only: 0, candidate_only: 8 });
    expect(m.p).toBeCloseTo(2 / 256, 12);
    expect(c.overall.asr.test).toBe('mcnemar');
    expect(c.overall.asr.regression).toBe(true);
    expect(c.by_attack[0].asr.mcnemar?.candidate_only).toBe(8);
    // reversed: the same evidence is an improvement
    const r = compareRuns(withResults(cand, 'a'), withResults(base, 'b'));
    expect(r.overall.asr.improvement).toBe(true);
    expect(r.regressions.filter((x) => x.metric === 'asr')).toEqual([]);
  });

  it('discordant pairs in both directions cancel out even when the rates differ a little', () => {
    // base jailbroken g0..g5 (6); candidate g3..g10 (8): base-only 3, candidate-only 5 → p = 0.727
    const base = run('t', 30, (i) => i < 6);
    const cand = run('t', 30, (i) => i >= 3 && i < 11);
    const c = compareRuns(withResults(base, 'b'), withResults(cand, 'c'));
    expect(c.overall.asr.mcnemar).toMatchObject({ base_only: 3, candidate_only: 5 });
    expect(c.overall.asr.mcnemar!.p).toBeCloseTo(0.7265625, 10);
    expect(c.overall.asr.significant).toBe(false);
  });

  it('falls back to goal + attack pairing when the keys differ (another seed)', () => {
    const base = run('t', 20, (i) => i < 2, 'seed1:');
    const cand = run('t', 20, (i) => i < 10, 'seed2:');
    const c = compareRuns(withResults(base, 'b'), withResults(cand, 'c'));
    expect(c.pairing.by).toBe('goal+attack');
    expect(c.pairing.pairs).toBe(20);
    expect(c.overall.asr.mcnemar?.candidate_only).toBe(8);
  });

  it('warns about attacks only one run has and partial pairing', () => {
    const base = [...run('t', 10, () => false), ...run('extra', 2, () => false)];
    const cand = run('t', 10, () => false);
    const c = compareRuns(withResults(base, 'b'), withResults(cand, 'c'));
    expect(c.warnings.join('\n')).toContain('attacks only in the base run: extra');
    expect(c.warnings.join('\n')).toContain('only 10 items pair up');
    expect(c.by_attack.map((g) => g.attack)).toEqual(['extra', 't']);
    expect(c.by_attack[0].asr.candidate.empty).toBe(true);
  });

  it('the comparison gate reads deltas, base and candidate values and the regression count', () => {
    const c = compareRuns(
      withResults(
        run('t', 20, (i) => i < 2),
        'b',
      ),
      withResults(
        run('t', 20, (i) => i < 10),
        'c',
      ),
    );
    const g = evaluateCompareGate('asr_delta>0.02', c);
    expect(g.pass).toBe(false);
    expect(g.failures[0]).toMatch(/^asr_delta>0.02: asr_delta = \+40\.0% \(95% CI .* McNemar p = 0\.00781/);
    expect(evaluateCompareGate('asr_delta > 0.5', c).pass).toBe(true);
    expect(evaluateCompareGate('regressions > 0', c).pass).toBe(false);
    expect(evaluateCompareGate('regressions[attack=t] > 0', c).pass).toBe(false);
    expect(evaluateCompareGate('asr_base > 0.2 or asr < 0.5', c).pass).toBe(true); // 0.1 and 0.5
    expect(() => evaluateCompareGate('asr_delta[attack=nope] > 0', c)).toThrow(/no attack "nope"/);
    expect(() => evaluateCompareGate('asr_deltaa > 0', c)).toThrow(/asr_delta, refusal_rate/);
  });

  it('renders Markdown with the regressions first and escaped names', () => {
    const base = run('t|<b>', 20, (i) => i < 2);
    const cand = run('t|<b>', 20, (i) => i < 10);
    const c = compareRuns(withResults(base, 'b'), withResults(cand, 'c'));
    const md = renderComparisonMarkdown(c, { expr: 'asr_delta>0.02', ...evaluateCompareGate('asr_delta>0.02', c) });
    expect(md).toContain('## Regressions: 6'); // ASR up, refusal down: overall, attack, category
    expect(md.indexOf('## Regressions')).toBeLessThan(md.indexOf('## Overall'));
    expect(md).toContain('`t\\|<b>`');
    expect(md).toContain('**FAIL**');
    expect(md).toMatch(/\| all \| ASR \| 10\.0% \(2\/20\) \| 50\.0% \(10\/20\) \| \+40\.0 pp/);
  });
});
