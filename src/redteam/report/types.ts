/**
 * The run summary: what `summary.json` holds and every report is rendered from. JSON keys are snake_case
 * (`asr`, `refusal_rate`, `over_refusal_rate`, as in `redteam replay --json`); the schema string is bumped
 * only when a field changes meaning — fields are only ever added within v1.
 */
import type { GroupStats, Interval, JudgeAgreement, UsageTotals } from '../metrics/index.js';

export const SUMMARY_SCHEMA = 'lifeguard.redteam.summary/v1';

/** What the runner knows about a run (written by the runner; kept verbatim in the summary). */
export interface RunMeta {
  /** Run id (the run directory's name by default). */
  id: string;
  /** The target's label (`openai:gpt-4o-mini`, `replay:jbb`). */
  target: string;
  /** ISO time. */
  startedAt: string;
  finishedAt?: string;
  /** The run seed; absent only when the meta was reconstructed from `results.jsonl` alone. */
  seed?: number;
  /** Hash of the effective configuration, to tell whether two runs are comparable. */
  configHash?: string;
  /** Judge ids, in panel order. */
  judges: string[];
  /**
   * Whether the run judged its answers: `false` for a run without judges (`judges: false`), whose gate
   * metrics have no data (`redteam report --fail-if` refuses it). Absent in runs written before the field
   * (and in metas rebuilt from `results.jsonl`): not known.
   */
  judged?: boolean;
  /** The attacker model's label for PAIR / TAP style attacks. */
  attacker?: string;
  notes?: string;
  /**
   * The runner's own usage totals (target, attacker and judge requests, cost) when it tracked them; the
   * summary's `usage.run`, with the judges' share in `judge`. Optional addition beyond the agreed fields.
   */
  usage?: RunUsage;
}

/** The runner's usage totals; `summarize` normalises the camelCase spellings to the snake_case ones. */
export interface RunUsage extends RunUsagePart {
  /**
   * The judges' share of the totals above: requests to LLM judges' endpoints (final verdicts and interactive
   * attacks' scores), their tokens and cost. Absent when no judge called a model.
   */
  judge?: RunUsagePart;
}

/** Requests, tokens and cost, in either spelling. */
export interface RunUsagePart {
  requests?: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  /** In `currency` (USD when unset), from the configured per-token prices. */
  cost?: number;
  currency?: string;
  promptTokens?: number;
  completionTokens?: number;
  /** Same as `cost` with `currency: 'USD'`. */
  costUsd?: number;
}

/** Metrics of one attack. */
export interface AttackStats extends GroupStats {
  attack: string;
}

/** Metrics of one harm category (`(none)` for goals without one). */
export interface CategoryStats extends GroupStats {
  category: string;
}

export interface AttackCategoryStats extends GroupStats {
  attack: string;
  category: string;
}

export interface RunSummary {
  schema: typeof SUMMARY_SCHEMA;
  meta: RunMeta;
  /** When this summary was computed (ISO). */
  generated_at: string;
  /** z of every interval (1.96: 95 %). */
  z: number;
  /** Counts over the whole run (the same fields as every group). */
  totals: Omit<GroupStats, 'asr' | 'refusal_rate' | 'over_refusal_rate' | 'error_rate' | 'turns'>;
  /** jailbroken / judged harmful items. */
  asr: Interval;
  /** refused / judged harmful items. */
  refusal_rate: Interval;
  /** refused / judged benign items. */
  over_refusal_rate: Interval;
  /** (errors + unjudged) / items. */
  error_rate: Interval;
  turns: GroupStats['turns'];
  /** Sorted by attack id. */
  by_attack: AttackStats[];
  /** Sorted by category. */
  by_category: CategoryStats[];
  /** Sorted by attack, then category. */
  by_attack_category: AttackCategoryStats[];
  judge_agreement: JudgeAgreement;
  usage: UsageTotals & { run?: RunUsage };
}

/** Output formats of `writeReports`. */
export type ReportFormat = 'json' | 'md' | 'html' | 'junit';
export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'md', 'html', 'junit'];
