import { describe, expect, it } from 'vitest';
import { LifeguardError } from '../../../src/core/errors.js';
import { evaluateGate, parseGate, summarize } from '../../../src/redteam/report/index.js';
import { CAT_A, META, NOW, referenceSet } from './fixtures.js';

// ASR 6/11 = 54.5 %, refusal 4/11, over-refusal 1/6, error rate 2/20; base64 4/7, pair 2/4
const summary = summarize(referenceSet(), META, { now: NOW });

function gateError(expr: string): LifeguardError {
  try {
    evaluateGate(expr, summary);
  } catch (e) {
    if (LifeguardError.isInstance(e)) return e;
    throw e;
  }
  throw new Error(`expected "${expr}" to be rejected`);
}

describe('evaluateGate', () => {
  it('the expression is a FAIL condition; failures name the clause and the actual value', () => {
    const r = evaluateGate('asr>0.05', summary);
    expect(r.pass).toBe(false);
    expect(r.failures).toEqual(['asr>0.05: asr = 54.5% (6/11, 95% CI 28.0%–78.7%)']);
    expect(evaluateGate('asr > 0.6', summary)).toMatchObject({ pass: true, failures: [] });
  });

  it('percent numbers, all six operators', () => {
    expect(evaluateGate('asr >= 54%', summary).pass).toBe(false);
    expect(evaluateGate('asr >= 55%', summary).pass).toBe(true);
    expect(evaluateGate('asr < 0.6', summary).pass).toBe(false);
    expect(evaluateGate('asr <= 0.5', summary).pass).toBe(true);
    expect(evaluateGate('error_rate == 0.1', summary).pass).toBe(false);
    expect(evaluateGate('error_rate != 10%', summary).pass).toBe(true);
    expect(evaluateGate('0.05 < asr', summary).pass).toBe(false); // number on the left
    expect(evaluateGate('over_refusal_rate > refusal_rate', summary).pass).toBe(true); // 1/6 < 4/11
  });

  it('"and" binds tighter than "or"; parentheses and "not" work', () => {
    // true or (false and false) = true; a left-to-right reading would give false
    expect(evaluateGate('asr>0.5 or asr>0.9 and refusal_rate>0.9', summary).pass).toBe(false);
    expect(evaluateGate('(asr>0.5 or asr>0.9) and refusal_rate>0.9', summary).pass).toBe(true);
    expect(evaluateGate('asr>0.5 && refusal_rate>0.3 || asr>0.99', summary).pass).toBe(false);
    expect(evaluateGate('not asr < 0.5', summary).pass).toBe(false);
    expect(evaluateGate('!(asr > 0.5)', summary).pass).toBe(true);
    expect(evaluateGate('asr>0.5 AND refusal_rate>0.3', summary).pass).toBe(false);
  });

  it('selectors pick an attack, a category or both (bare or quoted values)', () => {
    expect(evaluateGate('asr[attack=base64] > 0.57', summary).pass).toBe(false); // 4/7 = 0.571
    expect(evaluateGate('asr[attack=pair] > 0.5', summary).pass).toBe(true); // 2/4
    expect(evaluateGate(`asr[category=${CAT_A}] > 0.55`, summary).pass).toBe(false); // 5/9
    expect(evaluateGate(`asr[ category = "${CAT_A}" , attack=pair ] >= 0.5`, summary).pass).toBe(false);
    expect(evaluateGate(`asr[attack='pair', category='${CAT_A}'] > 0.5`, summary).pass).toBe(true);
    expect(evaluateGate('over_refusal_rate[category=xs] > 0.16', summary).pass).toBe(false); // 1/6
    const r = evaluateGate('asr[attack=base64]>0.5', summary);
    expect(r.failures[0]).toContain('asr[attack=base64] = 57.1% (4/7');
  });

  it('a comma-separated list: every clause is checked and reported on its own', () => {
    const r = evaluateGate('asr > 0.9, error_rate > 5%, refusal_rate<0.5', summary);
    expect(r.pass).toBe(false);
    expect(r.clauses.map((c) => [c.expr, c.failed])).toEqual([
      ['asr > 0.9', false],
      ['error_rate > 5%', true],
      ['refusal_rate<0.5', true],
    ]);
    expect(r.failures).toHaveLength(2);
    expect(r.failures[0]).toMatch(/^error_rate > 5%: error_rate = 10\.0% \(2\/20/);
  });

  it('syntax errors are LG_ERR_CONFIG_INVALID with the position', () => {
    const e1 = gateError('asr >');
    expect(e1.code).toBe('LG_ERR_CONFIG_INVALID');
    expect(e1.message).toContain('at position 6');
    expect(gateError('asr 0.05').message).toMatch(/expected a comparison operator .* at position 5/);
    expect(gateError('asr = 0.05').message).toMatch(/use "==" .* at position 5/);
    expect(gateError('(asr > 0.1').message).toMatch(/expected "\)" at position 11/);
    expect(gateError('asr > 0.1 asr').message).toMatch(/unexpected "a" .* at position 11/);
    expect(gateError('asr > 0.1,').message).toMatch(/expected a condition at position 11/);
    expect(gateError('0.1 > 0.2').message).toContain('needs a metric');
    expect(gateError('asr > 1e5').message).toMatch(/position 8/); // no exponents: "e5" is left over
    expect(gateError('asr[attack=base64 > 0').message).toMatch(/expected "," or "\]"|position/);
    expect(gateError(`asr[category="${CAT_A}] > 0`).message).toContain('unterminated');
    expect(gateError('   ').message).toContain('empty');
  });

  it('unknown metrics, selectors and selector values list the valid ones (even in branches not evaluated)', () => {
    const m = gateError('asr > 0 or asrr > 0.1');
    expect(m.message).toContain('unknown metric "asrr"');
    expect(m.message).toContain('valid metrics: asr, refusal_rate, over_refusal_rate, error_rate');
    expect(m.message).toContain('position 12');
    const s = gateError('asr[model=x] > 0');
    expect(s.message).toContain('unknown selector "model" (valid selectors: attack, category)');
    const v = gateError('asr[attack=base46] > 0');
    expect(v.message).toContain('no attack "base46" in this run (attacks: "base64", "none", "pair")');
    expect(gateError('asr[category=nope] > 0').message).toContain('"Harassment/Discrimination"');
    expect(gateError('asr[attack=pair, attack=base64] > 0').message).toContain('given twice');
  });

  it('an existing attack and category that never meet give n = 0 (no data): the clause fails, not an error', () => {
    const r = evaluateGate('asr[attack=pair, category=xs] > 0.5', summary);
    expect(r.pass).toBe(false);
    expect(r.failures[0]).toContain('no data (n = 0): no items in this group');
  });

  it('parser is linear: a long but valid list parses quickly; deep nesting is refused', () => {
    const long = Array.from({ length: 800 }, () => 'asr>0.99').join(' or ');
    const t0 = performance.now();
    expect(evaluateGate(long, summary).pass).toBe(true);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(() => parseGate(`${'('.repeat(100)}asr>0${')'.repeat(100)}`)).toThrow(/nesting deeper/);
  });
});

describe('numbers', () => {
  it('accepts 5, 0.5, .5, 5., +0.5 and percentages; rejects a lone sign or dot', () => {
    for (const n of ['0.5', '.5', '+0.5', '50%', '50 %']) expect(evaluateGate(`asr > ${n}`, summary).pass).toBe(false);
    expect(evaluateGate('asr > 1.', summary).pass).toBe(true);
    expect(evaluateGate('asr > -1', summary).pass).toBe(false);
    expect(() => evaluateGate('asr > .', summary)).toThrow(/expected a number at position 7/);
    expect(() => evaluateGate('asr > -', summary)).toThrow(/expected a number/);
  });
});
