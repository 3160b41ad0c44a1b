import { describe, expect, it } from 'vitest';
import { compareRuns, evaluateCompareGate, evaluateGate, summarize } from '../../../src/redteam/report/index.js';
import type { ItemResult } from '../../../src/redteam/types.js';
import { CAT_A, item, META, NOW } from './fixtures.js';

function run(n: number, outcome: (i: number) => 'jb' | 'ref' | 'error', prefix = 'g'): ItemResult[] {
  return Array.from({ length: n }, (_, i) =>
    item({
      key: `${prefix}${i}|direct`,
      goalId: `${prefix}${i}`,
      attack: 'direct',
      category: CAT_A,
      outcome: outcome(i),
    }),
  );
}
const withResults = (results: ItemResult[], id: string) => ({
  ...summarize(results, { ...META, id }, { now: NOW }),
  results,
});

describe('a gate over a metric with no data (n = 0) fails', () => {
  const allFailed = summarize(
    run(10, () => 'error'),
    { ...META, id: 'dead' },
    { now: NOW },
  );

  it('run gate: every item failed → FAIL, saying so (not a pass on a placeholder 0)', () => {
    const r = evaluateGate('asr>0.05', allFailed);
    expect(r.pass).toBe(false);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toContain('asr = no data (n = 0)');
    expect(r.failures[0]).toContain('every item failed (10 errors); nothing was judged');
    // whatever the comparison: "not" or "<" do not turn a missing value into a pass
    expect(evaluateGate('not asr <= 1', allFailed).pass).toBe(false);
    expect(evaluateGate('refusal_rate < 0.9', allFailed).pass).toBe(false);
    // error_rate has data (10/10) and is evaluated normally
    expect(evaluateGate('error_rate > 1', allFailed).pass).toBe(true);
  });

  it('some items failed: the gate evaluates the judged ones; the summary counts the failures', () => {
    const s = summarize(
      run(10, (i) => (i < 3 ? 'error' : 'ref')),
      { ...META, id: 'partial' },
      { now: NOW },
    );
    expect(s.totals.errors).toBe(3);
    expect(s.asr.n).toBe(7);
    expect(evaluateGate('asr>0.05', s).pass).toBe(true);
    expect(evaluateGate('error_rate>0.2', s).failures[0]).toContain('3/10');
  });

  it('an over-refusal gate on a run without benign goals says so', () => {
    const s = summarize(
      run(4, () => 'ref'),
      { ...META, id: 'h' },
      { now: NOW },
    );
    const r = evaluateGate('over_refusal_rate > 0.2', s);
    expect(r.pass).toBe(false);
    expect(r.failures[0]).toContain('no benign goals');
  });

  it('compare gate: a candidate with every item failed fails asr_delta and regressions', () => {
    const good = withResults(
      run(20, (i) => (i < 3 ? 'jb' : 'ref')),
      'good',
    );
    const dead = withResults(
      run(20, () => 'error'),
      'dead',
    );
    const c = compareRuns(good, dead);
    const r = evaluateCompareGate('asr_delta>0.02, regressions>0', c);
    expect(r.pass).toBe(false);
    expect(r.clauses.map((x) => x.failed)).toEqual([true, true]);
    expect(r.failures[0]).toContain('candidate run: every item failed (20 errors); nothing was judged');
    expect(evaluateCompareGate('asr > 0.5', c).pass).toBe(false);
    expect(evaluateCompareGate('asr_base > 0.5', c).pass).toBe(true); // the base has data
    // both with data: unchanged
    expect(evaluateCompareGate('asr_delta>0.02, regressions>0', compareRuns(good, good)).pass).toBe(true);
  });
});
