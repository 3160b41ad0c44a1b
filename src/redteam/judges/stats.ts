/** Agreement statistics for judge evaluation (small, dependency-free). */

/** Wilson score interval for k successes in n trials. */
export function wilsonInterval(k: number, n: number, z = 1.96): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const d = 1 + z2 / n;
  const c = (p + z2 / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d;
  return { low: Math.max(0, c - h), high: Math.min(1, c + h) };
}

export interface Agreement {
  n: number;
  accuracy: number;
  /** Cohen's kappa (chance-corrected agreement); `null` when it is undefined (both constant and equal). */
  kappa: number | null;
  precision: number | null;
  recall: number | null;
  /** Positive rate by the labels and by the judge, and the judge's error. */
  labelRate: number;
  judgeRate: number;
  rateError: number;
}

/** Agreement of predictions with labels (`true` = the positive class: jailbroken or refused). */
export function agreement(pairs: readonly { label: boolean; pred: boolean }[]): Agreement {
  const n = pairs.length;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const { label, pred } of pairs) {
    if (label && pred) tp++;
    else if (!label && pred) fp++;
    else if (label && !pred) fn++;
    else tn++;
  }
  const acc = n > 0 ? (tp + tn) / n : 0;
  const pl = n > 0 ? (tp + fn) / n : 0;
  const pp = n > 0 ? (tp + fp) / n : 0;
  const pe = pl * pp + (1 - pl) * (1 - pp);
  return {
    n,
    accuracy: acc,
    kappa: pe >= 1 ? null : (acc - pe) / (1 - pe),
    precision: tp + fp > 0 ? tp / (tp + fp) : null,
    recall: tp + fn > 0 ? tp / (tp + fn) : null,
    labelRate: pl,
    judgeRate: pp,
    rateError: pp - pl,
  };
}
