/** Binary classification metrics over scores in [0, 1]. */
export interface BinaryMetrics {
  n: number;
  positives: number;
  negatives: number;
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  /** False-positive rate at `threshold`. */
  fpr: number;
  /** Area under the ROC curve (ties count half); null when one class is absent. */
  rocAuc: number | null;
  /** Recall at the threshold that keeps FPR ≤ 1% on these negatives; null without both classes. */
  tprAt1Fpr: number | null;
}

export function binaryMetrics(scores: readonly number[], labels: readonly boolean[], threshold: number): BinaryMetrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const pred = scores[i] >= threshold;
    if (labels[i]) pred ? tp++ : fn++;
    else pred ? fp++ : tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const positives = tp + fn;
  const negatives = tn + fp;
  return {
    n: scores.length,
    positives,
    negatives,
    threshold,
    tp,
    fp,
    tn,
    fn,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    accuracy: scores.length ? (tp + tn) / scores.length : 0,
    fpr: negatives ? fp / negatives : 0,
    rocAuc: positives && negatives ? rocAuc(scores, labels) : null,
    tprAt1Fpr: positives && negatives ? tprAtFpr(scores, labels, 0.01) : null,
  };
}

/** Mann–Whitney U form of ROC-AUC. */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number {
  const idx = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let nPos = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[idx[k]]) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = idx.length - nPos;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** The smallest threshold whose false-positive rate on `negatives` is ≤ `fpr`. */
export function thresholdAtFpr(negativeScores: readonly number[], fpr: number): number {
  if (negativeScores.length === 0) return 0.5;
  const sorted = [...negativeScores].sort((a, b) => b - a);
  const allowed = Math.floor(fpr * sorted.length);
  // Scores strictly above the (allowed)-th highest negative are positives.
  const t = sorted[allowed] ?? 0;
  return Math.min(1, nextUp(t));
}

function nextUp(x: number): number {
  return x + Math.max(1e-9, Math.abs(x) * 1e-9);
}

export function tprAtFpr(scores: readonly number[], labels: readonly boolean[], fpr: number): number {
  const neg = scores.filter((_, i) => !labels[i]);
  const t = thresholdAtFpr(neg, fpr);
  let tp = 0;
  let pos = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!labels[i]) continue;
    pos++;
    if (scores[i] >= t) tp++;
  }
  return pos ? tp / pos : 0;
}
