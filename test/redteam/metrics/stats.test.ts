import { describe, expect, it } from 'vitest';
import { cohenKappa, mcnemarExact, newcombe, wilson } from '../../../src/redteam/metrics/index.js';

describe('wilson', () => {
  it('matches the score interval formula at the edges and the middle (4 decimals)', () => {
    const a = wilson(0, 10);
    expect(a.rate).toBe(0);
    expect(a.low).toBe(0);
    expect(a.high).toBeCloseTo(0.2775, 4);
    const b = wilson(5, 10);
    expect(b.rate).toBe(0.5);
    expect(b.low).toBeCloseTo(0.2366, 4);
    expect(b.high).toBeCloseTo(0.7634, 4);
    const c = wilson(10, 10);
    expect(c.low).toBeCloseTo(0.7225, 4);
    expect(c.high).toBe(1);
    // 81/263 (Newcombe 1998, table II row): 0.2553 to 0.3662
    const d = wilson(81, 263);
    expect(d.low).toBeCloseTo(0.2553, 4);
    expect(d.high).toBeCloseTo(0.3662, 4);
  });

  it('n = 0 gives rate 0 with [0, 1] and the empty flag', () => {
    expect(wilson(0, 0)).toEqual({ k: 0, n: 0, rate: 0, low: 0, high: 1, empty: true });
    expect(wilson(1, 2).empty).toBeUndefined();
  });

  it('a wider z gives a wider interval; bad counts throw', () => {
    const w95 = wilson(3, 20);
    const w99 = wilson(3, 20, 2.576);
    expect(w99.low).toBeLessThan(w95.low);
    expect(w99.high).toBeGreaterThan(w95.high);
    expect(() => wilson(3, 2)).toThrow(RangeError);
    expect(() => wilson(-1, 2)).toThrow(RangeError);
    expect(() => wilson(1.5, 2)).toThrow(RangeError);
  });
});

describe('newcombe', () => {
  it("reproduces Newcombe (1998)'s hybrid score intervals for the difference", () => {
    // 56/70 − 48/80 = 0.2: (0.0524, 0.3339); 9/10 − 3/10 = 0.6: (0.1705, 0.8090)
    const d1 = newcombe(wilson(48, 80), wilson(56, 70));
    expect(d1.delta).toBeCloseTo(0.2, 10);
    expect(d1.low).toBeCloseTo(0.0524, 4);
    expect(d1.high).toBeCloseTo(0.3339, 4);
    const d2 = newcombe(wilson(3, 10), wilson(9, 10));
    expect(d2.low).toBeCloseTo(0.1705, 4);
    expect(d2.high).toBeCloseTo(0.809, 4);
    // reversed order: the interval mirrors
    const d3 = newcombe(wilson(9, 10), wilson(3, 10));
    expect(d3.low).toBeCloseTo(-0.809, 4);
    expect(d3.high).toBeCloseTo(-0.1705, 4);
  });

  it('an empty side gives the whole [-1, 1]', () => {
    expect(newcombe(wilson(0, 0), wilson(3, 10))).toEqual({ delta: 0.3, low: -1, high: 1 });
  });
});

describe('mcnemarExact', () => {
  it('is the two-sided binomial test on the discordant pairs', () => {
    expect(mcnemarExact(2, 8).p).toBeCloseTo((2 * (1 + 10 + 45)) / 1024, 12);
    expect(mcnemarExact(0, 6).p).toBeCloseTo(2 / 64, 12);
    expect(mcnemarExact(5, 5).p).toBe(1);
    expect(mcnemarExact(0, 0).p).toBe(1);
    expect(mcnemarExact(3, 1, 40)).toEqual({ pairs: 40, base_only: 3, candidate_only: 1, p: 0.625 });
  });

  it('stays finite and close to the chi-square approximation for thousands of pairs', () => {
    const m = mcnemarExact(600, 700);
    // chi-square (continuity corrected) gives p ≈ 0.0062
    expect(m.p).toBeGreaterThan(0.004);
    expect(m.p).toBeLessThan(0.008);
    expect(mcnemarExact(0, 3000).p).toBe(0); // underflows to 0 honestly rather than NaN
  });
});

describe('cohenKappa', () => {
  it('matches the textbook 2×2 example (p_o 0.7, p_e 0.5, kappa 0.4)', () => {
    const a: boolean[] = [];
    const b: boolean[] = [];
    const push = (n: number, x: boolean, y: boolean) => {
      for (let i = 0; i < n; i++) {
        a.push(x);
        b.push(y);
      }
    };
    push(20, true, true);
    push(5, true, false);
    push(10, false, true);
    push(15, false, false);
    const k = cohenKappa(a, b);
    expect(k.n).toBe(50);
    expect(k.agreement).toBeCloseTo(0.7, 12);
    expect(k.kappa).toBeCloseTo(0.4, 12);
  });

  it('kappa is null when chance explains everything, and for no items', () => {
    expect(cohenKappa([false, false], [false, false])).toEqual({ n: 2, agreement: 1, kappa: null });
    expect(cohenKappa([], []).kappa).toBeNull();
    expect(cohenKappa([true, false], [false, true]).kappa).toBeCloseTo(-1, 12);
  });
});
