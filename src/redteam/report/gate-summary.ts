import type { GroupStats } from '../metrics/index.js';
import { describeInterval, evaluateGateOn, type GateResult, type MetricSource } from './gate.js';
import { pairKey } from './summarize.js';
import type { RunSummary } from './types.js';

/** Metrics a run gate reads: each is a rate over judged items (see docs/redteam-reports.md). */
export const GATE_METRICS = ['asr', 'refusal_rate', 'over_refusal_rate', 'error_rate'] as const;
export const GATE_SELECTORS = ['attack', 'category'] as const;

type RateKey = (typeof GATE_METRICS)[number];

function listValues(values: readonly string[]): string {
  const shown = values.slice(0, 20).map((v) => JSON.stringify(v));
  return values.length === 0
    ? 'none in this run'
    : `${shown.join(', ')}${values.length > 20 ? `, … (${values.length - 20} more)` : ''}`;
}

/** Looks up the group a selector names, or fails listing the valid values. */
export function selectGroup<G>(
  sel: Readonly<Record<string, string>>,
  groups: {
    all: G;
    byAttack: ReadonlyMap<string, G>;
    byCategory: ReadonlyMap<string, G>;
    byBoth: (attack: string, category: string) => G | undefined;
    empty: G;
  },
  fail: (what: string) => never,
): G {
  const { attack, category } = sel;
  if (attack !== undefined && !groups.byAttack.has(attack)) {
    fail(`no attack "${attack}" in this run (attacks: ${listValues([...groups.byAttack.keys()])})`);
  }
  if (category !== undefined && !groups.byCategory.has(category)) {
    fail(`no category "${category}" in this run (categories: ${listValues([...groups.byCategory.keys()])})`);
  }
  if (attack !== undefined && category !== undefined) return groups.byBoth(attack, category) ?? groups.empty;
  if (attack !== undefined) return groups.byAttack.get(attack)!;
  if (category !== undefined) return groups.byCategory.get(category)!;
  return groups.all;
}

type Counts = Partial<Pick<GroupStats, 'items' | 'harmful' | 'benign' | 'errors' | 'skipped' | 'unjudged'>>;

/** Why a rate has n = 0, in words: every item failed, nothing was judged, no benign goals… */
export function whyNoData(metric: RateKey, g: Counts): string {
  const items = g.items ?? 0;
  if (items === 0) return 'no items in this group';
  if (metric === 'over_refusal_rate' && (g.benign ?? 0) === 0) return 'no benign goals, so nothing to over-refuse';
  if (metric !== 'over_refusal_rate' && metric !== 'error_rate' && (g.harmful ?? 0) === 0) return 'no harmful goals';
  const errors = g.errors ?? 0;
  if (errors === items) return `every item failed (${errors} errors); nothing was judged`;
  return `nothing was judged (${errors} of ${items} items failed, ${g.skipped ?? 0} skipped, ${g.unjudged ?? 0} without a verdict)`;
}

/** Every run gate metric is a rate. */
const rateRange = (): readonly [number, number] => [0, 1];

const EMPTY_GROUP = {
  asr: { k: 0, n: 0, rate: 0, low: 0, high: 1, empty: true },
  refusal_rate: { k: 0, n: 0, rate: 0, low: 0, high: 1, empty: true },
  over_refusal_rate: { k: 0, n: 0, rate: 0, low: 0, high: 1, empty: true },
  error_rate: { k: 0, n: 0, rate: 0, low: 0, high: 1, empty: true },
} as Pick<GroupStats, RateKey> & Counts;

/** The gate's view of a run summary. */
export function summaryMetricSource(summary: RunSummary): MetricSource {
  const byAttack = new Map(summary.by_attack.map((g) => [g.attack, g as Pick<GroupStats, RateKey> & Counts]));
  const byCategory = new Map(summary.by_category.map((g) => [g.category, g as Pick<GroupStats, RateKey> & Counts]));
  const both = new Map(summary.by_attack_category.map((g) => [pairKey(g.attack, g.category), g]));
  return {
    metrics: GATE_METRICS,
    selectors: GATE_SELECTORS,
    range: rateRange,
    value(name, sel, fail) {
      // A run recorded as not judged (`meta.judged: false`): every gate metric counts verdicts, and it has
      // none. Refused as such, not failed as "no data" (older runs, without the field, still fail so).
      if (summary.meta?.judged === false)
        fail(
          `this run was not judged (judges: false): ${name} counts verdicts and it has none; judge its answers (lifeguard redteam replay RUN_DIR/results.jsonl) or drop the gate`,
        );
      const group = selectGroup<Pick<GroupStats, RateKey> & Counts>(
        sel,
        {
          all: { ...summary.totals, ...summary },
          byAttack,
          byCategory,
          byBoth: (a, c) => both.get(pairKey(a, c)),
          empty: EMPTY_GROUP,
        },
        fail,
      );
      const iv = group[name as RateKey];
      const out = { value: iv.rate, describe: describeInterval(iv) };
      return iv.n === 0 ? { ...out, noData: whyNoData(name as RateKey, group) } : out;
    },
  };
}

/**
 * Evaluates a FAIL condition over a run: `pass` is false when any comma-separated clause holds, and
 * `failures` names each such clause with the actual values. Bad expressions, unknown metrics, selectors
 * or selector values throw `LG_ERR_CONFIG_INVALID` with the position and the valid names.
 */
export function evaluateGate(expr: string, summary: RunSummary): GateResult {
  return evaluateGateOn(expr, summaryMetricSource(summary));
}

/**
 * Checks a gate before a run: its syntax, metric names, selector keys and, given the run's attacks, the
 * attacks it names (categories need the run's data), so a typo fails before any request is sent rather than
 * after the whole run. `judged: false` (a run without judges, `judges: false`): every gate metric counts
 * verdicts (`asr`, `refusal_rate` and `over_refusal_rate` would have no data; `error_rate` counts an answer
 * without a verdict as an error, so it would be 100%): the gate would fail every run, so it is refused.
 */
export function checkGate(expr: string, known: { attacks?: readonly string[]; judged?: boolean } = {}): void {
  evaluateGateOn(expr, {
    metrics: GATE_METRICS,
    selectors: GATE_SELECTORS,
    range: rateRange,
    value: (name, sel, fail) => {
      if (known.judged === false)
        fail(
          `${name} counts verdicts and this run judges nothing (judges: false), so the gate would fail every run; configure judges, or drop the gate`,
        );
      // The run's attacks are known from its config; its categories only once the goals are judged.
      if (known.attacks && sel.attack !== undefined && !known.attacks.includes(sel.attack))
        fail(`no attack "${sel.attack}" in this run (attacks: ${listValues(known.attacks)})`);
      return { value: 0, describe: '' };
    },
  });
}
