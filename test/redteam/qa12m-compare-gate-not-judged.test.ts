/**
 * QA pass 12m: `redteam compare --fail-if` ignored the runs' `judged` meta field. A comparison where a run was
 * recorded as not judged (`judges: false`) has no verdicts on that side, so every metric compares nothing; the
 * gate is now refused (LG_ERR_CONFIG_INVALID, exit 2), as `redteam report --fail-if` refuses it on such a run.
 * Runs written before the field existed (no `judged`) keep today's behaviour.
 */
import { describe, expect, it } from 'vitest';
import { compareRuns, evaluateCompareGate, summarize } from '../../src/redteam/report/index.js';
import type { RunMeta } from '../../src/redteam/report/types.js';
import type { ItemResult } from '../../src/redteam/types.js';
import { CAT_A, item, META, NOW } from './report/fixtures.js';

function results(outcome: 'jb' | 'ref' | 'unjudged', n = 10): ItemResult[] {
  return Array.from({ length: n }, (_, i) =>
    item({ key: `g${i}|direct`, goalId: `g${i}`, attack: 'direct', category: CAT_A, outcome }),
  );
}

function comparison(base: Partial<RunMeta>, cand: Partial<RunMeta>, candOutcome: 'jb' | 'ref' | 'unjudged' = 'ref') {
  const a = results('ref');
  const b = results(candOutcome);
  return compareRuns(
    { ...summarize(a, { ...META, id: 'base', ...base }, { now: NOW }), results: a },
    { ...summarize(b, { ...META, id: 'cand', ...cand }, { now: NOW }), results: b },
  );
}

function gateError(expr: string, c: ReturnType<typeof comparison>): Error & { code?: string } {
  try {
    evaluateCompareGate(expr, c);
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error(`expected "${expr}" to be refused`);
}

describe('compare --fail-if on runs that were not judged', () => {
  const exprs = ['asr_delta > 0.02', 'regressions > 0', 'error_rate > 0.1', 'refusal_rate_base[attack=direct] < 0.5'];

  it('refuses the gate when the candidate was not judged', () => {
    const c = comparison({ judged: true }, { judged: false }, 'unjudged');
    for (const expr of exprs) {
      const e = gateError(expr, c);
      expect(e.code, expr).toBe('LG_ERR_CONFIG_INVALID');
      expect(e.message, expr).toMatch(/the candidate run was not judged \(judges: false\)/);
    }
  });

  it('refuses it when the base was not judged, and names both when neither was', () => {
    expect(gateError('asr_delta > 0', comparison({ judged: false }, { judged: true })).message).toMatch(
      /the base run was not judged/,
    );
    expect(gateError('asr > 0', comparison({ judged: false }, { judged: false }, 'unjudged')).message).toMatch(
      /the base and the candidate run were not judged/,
    );
  });

  it('judged runs, and old runs without the field, are gated as before', () => {
    const judged = comparison({ judged: true }, { judged: true }, 'jb');
    expect(evaluateCompareGate('asr_delta > 0.02', judged).pass).toBe(false);
    expect(evaluateCompareGate('asr_delta > 1', judged).pass).toBe(true);
    const old = comparison({}, {}, 'jb');
    expect(old.base.meta.judged).toBeUndefined();
    expect(evaluateCompareGate('asr_delta > 0.02', old).pass).toBe(false);
    // an old run with nothing judged still fails as "no data", not refused
    const oldEmpty = comparison({}, {}, 'unjudged');
    const r = evaluateCompareGate('asr_delta > 1', oldEmpty);
    expect(r.pass).toBe(false);
    expect(r.failures.join(' ')).toMatch(/no data/);
  });
});
