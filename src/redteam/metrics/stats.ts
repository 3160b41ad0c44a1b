/**
 * Small, dependency-free statistics for red-team results: Wilson score intervals for a proportion,
 * Newcombe's hybrid score interval for the difference of two independent proportions, McNemar's exact test
 * for paired binary outcomes, and Cohen's kappa for agreement between two raters. Everything is closed form
 * (no iteration to convergence) and stays finite for any counts.
 */

/** A proportion with its confidence interval. JSON-serialisable. */
export interface Interval {
  /** Successes counted. */
  k: number;
  /** Trials it was counted over. */
  n: number;
  /** k / n; 0 when n is 0 (see `empty`). */
  rate: number;
  /** Lower bound of the score interval. */
  low: number;
  /** Upper bound of the score interval. */
  high: number;
  /** Set when n is 0: no data, the rate is a placeholder 0 and the interval is the whole [0, 1]. */
  empty?: true;
}

function checkCount(name: string, v: number): void {
  if (!Number.isFinite(v) || v < 0 || Math.floor(v) !== v) {
    throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
  }
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Wilson score interval for k successes in n trials (z = 1.96 gives 95 %). It behaves at k = 0 and k = n,
 * where the Wald interval collapses to a point. n = 0 gives rate 0, [0, 1] and `empty: true`.
 */
export function wilson(k: number, n: number, z = 1.96): Interval {
  checkCount('k', k);
  checkCount('n', n);
  if (k > n) throw new RangeError(`k (${k}) must not exceed n (${n})`);
  if (n === 0) return { k: 0, n: 0, rate: 0, low: 0, high: 1, empty: true };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At k = 0 / k = n the bound is exactly 0 / 1; floating point would leave a 1e-17 residue.
  const low = k === 0 ? 0 : clamp01(centre - half);
  const high = k === n ? 1 : clamp01(centre + half);
  return { k, n, rate: p, low, high };
}

/** The difference candidate − base of two independent proportions with its interval. */
export interface DifferenceInterval {
  /** candidate.rate − base.rate */
  delta: number;
  low: number;
  high: number;
}

/**
 * Newcombe's hybrid score interval (method 10, Newcombe 1998) for `b.rate − a.rate`, built from the two
 * Wilson intervals: L = d − √((p_b − l_b)² + (u_a − p_a)²), U = d + √((u_b − p_b)² + (p_a − l_a)²).
 * Either side empty (n = 0) gives the whole [−1, 1].
 */
export function newcombe(a: Interval, b: Interval): DifferenceInterval {
  const delta = b.rate - a.rate;
  if (a.n === 0 || b.n === 0) return { delta, low: -1, high: 1 };
  const low = delta - Math.sqrt((b.rate - b.low) ** 2 + (a.high - a.rate) ** 2);
  const high = delta + Math.sqrt((b.high - b.rate) ** 2 + (a.rate - a.low) ** 2);
  return { delta, low: Math.max(-1, low), high: Math.min(1, high) };
}

/** McNemar's exact test on the discordant pairs of a paired binary outcome. */
export interface McNemar {
  /** Pairs where both runs were judged. */
  pairs: number;
  /** Discordant: the outcome held in the base run only. */
  base_only: number;
  /** Discordant: the outcome held in the candidate run only. */
  candidate_only: number;
  /** Two-sided exact p-value (binomial test of base_only vs candidate_only at ½); 1 without discordant pairs. */
  p: number;
}

function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/**
 * Two-sided exact McNemar p-value: min(1, 2·P[X ≤ min(b, c)]) with X ~ Binomial(b + c, ½). Summed in log
 * space, so it stays exact for thousands of discordant pairs (0.5^n would underflow past n ≈ 1074).
 */
export function mcnemarExact(baseOnly: number, candidateOnly: number, pairs = baseOnly + candidateOnly): McNemar {
  checkCount('base_only', baseOnly);
  checkCount('candidate_only', candidateOnly);
  const n = baseOnly + candidateOnly;
  const m = Math.min(baseOnly, candidateOnly);
  let p = 1;
  if (n > 0 && baseOnly !== candidateOnly) {
    let logPmf = n * Math.log(0.5); // P[X = 0]
    let logCdf = logPmf;
    for (let i = 0; i < m; i++) {
      logPmf += Math.log((n - i) / (i + 1));
      logCdf = logAddExp(logCdf, logPmf);
    }
    p = Math.min(1, 2 * Math.exp(logCdf));
  }
  return { pairs, base_only: baseOnly, candidate_only: candidateOnly, p };
}

/** Agreement between two raters on one binary label. */
export interface LabelAgreement {
  /** Items both rated. */
  n: number;
  /** Share of items with the same label. */
  agreement: number;
  /**
   * Cohen's kappa, (p_o − p_e) / (1 − p_e); `null` when p_e = 1 (both raters gave one and the same label to
   * every item, so chance agreement explains everything and kappa is undefined) or n = 0.
   */
  kappa: number | null;
}

/** Pairwise agreement and Cohen's kappa of two equally long lists of binary labels. */
export function cohenKappa(a: readonly boolean[], b: readonly boolean[]): LabelAgreement {
  if (a.length !== b.length) throw new RangeError('cohenKappa: the two label lists differ in length');
  const n = a.length;
  if (n === 0) return { n: 0, agreement: 0, kappa: null };
  let same = 0;
  let aTrue = 0;
  let bTrue = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) same++;
    if (a[i]) aTrue++;
    if (b[i]) bTrue++;
  }
  const po = same / n;
  const pa = aTrue / n;
  const pb = bTrue / n;
  const pe = pa * pb + (1 - pa) * (1 - pb);
  const kappa = pe >= 1 ? null : (po - pe) / (1 - pe);
  return { n, agreement: po, kappa };
}
