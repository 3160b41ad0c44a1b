/**
 * Span-level evaluation of entity detection: a prediction matches a gold span when the types agree
 * and they overlap on at least half of the gold span's characters. Shared by `npm run eval:pii` and tests.
 */
export interface Span {
  type: string;
  start: number;
  end: number;
}

export interface TypeScore {
  gold: number;
  predicted: number;
  /** Gold spans that some prediction matched. */
  found: number;
  /** Predictions that matched some gold span. */
  correct: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface SpanEvaluation {
  overall: TypeScore;
  byType: Record<string, TypeScore>;
}

export function overlapMatches(pred: Span, gold: Span, minOverlap = 0.5): boolean {
  if (pred.type !== gold.type) return false;
  const overlap = Math.min(pred.end, gold.end) - Math.max(pred.start, gold.start);
  return overlap > 0 && overlap >= minOverlap * (gold.end - gold.start);
}

/** Accumulates counts over documents; only predicted types in `vocabulary` are scored. */
export class SpanEvaluator {
  private readonly counts = new Map<string, { gold: number; predicted: number; found: number; correct: number }>();

  constructor(
    private readonly vocabulary: ReadonlySet<string>,
    private readonly minOverlap = 0.5,
  ) {}

  private entry(type: string) {
    let c = this.counts.get(type);
    if (!c) {
      c = { gold: 0, predicted: 0, found: 0, correct: 0 };
      this.counts.set(type, c);
    }
    return c;
  }

  add(gold: readonly Span[], predicted: readonly Span[]): void {
    const preds = predicted.filter((p) => this.vocabulary.has(p.type));
    for (const g of gold) {
      const c = this.entry(g.type);
      c.gold++;
      if (preds.some((p) => overlapMatches(p, g, this.minOverlap))) c.found++;
    }
    for (const p of preds) {
      const c = this.entry(p.type);
      c.predicted++;
      if (gold.some((g) => overlapMatches(p, g, this.minOverlap))) c.correct++;
    }
  }

  result(): SpanEvaluation {
    const byType: Record<string, TypeScore> = {};
    const total = { gold: 0, predicted: 0, found: 0, correct: 0 };
    for (const [type, c] of [...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      byType[type] = score(c);
      total.gold += c.gold;
      total.predicted += c.predicted;
      total.found += c.found;
      total.correct += c.correct;
    }
    return { overall: score(total), byType };
  }
}

function score(c: { gold: number; predicted: number; found: number; correct: number }): TypeScore {
  const precision = c.predicted ? c.correct / c.predicted : c.gold ? 0 : 1;
  const recall = c.gold ? c.found / c.gold : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { ...c, precision, recall, f1 };
}
