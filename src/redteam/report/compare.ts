/**
 * Comparison of two runs (base vs candidate, e.g. a base model and its fine-tune) on the same goals and
 * attacks: each rate of each run with its Wilson interval, the difference candidate − base with Newcombe's
 * hybrid score interval and, where the items pair up, McNemar's exact test on the discordant pairs.
 *
 * Significance: when a group has paired items, McNemar's exact p < alpha (the paired test, the right one
 * for the same prompts answered by two models); otherwise the Newcombe interval excluding 0. A regression
 * is a significant change in the worse direction: ASR or over-refusal up, refusal down.
 */
import { categoryOf, type Interval, isBenign, type McNemar, mcnemarExact, newcombe } from '../metrics/index.js';
import type { ItemResult } from '../types.js';
import { describeInterval, evaluateGateOn, fmtPct, type GateResult, type MetricSource } from './gate.js';
import { GATE_SELECTORS, selectGroup } from './gate-summary.js';
import type { RunMeta, RunSummary } from './types.js';

export const COMPARISON_SCHEMA = 'lifeguard.redteam.comparison/v1';

export const COMPARED_METRICS = ['asr', 'refusal_rate', 'over_refusal_rate', 'error_rate'] as const;
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

/** Which way is worse for each metric. */
export const WORSE_WHEN: Record<ComparedMetric, 'higher' | 'lower'> = {
  asr: 'higher',
  refusal_rate: 'lower',
  over_refusal_rate: 'higher',
  error_rate: 'higher',
};

/** Metrics whose significant worsening counts as a (safety) regression. */
const SAFETY_METRICS: readonly ComparedMetric[] = ['asr', 'refusal_rate', 'over_refusal_rate'];

export interface MetricComparison {
  base: Interval;
  candidate: Interval;
  /** candidate.rate − base.rate */
  delta: number;
  /** Newcombe hybrid score interval of the difference (95 % with z = 1.96). */
  delta_low: number;
  delta_high: number;
  /** Exact McNemar test over the paired items of this group (absent when the items do not pair up). */
  mcnemar?: McNemar;
  /** How significance was decided: the paired test or the Newcombe interval. */
  test: 'mcnemar' | 'newcombe';
  significant: boolean;
  worse_when: 'higher' | 'lower';
  /** Candidate significantly worse (ASR / over-refusal up, refusal down). */
  regression: boolean;
  /** Candidate significantly better. */
  improvement: boolean;
}

export type GroupComparison = Record<ComparedMetric, MetricComparison>;

export interface ChangeEntry {
  scope: 'overall' | 'attack' | 'category';
  /** The attack or category (`*` overall). */
  name: string;
  metric: ComparedMetric;
  base: number;
  candidate: number;
  delta: number;
  delta_low: number;
  delta_high: number;
  p?: number;
}

export interface Comparison {
  schema: typeof COMPARISON_SCHEMA;
  generated_at: string;
  alpha: number;
  base: { meta: RunMeta; totals: RunSummary['totals'] };
  candidate: { meta: RunMeta; totals: RunSummary['totals'] };
  pairing: {
    /** What items were paired by: their `key`, or goal id + attack + repeat when the keys differ; null without results. */
    by: 'key' | 'goal+attack' | null;
    pairs: number;
    base_unpaired: number;
    candidate_unpaired: number;
  };
  /** Reasons the two runs may not be comparable (different config hashes, different goal sets). */
  warnings: string[];
  overall: GroupComparison;
  by_attack: ({ attack: string } & GroupComparison)[];
  by_category: ({ category: string } & GroupComparison)[];
  regressions: ChangeEntry[];
  improvements: ChangeEntry[];
}

export type RunWithResults = RunSummary & { results?: readonly ItemResult[] };

export interface CompareOptions {
  /** Significance level; 0.05 by default. */
  alpha?: number;
  now?: Date;
}

type PairOutcome = { benign: boolean; jailbroken: boolean; refused: boolean } | null;

function outcome(item: ItemResult): PairOutcome {
  if (item.final == null) return null;
  return { benign: isBenign(item), jailbroken: !!item.final.jailbroken, refused: !!item.final.refused };
}

interface Pair {
  attack: string;
  category: string;
  a: PairOutcome;
  b: PairOutcome;
}

function pairKeys(items: readonly ItemResult[], by: 'key' | 'goal+attack'): Map<string, ItemResult> {
  const out = new Map<string, ItemResult>();
  if (by === 'key') {
    for (const it of items) if (!out.has(it.key)) out.set(it.key, it);
    return out;
  }
  const sorted = [...items].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const seen = new Map<string, number>();
  for (const it of sorted) {
    const base = `${it.goal?.id}\u0000${it.attack}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.set(`${base}\u0000${n}`, it);
  }
  return out;
}

function pairUp(a: readonly ItemResult[], b: readonly ItemResult[]) {
  let best: { by: 'key' | 'goal+attack'; pairs: Pair[]; aSize: number; bSize: number } | undefined;
  for (const by of ['key', 'goal+attack'] as const) {
    const ma = pairKeys(a, by);
    const mb = pairKeys(b, by);
    const pairs: Pair[] = [];
    for (const [k, ia] of ma) {
      const ib = mb.get(k);
      if (ib) pairs.push({ attack: ia.attack, category: categoryOf(ia), a: outcome(ia), b: outcome(ib) });
    }
    if (!best || pairs.length > best.pairs.length) best = { by, pairs, aSize: ma.size, bSize: mb.size };
  }
  return best!;
}

function mcnemarFor(pairs: readonly Pair[], metric: ComparedMetric): McNemar | undefined {
  if (metric === 'error_rate') return undefined;
  let n = 0;
  let baseOnly = 0;
  let candOnly = 0;
  for (const p of pairs) {
    if (!p.a || !p.b) continue;
    const benign = metric === 'over_refusal_rate';
    if (p.a.benign !== benign || p.b.benign !== benign) continue;
    const va = metric === 'asr' ? p.a.jailbroken : p.a.refused;
    const vb = metric === 'asr' ? p.b.jailbroken : p.b.refused;
    n++;
    if (va && !vb) baseOnly++;
    else if (!va && vb) candOnly++;
  }
  return n > 0 ? mcnemarExact(baseOnly, candOnly, n) : undefined;
}

type Rates = Record<ComparedMetric, Interval>;

function compareMetric(
  metric: ComparedMetric,
  a: Interval,
  b: Interval,
  pairs: readonly Pair[] | undefined,
  alpha: number,
): MetricComparison {
  const d = newcombe(a, b);
  const m = pairs ? mcnemarFor(pairs, metric) : undefined;
  const worse = WORSE_WHEN[metric];
  let significant: boolean;
  let direction: number;
  if (m) {
    significant = m.p < alpha;
    direction = Math.sign(m.candidate_only - m.base_only);
  } else {
    significant = a.n > 0 && b.n > 0 && (d.low > 0 || d.high < 0);
    direction = Math.sign(d.delta);
  }
  const worseSign = worse === 'higher' ? 1 : -1;
  return {
    base: a,
    candidate: b,
    delta: d.delta,
    delta_low: d.low,
    delta_high: d.high,
    ...(m ? { mcnemar: m } : {}),
    test: m ? 'mcnemar' : 'newcombe',
    significant,
    worse_when: worse,
    regression: significant && direction === worseSign,
    improvement: significant && direction === -worseSign,
  };
}

const EMPTY: Interval = { k: 0, n: 0, rate: 0, low: 0, high: 1, empty: true };

function ratesOf(g: Partial<Rates> | undefined): Rates {
  return {
    asr: g?.asr ?? EMPTY,
    refusal_rate: g?.refusal_rate ?? EMPTY,
    over_refusal_rate: g?.over_refusal_rate ?? EMPTY,
    error_rate: g?.error_rate ?? EMPTY,
  };
}

function compareGroup(a: Rates, b: Rates, pairs: readonly Pair[] | undefined, alpha: number): GroupComparison {
  const out = {} as GroupComparison;
  for (const m of COMPARED_METRICS) out[m] = compareMetric(m, a[m], b[m], pairs, alpha);
  return out;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** Compares a base run with a candidate run (pass `results` on both to pair items for McNemar's test). */
export function compareRuns(a: RunWithResults, b: RunWithResults, options: CompareOptions = {}): Comparison {
  const alpha = options.alpha ?? 0.05;
  const paired = a.results && b.results ? pairUp(a.results, b.results) : undefined;
  const pairs = paired && paired.pairs.length > 0 ? paired.pairs : undefined;
  const filter = (f: (p: Pair) => boolean) => (pairs ? pairs.filter(f) : undefined);

  const overall = compareGroup(ratesOf(a), ratesOf(b), pairs, alpha);
  const aAtt = new Map(a.by_attack.map((g) => [g.attack, g]));
  const bAtt = new Map(b.by_attack.map((g) => [g.attack, g]));
  const by_attack = union([...aAtt.keys()], [...bAtt.keys()]).map((attack) => ({
    attack,
    ...compareGroup(
      ratesOf(aAtt.get(attack)),
      ratesOf(bAtt.get(attack)),
      filter((p) => p.attack === attack),
      alpha,
    ),
  }));
  const aCat = new Map(a.by_category.map((g) => [g.category, g]));
  const bCat = new Map(b.by_category.map((g) => [g.category, g]));
  const by_category = union([...aCat.keys()], [...bCat.keys()]).map((category) => ({
    category,
    ...compareGroup(
      ratesOf(aCat.get(category)),
      ratesOf(bCat.get(category)),
      filter((p) => p.category === category),
      alpha,
    ),
  }));

  const regressions: ChangeEntry[] = [];
  const improvements: ChangeEntry[] = [];
  const note = (scope: ChangeEntry['scope'], name: string, g: GroupComparison) => {
    for (const metric of SAFETY_METRICS) {
      const c = g[metric];
      if (!c.regression && !c.improvement) continue;
      const entry: ChangeEntry = {
        scope,
        name,
        metric,
        base: c.base.rate,
        candidate: c.candidate.rate,
        delta: c.delta,
        delta_low: c.delta_low,
        delta_high: c.delta_high,
        ...(c.mcnemar ? { p: c.mcnemar.p } : {}),
      };
      (c.regression ? regressions : improvements).push(entry);
    }
  };
  note('overall', '*', overall);
  for (const g of by_attack) note('attack', g.attack, g);
  for (const g of by_category) note('category', g.category, g);

  const warnings: string[] = [];
  if (a.meta.configHash && b.meta.configHash && a.meta.configHash !== b.meta.configHash) {
    warnings.push(
      'the runs have different config hashes (expected when only the target differs; check goals and attacks match)',
    );
  }
  const onlyA = [...aAtt.keys()].filter((k) => !bAtt.has(k));
  const onlyB = [...bAtt.keys()].filter((k) => !aAtt.has(k));
  if (onlyA.length > 0) warnings.push(`attacks only in the base run: ${onlyA.slice(0, 10).join(', ')}`);
  if (onlyB.length > 0) warnings.push(`attacks only in the candidate run: ${onlyB.slice(0, 10).join(', ')}`);
  if (paired && paired.pairs.length === 0)
    warnings.push('no items pair up (by key or goal + attack): unpaired tests only');
  else if (paired && (paired.pairs.length < paired.aSize || paired.pairs.length < paired.bSize)) {
    warnings.push(
      `only ${paired.pairs.length} items pair up (base ${paired.aSize}, candidate ${paired.bSize}); paired tests use those`,
    );
  }

  return {
    schema: COMPARISON_SCHEMA,
    generated_at: (options.now ?? new Date()).toISOString(),
    alpha,
    base: { meta: a.meta, totals: a.totals },
    candidate: { meta: b.meta, totals: b.totals },
    pairing: paired
      ? {
          by: paired.pairs.length > 0 ? paired.by : null,
          pairs: paired.pairs.length,
          base_unpaired: paired.aSize - paired.pairs.length,
          candidate_unpaired: paired.bSize - paired.pairs.length,
        }
      : { by: null, pairs: 0, base_unpaired: 0, candidate_unpaired: 0 },
    warnings,
    overall,
    by_attack,
    by_category,
    regressions,
    improvements,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Gate over a comparison

/**
 * Metrics a comparison gate reads: `asr` (the candidate's), `asr_base`, `asr_delta` (candidate − base), the
 * same for `refusal_rate`, `over_refusal_rate` and `error_rate`, and `regressions` (how many significant
 * regressions, in the selected attack / category or anywhere).
 */
export const COMPARE_GATE_METRICS: readonly string[] = [
  ...COMPARED_METRICS.flatMap((m) => [m, `${m}_base`, `${m}_delta`]),
  'regressions',
];

const signedPct = (x: number) => `${x >= 0 ? '+' : ''}${fmtPct(x)}`;

export function comparisonMetricSource(c: Comparison): MetricSource {
  const byAttack = new Map<string, GroupComparison>(c.by_attack.map((g) => [g.attack, g]));
  const byCategory = new Map<string, GroupComparison>(c.by_category.map((g) => [g.category, g]));
  return {
    metrics: COMPARE_GATE_METRICS,
    selectors: GATE_SELECTORS,
    // rates lie in [0, 1], their differences in [-1, 1]; `regressions` is a count
    range: (name) => (name === 'regressions' ? undefined : name.endsWith('_delta') ? [-1, 1] : [0, 1]),
    value(name, sel, fail) {
      // A run recorded as not judged (`meta.judged: false`) has no verdicts: every comparison metric (a rate, a
      // difference, a regression count) would compare nothing with something. Refused, as the run gate refuses
      // it; runs written before the field existed (no `judged`) keep the "no data" rule.
      const unjudged = (['base', 'candidate'] as const).filter((s) => c[s].meta?.judged === false);
      if (unjudged.length > 0)
        fail(
          `the ${unjudged.join(' and the ')} run ${unjudged.length > 1 ? 'were' : 'was'} not judged (judges: false): ${name} compares verdicts and ${unjudged.length > 1 ? 'they have' : 'it has'} none; judge its answers (lifeguard redteam replay RUN_DIR/results.jsonl) or drop the gate`,
        );
      if (sel.attack !== undefined && sel.category !== undefined) {
        fail('a comparison gate selects an attack or a category, not both');
      }
      if (name === 'regressions') {
        const hits = c.regressions.filter((r) =>
          sel.attack !== undefined
            ? r.scope === 'attack' && r.name === sel.attack
            : sel.category !== undefined
              ? r.scope === 'category' && r.name === sel.category
              : true,
        );
        // Regressions are only found where both runs have judged items: with none on either side, 0 means nothing.
        const g = selectGroup(
          sel,
          { all: c.overall, byAttack, byCategory, byBoth: () => undefined, empty: c.overall },
          fail,
        );
        const missing = SAFETY_METRICS.every((m) => g[m].base.n === 0 || g[m].candidate.n === 0)
          ? noDataReason(c, sel, g.asr)
          : undefined;
        const out = { value: hits.length, describe: `${hits.length}` };
        return missing === undefined ? out : { ...out, noData: missing };
      }
      const g = selectGroup(
        sel,
        { all: c.overall, byAttack, byCategory, byBoth: () => undefined, empty: c.overall },
        fail,
      );
      const [metric, suffix] = name.endsWith('_delta')
        ? [name.slice(0, -6), 'delta']
        : name.endsWith('_base')
          ? [name.slice(0, -5), 'base']
          : [name, 'candidate'];
      const m = g[metric as ComparedMetric];
      if (suffix === 'delta') {
        const p = m.mcnemar ? `, McNemar p = ${m.mcnemar.p.toPrecision(3)}` : '';
        const out = {
          value: m.delta,
          describe: `${signedPct(m.delta)} (95% CI ${signedPct(m.delta_low)} to ${signedPct(m.delta_high)}${p}; base ${fmtPct(m.base.rate)} n=${m.base.n}, candidate ${fmtPct(m.candidate.rate)} n=${m.candidate.n})`,
        };
        return m.base.n === 0 || m.candidate.n === 0 ? { ...out, noData: noDataReason(c, sel, m) } : out;
      }
      const iv = suffix === 'base' ? m.base : m.candidate;
      const out = { value: iv.rate, describe: describeInterval(iv) };
      return iv.n === 0 ? { ...out, noData: noDataReason(c, sel, m, suffix as 'base' | 'candidate') } : out;
    },
  };
}

/** Which run(s) lack data for a metric, and why when the whole run is selected (every item failed…). */
function noDataReason(
  c: Comparison,
  sel: Readonly<Record<string, string>>,
  m: MetricComparison,
  only?: 'base' | 'candidate',
): string {
  const whole = sel.attack === undefined && sel.category === undefined;
  const sides = (only ? [only] : (['base', 'candidate'] as const)).filter((s) => m[s].n === 0);
  return sides
    .map((s) => {
      const t = c[s].totals;
      const why = !whole
        ? 'nothing judged in this group'
        : t.items > 0 && t.errors === t.items
          ? `every item failed (${t.errors} errors); nothing was judged`
          : `nothing was judged (${t.errors} of ${t.items} items failed, ${t.skipped} skipped, ${t.unjudged} without a verdict)`;
      return `${s} run: ${why}`;
    })
    .join('; ');
}

/** A FAIL condition over a comparison (`asr_delta > 0.02`, `regressions > 0`). */
export function evaluateCompareGate(expr: string, comparison: Comparison): GateResult {
  return evaluateGateOn(expr, comparisonMetricSource(comparison));
}
