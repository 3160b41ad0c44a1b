import { categoryOf, groupBy, groupStats, judgeAgreement, usageTotals } from '../metrics/index.js';
import type { ItemResult } from '../types.js';
import { type RunMeta, type RunSummary, type RunUsage, type RunUsagePart, SUMMARY_SCHEMA } from './types.js';

export interface SummarizeOptions {
  /** z of the intervals; 1.96 (95 %) by default. */
  z?: number;
  /** `generated_at`; now by default (tests pin it). */
  now?: Date;
}

/**
 * One string for an attack and a category, unambiguous whatever the names hold: `\u0001` is written
 * `\u0001\u0001` and `\u0000` `\u0001\u0002`, so the first raw `\u0000` is the separator (an attack named
 * `a\u0000b` with category `c` is neither attack `a` with category `b\u0000c` nor the same group as it).
 * Names without those two characters give `attack\u0000category` as before, so the order is unchanged.
 */
export function pairKey(attack: string, category: string): string {
  return `${escapePart(attack)}\u0000${escapePart(category)}`;
}

/** The attack and the category of a `pairKey`. */
export function splitPairKey(key: string): [string, string] {
  const i = key.indexOf('\u0000');
  return [unescapePart(key.slice(0, i)), unescapePart(key.slice(i + 1))];
}

function escapePart(s: string): string {
  return s.replaceAll('\u0001', '\u0001\u0001').replaceAll('\u0000', '\u0001\u0002');
}

function unescapePart(s: string): string {
  if (!s.includes('\u0001')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\u0001') {
      i++;
      out += s[i] === '\u0002' ? '\u0000' : '\u0001';
    } else out += s[i];
  }
  return out;
}

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The runner's usage in snake_case (`promptTokens` → `prompt_tokens`, `costUsd` → `cost` in USD), its
 * `judge` part likewise.
 */
export function normalizeRunUsage(u: RunUsage): RunUsage {
  const out: RunUsage = normalizePart(u);
  if (typeof u.judge === 'object' && u.judge !== null) out.judge = normalizePart(u.judge);
  return out;
}

function normalizePart(u: RunUsagePart): RunUsagePart {
  const out: RunUsagePart = {};
  const requests = finite(u.requests);
  const prompt = finite(u.prompt_tokens) ?? finite(u.promptTokens);
  const completion = finite(u.completion_tokens) ?? finite(u.completionTokens);
  const cost = finite(u.cost) ?? finite(u.costUsd);
  if (requests !== undefined) out.requests = requests;
  if (prompt !== undefined) out.prompt_tokens = prompt;
  if (completion !== undefined) out.completion_tokens = completion;
  if (cost !== undefined) {
    out.cost = cost;
    out.currency = finite(u.cost) !== undefined ? (u.currency ?? 'USD') : 'USD';
  }
  return out;
}

/** Computes the run summary (every metric of every report) from the items and the run's meta. */
export function summarize(results: readonly ItemResult[], meta: RunMeta, options: SummarizeOptions = {}): RunSummary {
  const z = options.z ?? 1.96;
  const all = groupStats(results, z);
  const { asr, refusal_rate, over_refusal_rate, error_rate, turns, ...totals } = all;
  const byAttack = groupBy(results, (r) => r.attack, z);
  const byCategory = groupBy(results, categoryOf, z);
  const byBoth = groupBy(results, (r) => pairKey(r.attack, categoryOf(r)), z);
  const usage = usageTotals(results);
  return {
    schema: SUMMARY_SCHEMA,
    meta,
    generated_at: (options.now ?? new Date()).toISOString(),
    z,
    totals,
    asr,
    refusal_rate,
    over_refusal_rate,
    error_rate,
    turns,
    by_attack: [...byAttack].map(([attack, s]) => ({ attack, ...s })),
    by_category: [...byCategory].map(([category, s]) => ({ category, ...s })),
    by_attack_category: [...byBoth].map(([key, s]) => {
      const [attack, category] = splitPairKey(key);
      return { attack, category, ...s };
    }),
    judge_agreement: judgeAgreement(results, z),
    usage: meta.usage ? { ...usage, run: normalizeRunUsage(meta.usage) } : usage,
  };
}
