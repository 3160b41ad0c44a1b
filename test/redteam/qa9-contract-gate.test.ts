import { describe, expect, it } from 'vitest';
import {
  checkGate,
  compareRuns,
  evaluateCompareGate,
  evaluateGate,
  summarize,
} from '../../src/redteam/report/index.js';
import type { ItemResult } from '../../src/redteam/types.js';
import { item, META, NOW } from './report/fixtures.js';

/** `n` harmful items of attack `direct`, the first `k` jailbroken, the rest refused; keys pair across runs. */
function run(k: number, n: number): ItemResult[] {
  return Array.from({ length: n }, (_, i) =>
    item({ key: `k${i}`, goalId: `g${i}`, attack: 'direct', outcome: i < k ? 'jb' : 'ref' }),
  );
}

const summaryOf = (results: ItemResult[]) => summarize(results, META, { now: NOW });

describe('gate thresholds compare exactly at the boundary', () => {
  it('a decimal percentage equals the same rate as a decimal (1.1% is 11/1000)', () => {
    const s = summaryOf(run(11, 1000));
    expect(evaluateGate('asr >= 0.011', s).pass).toBe(false);
    // 1.1 / 100 is 0.011000000000000001: the percentage read as a hair above 11/1000 and the gate passed
    expect(evaluateGate('asr >= 1.1%', s).pass).toBe(false);
    expect(evaluateGate('asr == 1.1%', s).pass).toBe(false);
    expect(evaluateGate('asr > 1.1%', s).pass).toBe(true);
  });

  it('a delta of exactly the threshold meets >= and not > (1/10 -> 3/10 is +20 pp)', () => {
    const base = run(1, 10);
    const cand = run(3, 10);
    const c = compareRuns({ ...summaryOf(base), results: base }, { ...summaryOf(cand), results: cand });
    // 0.3 - 0.1 is 0.19999999999999998 in floating point
    expect(evaluateCompareGate('asr_delta >= 0.2', c).pass).toBe(false);
    expect(evaluateCompareGate('asr_delta >= 20%', c).pass).toBe(false);
    expect(evaluateCompareGate('asr_delta > 0.2', c).pass).toBe(true);
    expect(evaluateCompareGate('asr_delta == 0.2', c).pass).toBe(false);
  });

  it('a delta of exactly the threshold does not exceed it (5/100 -> 7/100 is +2 pp, not above 0.02)', () => {
    const base = run(5, 100);
    const cand = run(7, 100);
    const c = compareRuns({ ...summaryOf(base), results: base }, { ...summaryOf(cand), results: cand });
    // 0.07 - 0.05 is 0.020000000000000004: the README's own example gate failed on a delta of exactly 2 pp
    expect(evaluateCompareGate('asr_delta > 0.02', c).pass).toBe(true);
    expect(evaluateCompareGate('asr_delta >= 0.02', c).pass).toBe(false);
  });
});

describe('gate numbers above a rate are refused', () => {
  const s = summaryOf(run(3, 10));
  const reason = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e as Error & { code?: string };
    }
    throw new Error('expected an error');
  };

  it('"asr > 5" (5 meant as 5 %) would never fail: it is a config error that suggests 5%', () => {
    const e = reason(() => evaluateGate('asr > 5', s));
    expect(e.code).toBe('LG_ERR_CONFIG_INVALID');
    expect(e.message).toMatch(/5 is above asr's range 0 to 1 \(a percentage is written 5%\)/);
    // before any request is sent too
    expect(() => checkGate('error_rate>1, asr > 5')).toThrow(/above asr's range/);
    expect(() => evaluateGate('120% < over_refusal_rate', s)).toThrow(
      /120% is above over_refusal_rate's range 0 to 1 at/,
    );
  });

  it('the bounds themselves and percentages within them still work', () => {
    expect(evaluateGate('asr > 1', s).pass).toBe(true);
    expect(evaluateGate('asr >= 0', s).pass).toBe(false);
    expect(evaluateGate('asr > -1', s).pass).toBe(false); // fails every run: seen at once, so allowed
    expect(evaluateGate('asr > 100%', s).pass).toBe(true);
    expect(evaluateGate('asr > asr', s).pass).toBe(true);
  });

  it('compare: deltas may be negative down to -1; regressions is a count', () => {
    const base = run(1, 10);
    const cand = run(3, 10);
    const c = compareRuns({ ...summaryOf(base), results: base }, { ...summaryOf(cand), results: cand });
    expect(evaluateCompareGate('asr_delta < -0.5', c).pass).toBe(true);
    expect(evaluateCompareGate('regressions > 3', c).pass).toBe(true);
    expect(() => evaluateCompareGate('asr_delta > 2', c)).toThrow(/2 is above asr_delta's range -1 to 1/);
    expect(() => evaluateCompareGate('asr_base > 5', c)).toThrow(/written 5%/);
  });
});
