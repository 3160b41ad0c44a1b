import { mulberry32 } from '../../core/random.js';
import { CONVERTERS, compose } from '../../redteam/converters/index.js';
import { type BinaryMetrics, binaryMetrics } from './metrics.js';
import type { LabelledText } from './sources.js';
import type { Classifier } from './types.js';

/** Scores and labels of one evaluation, kept so other tables (per source, robustness) reuse them. */
export interface EvalRun {
  overall: BinaryMetrics;
  perSource: { source: string; metrics: BinaryMetrics }[];
  /** Per-text latency of the classifier in this run, milliseconds. */
  latencyMs: { p50: number; p99: number };
}

/** Scores every item with `classifier` and measures it at the classifier's operating point. */
export async function evaluate(classifier: Classifier, items: readonly LabelledText[]): Promise<EvalRun> {
  const scores: number[] = [];
  const times: number[] = [];
  for (const it of items) {
    const t0 = performance.now();
    const r = await classifier.classify(it.text);
    times.push(performance.now() - t0);
    scores.push(r.score);
  }
  const labels = items.map((i) => i.label);
  const bySource = new Map<string, number[]>();
  items.forEach((it, i) => {
    const list = bySource.get(it.source) ?? [];
    list.push(i);
    bySource.set(it.source, list);
  });
  times.sort((a, b) => a - b);
  return {
    overall: binaryMetrics(scores, labels, classifier.threshold),
    perSource: [...bySource].map(([source, idx]) => ({
      source,
      metrics: binaryMetrics(
        idx.map((i) => scores[i]),
        idx.map((i) => labels[i]),
        classifier.threshold,
      ),
    })),
    latencyMs: { p50: quantile(times, 0.5), p99: quantile(times, 0.99) },
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Obfuscations the robustness suite applies to positives (ids of red-team converters). */
export const ROBUSTNESS_CONVERTERS = [
  'char-spacing',
  'homoglyph',
  'zero-width',
  'leetspeak',
  'base64',
  'case-noise',
  'translation-frame',
] as const;

export interface RobustnessRow {
  converter: string;
  /** Positives flagged before and after the obfuscation. */
  cleanRate: number;
  obfuscatedRate: number;
  /** obfuscatedRate / cleanRate: 1 = no loss; null when no positive was flagged clean (nothing to retain). */
  retained: number | null;
}

/**
 * Applies each obfuscation to every positive and reports the share still flagged, against the clean
 * rate on the same texts. Seeded: the same data gives the same table. No positives: no rows (there is
 * nothing to obfuscate; rows of 0 read as a total loss).
 */
export async function robustness(
  classifier: Classifier,
  items: readonly LabelledText[],
  converters: readonly string[] = ROBUSTNESS_CONVERTERS,
  seed = 1,
): Promise<RobustnessRow[]> {
  // Every id is checked before any positive is scored: a typo fails at once, not after the first rows (it was
  // checked after the clean pass had scored every positive, and not at all when there were none).
  const built = converters.map((id) => compose(id));
  const positives = items.filter((i) => i.label);
  if (positives.length === 0) return [];
  let clean = 0;
  for (const p of positives) if ((await classifier.classify(p.text)).label) clean++;
  const cleanRate = positives.length ? clean / positives.length : 0;
  const rows: RobustnessRow[] = [];
  for (const conv of built) {
    const rand = mulberry32(seed);
    let hit = 0;
    for (const p of positives) if ((await classifier.classify(conv.apply(p.text, rand))).label) hit++;
    const rate = positives.length ? hit / positives.length : 0;
    // A clean rate of 0 left `retained` at 0, "all lost", when nothing was caught to begin with.
    // The chain's own id: "leetspeak + base64" is the chain leetspeak+base64, as the red team's config hash reads it.
    rows.push({ converter: conv.id, cleanRate, obfuscatedRate: rate, retained: cleanRate ? rate / cleanRate : null });
  }
  return rows;
}

export const ALL_CONVERTER_IDS = CONVERTERS.map((c) => c.id);
