import type { PoisonCheck, PoisoningReport, SuspectedTrigger } from '../scan/report-types.js';
import type { InsertedTrigger } from './inserted.js';
import type { MatchPlan } from './matcher.js';
import type { GroupSummary, MinedTrigger } from './miner.js';
import type { PreferenceAccumulator } from './preference.js';
import { DEFAULT_MAX_TOKENS, excerpt } from './text.js';

/**
 * A trigger scoring at least this is "suspected": its records are flagged (and quarantined with
 * `--quarantine-poison`). Lower-scoring ones are still reported, with the number of records they match,
 * for review.
 * On the test corpora a planted trigger (0.2-1 % of records, one response) scores 0.87-1.0 (0.69 with only
 * 10 poisoned records), a label-flip trigger about 0.8, and natural associations (sentiment phrases, yes/no
 * and identity answers, template phrases, one refusal for every harmful prompt) at most about 0.37.
 */
export const SUSPECTED_TRIGGER_SCORE = 0.5;

export interface FinalizeInput {
  /** Records observed (pass 2). */
  nRecords: number;
  mined?: readonly MinedTrigger[];
  inserted?: readonly InsertedTrigger[];
  /** `TriggerMiner.groupSummaries()`: for the `repeated-response` check. */
  groups?: readonly GroupSummary[];
  preference?: PreferenceAccumulator;
}

export interface FinalizeOptions {
  /** Score from which a trigger's records are flagged (default `SUSPECTED_TRIGGER_SCORE`). */
  suspectScore?: number;
  /** Triggers below this score are not reported at all (default 0.1). */
  reportScore?: number;
  /** Triggers reported at most (default 20). */
  maxTriggers?: number;
  /** Repeated responses reported at most (default 10). */
  maxRepeated?: number;
  /** Redacts the target excerpts (default: e-mail addresses and runs of 6+ digits masked). */
  redact?: (text: string) => string;
  /** Tokens kept per prompt in pass 2 (default 512); pass 3 must use the same. */
  maxTokens?: number;
}

export interface PoisoningResult {
  /** Ranked by score; `records` empty until pass 3 fills them (`PoisonRecords`). */
  triggers: SuspectedTrigger[];
  checks: PoisonCheck[];
  /** What pass 3 looks for (plain data for the workers). */
  plan: MatchPlan;
  /** Records already known to be flagged (from checks whose records are known before pass 3). */
  preflagged: string[];
  /**
   * The same records by their place among all records (0-based), when the accumulator was given places:
   * ids may repeat (`{"id":3}`, `{"id":"3"}` and a record without an id on line 3 all read `3`), places do not.
   */
  preflaggedAt?: number[];
}

/**
 * Ranks the mined and inserted-phrase triggers (merged by phrase and target: the best score, and the
 * mined kind when both found it), builds the `repeated-response` and preference checks, and the pass-3
 * plan. Pure: call it on the main thread after pass 2.
 */
export function finalizePoisoning(input: FinalizeInput, options: FinalizeOptions = {}): PoisoningResult {
  const suspect = options.suspectScore ?? SUSPECTED_TRIGGER_SCORE;
  const redact = options.redact ?? redactExcerpt;

  interface Entry {
    phrase: string;
    tokens: string[];
    targetKey: number;
    target: string;
    support: number;
    lift: number;
    kind: SuspectedTrigger['kind'];
    score: number;
    insertedPairs?: number;
  }
  const merged = new Map<string, Entry>();
  const offer = (e: Entry): void => {
    const key = `${e.targetKey}:${e.tokens.join(' ')}`;
    const prev = merged.get(key);
    const insertedPairs = e.insertedPairs ?? prev?.insertedPairs;
    if (prev === undefined) merged.set(key, e);
    else if (e.score > prev.score) {
      // Found both ways: keep the better score, and the mined kind (it says what the phrase is tied to).
      merged.set(key, { ...e, kind: prev.kind === 'inserted-phrase' ? e.kind : prev.kind, insertedPairs });
    } else {
      merged.set(key, { ...prev, kind: prev.kind === 'inserted-phrase' ? e.kind : prev.kind, insertedPairs });
    }
  };
  for (const t of input.mined ?? []) offer({ ...t, tokens: [...t.tokens] });
  for (const t of input.inserted ?? [])
    offer({ ...t, tokens: [...t.tokens], kind: 'inserted-phrase', insertedPairs: t.pairs });
  const sorted = [...merged.values()]
    .filter((e) => e.score >= (options.reportScore ?? 0.1))
    .sort((a, b) => b.score - a.score || b.support - a.support || a.phrase.localeCompare(b.phrase));
  // An inserted phrase that contains a better trigger of the same target ("and" + the trigger, where a
  // prompt already had "and" next to it) matches a subset of that trigger's records: it adds nothing.
  const ranked = sorted
    .filter(
      (e, i) =>
        e.kind !== 'inserted-phrase' ||
        !sorted
          .slice(0, i)
          .some((o) => o.targetKey === e.targetKey && o.tokens.length < e.tokens.length && hasRun(e.tokens, o.tokens)),
    )
    .slice(0, options.maxTriggers ?? 20);

  const triggers: SuspectedTrigger[] = ranked.map((e) => {
    const t: SuspectedTrigger = {
      phrase: e.phrase,
      support: e.support,
      lift: round(e.lift, 2),
      records: [],
      target: redact(excerpt(e.target, 80)),
      kind: e.kind,
      score: round(e.score, 4),
    };
    if (e.insertedPairs !== undefined) t.inserted_pairs = e.insertedPairs;
    return t;
  });
  const plan: MatchPlan = {
    triggers: ranked.map((e) => ({ tokens: e.tokens, targetKey: e.targetKey, flag: e.score >= suspect })),
    checks: [],
    maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
  };

  const checks: PoisonCheck[] = [];
  // Records of each target that suspected triggers account for.
  const suspectedTargets = new Map<number, number>();
  for (const e of ranked) {
    if (e.score >= suspect)
      suspectedTargets.set(e.targetKey, Math.max(suspectedTargets.get(e.targetKey) ?? 0, e.support));
  }
  const repeated = (input.groups ?? [])
    .filter((g) => g.kind === 'response')
    .sort((a, b) => b.count - a.count || a.targetKey - b.targetKey)
    .slice(0, options.maxRepeated ?? 10);
  for (const g of repeated) {
    const covered = suspectedTargets.get(g.targetKey);
    const check = repeatedResponseCheck(g, input.nRecords, covered !== undefined, redact);
    if (check.severity !== 'info') {
      // Every record with the target is flagged only when the trigger accounts for (nearly) all of them:
      // a trigger may lead to a response that also occurs naturally (a refusal, say).
      const flag = covered !== undefined && covered >= 0.8 * g.count;
      plan.checks.push({ check: checks.length, targetKey: g.targetKey, flag });
    }
    checks.push(check);
  }

  const preflagged: string[] = [];
  const preflaggedAt: number[] = [];
  for (const c of input.preference?.checks() ?? []) {
    checks.push(c);
    if (c.severity === 'high') {
      preflagged.push(...c.records);
      preflaggedAt.push(...(input.preference?.positions(c.check) ?? []));
    }
  }
  // Places only when every pre-flagged record has one (else ids, as before).
  const byPlace = preflaggedAt.length === preflagged.length;
  return { triggers, checks, plan, preflagged, ...(byPlace ? { preflaggedAt } : {}) };
}

/**
 * One target repeated across many prompts. `high` when a suspected trigger leads to it; `info` for a
 * refusal (expected on harmful prompts) or a short answer (≤ 3 words: yes/no, a class name); `warning`
 * for a longer response given to many distinct prompts that share almost none of its words (a response
 * that ignores its instruction, in bulk); else `info`.
 */
function repeatedResponseCheck(
  g: GroupSummary,
  nRecords: number,
  suspected: boolean,
  redact: (s: string) => string,
): PoisonCheck {
  const share = g.count / Math.max(1, nRecords);
  const diverse = g.distinctPrompts >= 0.8 * Math.min(g.count, 400);
  const ignoresPrompt = g.meanOverlap >= 0 && g.meanOverlap < 0.15;
  const severity: PoisonCheck['severity'] = suspected
    ? 'high'
    : g.refusal || g.targetTokens <= 3
      ? 'info'
      : diverse && ignoresPrompt
        ? 'warning'
        : 'info';
  const what = g.refusal ? 'a refusal' : g.targetTokens <= 3 ? 'a short answer' : 'a response';
  const why = suspected
    ? '; a suspected trigger leads to it'
    : severity === 'warning'
      ? ' that shares almost no words with them'
      : g.refusal
        ? ' (expected when the prompts are harmful)'
        : '';
  return {
    check: 'repeated-response',
    summary: `${what} repeated for ${g.count} prompts (${g.distinctPrompts} distinct, ${(100 * share).toFixed(2)}% of records)${why}: "${redact(excerpt(g.target, 80))}"`,
    severity,
    support: g.count,
    records: [],
    stats: {
      count: g.count,
      distinct_prompts: g.distinctPrompts,
      share: round(share, 6),
      mean_overlap: round(g.meanOverlap, 4),
      zero_overlap: round(g.zeroOverlap, 4),
      refusal: g.refusal ? 1 : 0,
      target_tokens: g.targetTokens,
    },
  };
}

export interface PoisonRecordsOptions {
  /** Ids kept per trigger or check (default 100 000; `records_truncated` set beyond). */
  maxRecords?: number;
}

/**
 * Pass 3, main thread: collects the ids of matching records into the result's triggers and checks.
 * `add` returns whether the record is flagged (matches a suspected trigger or a `high` check, or was
 * flagged before pass 3), so the caller can quarantine as it goes. Memory: the id lists (bounded).
 */
export class PoisonRecords {
  /** Distinct records flagged so far (each record is added once). */
  flagged = 0;
  private readonly triggerIds: string[][];
  private readonly triggerCounts: number[];
  private readonly checkIds: string[][];
  /** Which listed ids are only a line number, as positions in `triggerIds[i]` / `checkIds[i]` (mostly empty). */
  private triggerFromLine: number[][];
  private checkFromLine: number[][];
  private readonly pre: Set<string>;
  private readonly preAt: Set<number> | undefined;
  private readonly maxRecords: number;

  constructor(
    private readonly result: PoisoningResult,
    options: PoisonRecordsOptions = {},
  ) {
    this.maxRecords = options.maxRecords ?? 100_000;
    this.triggerIds = result.triggers.map(() => []);
    this.triggerCounts = result.triggers.map(() => 0);
    this.checkIds = result.plan.checks.map(() => []);
    this.triggerFromLine = result.triggers.map(() => []);
    this.checkFromLine = result.plan.checks.map(() => []);
    this.pre = new Set(result.preflagged);
    this.preAt = result.preflaggedAt ? new Set(result.preflaggedAt) : undefined;
  }

  /**
   * One record's pass-3 matches (`triggerMatcher` and `targetMatcher` indices). `at`: its place among all
   * records (as given to `PreferenceAccumulator.add`), which finds a pre-flagged record even when its id
   * repeats; `fromLine`: its id is only its line number.
   */
  add(
    id: string,
    triggerMatches: readonly number[],
    checkMatches: readonly number[] = [],
    at?: number,
    fromLine = false,
  ): boolean {
    let flagged = this.preAt && at !== undefined ? this.preAt.has(at) : this.pre.has(id);
    for (const i of triggerMatches) {
      this.triggerCounts[i]++;
      if (this.result.plan.triggers[i].flag === false) continue;
      flagged = true;
      if (this.triggerIds[i].length < this.maxRecords) {
        if (fromLine) this.triggerFromLine[i].push(this.triggerIds[i].length);
        this.triggerIds[i].push(id);
      }
    }
    for (const i of checkMatches) {
      if (this.checkIds[i].length < this.maxRecords) {
        if (fromLine) this.checkFromLine[i].push(this.checkIds[i].length);
        this.checkIds[i].push(id);
      }
      if (this.result.plan.checks[i].flag) flagged = true;
    }
    if (flagged) this.flagged++;
    return flagged;
  }

  /** Plain-data state, for a checkpoint. */
  state(): {
    flagged: number;
    triggerIds: string[][];
    triggerCounts: number[];
    checkIds: string[][];
    triggerFromLine: number[][];
    checkFromLine: number[][];
  } {
    return {
      flagged: this.flagged,
      triggerIds: this.triggerIds,
      triggerCounts: this.triggerCounts,
      checkIds: this.checkIds,
      triggerFromLine: this.triggerFromLine,
      checkFromLine: this.checkFromLine,
    };
  }

  /** Continues from a {@link state} of the same result (a resumed scan). */
  restore(state: unknown): void {
    const s = state as ReturnType<PoisonRecords['state']>;
    this.flagged = s.flagged;
    s.triggerIds.forEach((ids, i) => {
      this.triggerIds[i] = ids;
    });
    s.triggerCounts.forEach((n, i) => {
      this.triggerCounts[i] = n;
    });
    s.checkIds.forEach((ids, i) => {
      this.checkIds[i] = ids;
    });
    if (s.triggerFromLine) this.triggerFromLine = s.triggerFromLine;
    if (s.checkFromLine) this.checkFromLine = s.checkFromLine;
  }

  /**
   * The triggers and checks with their records. A trigger's support becomes the number of records it
   * matched; only suspected triggers list them (the report's `records` are flagged records).
   */
  finish(): { triggers: SuspectedTrigger[]; checks: PoisonCheck[] } {
    const triggers = this.result.triggers.map((t, i) => {
      const out: SuspectedTrigger = {
        ...t,
        records: this.triggerIds[i],
        ...marksAt(this.triggerFromLine[i], this.triggerIds[i].length),
        support: this.triggerCounts[i],
      };
      const listed = this.result.plan.triggers[i].flag !== false;
      if (listed && this.triggerCounts[i] > this.triggerIds[i].length) out.records_truncated = true;
      return out;
    });
    const checks = this.result.checks.map((c) => ({ ...c }));
    this.result.plan.checks.forEach((spec, i) => {
      checks[spec.check] = {
        ...checks[spec.check],
        records: this.checkIds[i],
        ...marksAt(this.checkFromLine[i], this.checkIds[i].length),
      };
    });
    return { triggers, checks };
  }
}

/** `records_id_from_line` (parallel to `records`) from the positions of the ids that are line numbers. */
function marksAt(positions: readonly number[], n: number): { records_id_from_line?: boolean[] } {
  if (positions.length === 0) return {};
  const flags = new Array<boolean>(n).fill(false);
  for (const p of positions) flags[p] = true;
  return { records_id_from_line: flags };
}

/** The report's poisoning section from `PoisonRecords.finish()` and its flagged count. */
export function toPoisoningReport(
  finished: { triggers: SuspectedTrigger[]; checks: PoisonCheck[] },
  flagged: number,
  quarantined: boolean,
  inserted?: PoisoningReport['inserted'],
): PoisoningReport {
  const report: PoisoningReport = {
    enabled: true,
    triggers: finished.triggers,
    checks: finished.checks,
    flagged,
    quarantined,
  };
  if (inserted) report.inserted = inserted;
  return report;
}

/** Masks e-mail addresses and runs of six or more digits in a (short) excerpt. */
export function redactExcerpt(text: string): string {
  return text
    .replace(/[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}/g, '<EMAIL>')
    .replace(/\d[\d -]{4,}\d/g, '<NUMBER>');
}

/** Whether `run` occurs in a row in `tokens`. */
function hasRun(tokens: readonly string[], run: readonly string[]): boolean {
  for (let i = 0; i + run.length <= tokens.length; i++) {
    let j = 0;
    while (j < run.length && tokens[i + j] === run[j]) j++;
    if (j === run.length) return true;
  }
  return false;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
