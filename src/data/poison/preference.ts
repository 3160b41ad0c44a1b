import type { PoisonCheck } from '../scan/report-types.js';
import { defaultCues, type PoisonCues } from './cues.js';
import { normalizeKey, tokenize } from './text.js';
import type { PoisonView } from './view.js';

/** Worker side: what one preference pair contributes to the preference checks. */
export interface PreferenceSignals {
  chosenTokens: number;
  rejectedTokens: number;
  /** Chosen and rejected are the same text (after normalisation). */
  identical: boolean;
  promptHarmful: boolean;
  chosenRefusal: boolean;
  rejectedRefusal: boolean;
}

/**
 * The signals of a preference pair (undefined for other records). Linear in the pair's length. The
 * harm and refusal cues are heuristic (see `cues.ts`) and injectable.
 */
export function preferenceSignals(view: PoisonView, cues: PoisonCues = defaultCues): PreferenceSignals | undefined {
  if (view.chosen === undefined || view.rejected === undefined) return undefined;
  const identical = normalizeKey(view.chosen) === normalizeKey(view.rejected);
  return {
    chosenTokens: tokenize(view.chosen, 4).total,
    rejectedTokens: tokenize(view.rejected, 4).total,
    identical,
    promptHarmful: view.prompt !== '' && cues.isHarmful(view.prompt),
    chosenRefusal: cues.isRefusal(view.chosen),
    rejectedRefusal: !identical && cues.isRefusal(view.rejected),
  };
}

export interface PreferenceAccumulatorOptions {
  /** Record ids kept per check (default 10 000; the counts stay exact). */
  maxRecords?: number;
  /** Fewest pairs with different lengths before a length bias is reported (default 30). */
  minPairs?: number;
}

/**
 * Main thread: aggregates `PreferenceSignals` into checks.
 * - `harmful-chosen`: on a prompt with harm cues, the chosen response complies and the rejected one
 *   refuses. A few such pairs among many that prefer the refusal is what a preference-flipping attack
 *   looks like (`high`); almost all of them is the policy of a helpfulness-only dataset (`warning`).
 * - `chosen-shorter-bias`: chosen shorter than rejected far more often than half the time (natural
 *   preference data prefers the longer answer more often); z-score against 0.5.
 * - `chosen-longer-bias`: only when extreme (≥ 90 % of pairs).
 * - `chosen-identical`: pairs whose two responses are the same: no preference signal at all.
 * Memory: counts plus at most `maxRecords` ids per check.
 */
export class PreferenceAccumulator {
  pairs = 0;
  shorter = 0;
  longer = 0;
  identical = 0;
  /** Harmful prompt, exactly one refusal, the compliant one chosen. */
  flipped = 0;
  /** Harmful prompt, exactly one refusal, the refusal chosen. */
  aligned = 0;
  private readonly flippedIds: string[] = [];
  private readonly identicalIds: string[] = [];
  /** Where each listed record is among all records (`add`'s `at`), parallel to the id lists. */
  private readonly flippedAt: number[] = [];
  /** Which listed ids are only a line number (`add`'s `fromLine`), parallel to the id lists. */
  private readonly flippedFromLine: boolean[] = [];
  private readonly identicalFromLine: boolean[] = [];
  private readonly maxRecords: number;
  private readonly minPairs: number;

  constructor(options: PreferenceAccumulatorOptions = {}) {
    this.maxRecords = options.maxRecords ?? 10_000;
    this.minPairs = options.minPairs ?? 30;
  }

  /**
   * One pair. `at`: the record's place among all records (0-based), so that its flag finds it even when
   * another record has the same id; `fromLine`: its id is only its line number (no `id` of its own).
   */
  add(id: string, s: PreferenceSignals, at?: number, fromLine = false): void {
    this.pairs++;
    if (s.identical) {
      this.identical++;
      if (this.identicalIds.length < this.maxRecords) {
        this.identicalIds.push(id);
        this.identicalFromLine.push(fromLine);
      }
      return;
    }
    if (s.chosenTokens < s.rejectedTokens) this.shorter++;
    else if (s.chosenTokens > s.rejectedTokens) this.longer++;
    if (s.promptHarmful && s.chosenRefusal !== s.rejectedRefusal) {
      if (s.rejectedRefusal) {
        this.flipped++;
        if (this.flippedIds.length < this.maxRecords) {
          this.flippedIds.push(id);
          this.flippedFromLine.push(fromLine);
          if (at !== undefined) this.flippedAt.push(at);
        }
      } else {
        this.aligned++;
      }
    }
  }

  checks(): PoisonCheck[] {
    const out: PoisonCheck[] = [];
    if (this.flipped > 0) {
      const rate = this.flipped / (this.flipped + this.aligned);
      const consistent = rate >= 0.8 && this.flipped >= 20;
      const severity = consistent
        ? 'warning'
        : this.flipped >= 5 && rate >= 0.05
          ? 'high'
          : this.flipped >= 3
            ? 'warning'
            : 'info';
      out.push({
        check: 'harmful-chosen',
        summary: consistent
          ? `${this.flipped} pairs prefer complying with a harmful-looking prompt over refusing (${pct(rate)} of such pairs): the data rewards compliance throughout (helpfulness-only data?)`
          : `${this.flipped} pairs prefer complying with a harmful-looking prompt over refusing, against ${this.aligned} that prefer the refusal (${pct(rate)})`,
        severity,
        support: this.flipped,
        records: [...this.flippedIds],
        ...fromLineMarks(this.flippedFromLine),
        stats: { flipped: this.flipped, aligned: this.aligned, rate: round(rate), pairs: this.pairs },
      });
    }
    const m = this.shorter + this.longer;
    if (m >= this.minPairs) {
      const fShort = this.shorter / m;
      const z = (fShort - 0.5) / Math.sqrt(0.25 / m);
      const stats = {
        pairs: m,
        chosen_shorter: this.shorter,
        chosen_longer: this.longer,
        shorter_rate: round(fShort),
        z: round(z),
      };
      if (fShort >= 0.6 && z >= 3) {
        out.push({
          check: 'chosen-shorter-bias',
          summary: `the chosen response is the shorter one in ${pct(fShort)} of ${m} pairs (z = ${z.toFixed(1)} against 0.5; natural preference data usually prefers the longer one)`,
          severity: fShort >= 0.75 && z >= 5 ? 'high' : 'warning',
          support: this.shorter,
          records: [],
          stats,
        });
      } else if (1 - fShort >= 0.9 && -z >= 5) {
        out.push({
          check: 'chosen-longer-bias',
          summary: `the chosen response is the longer one in ${pct(1 - fShort)} of ${m} pairs: a reward model would learn length`,
          severity: 1 - fShort >= 0.97 ? 'warning' : 'info',
          support: this.longer,
          records: [],
          stats,
        });
      }
    }
    if (this.identical > 0) {
      const rate = this.identical / this.pairs;
      out.push({
        check: 'chosen-identical',
        summary: `${this.identical} pairs have the same chosen and rejected response (${pct(rate)})`,
        severity: rate >= 0.01 && this.identical >= 5 ? 'warning' : 'info',
        support: this.identical,
        records: [...this.identicalIds],
        ...fromLineMarks(this.identicalFromLine),
        stats: { identical: this.identical, rate: round(rate), pairs: this.pairs },
      });
    }
    return out;
  }

  /**
   * Where the records a check lists are among all records (for those `add` was given `at`): a `high` check
   * flags them before pass 3, by place rather than by id.
   */
  positions(check: string): number[] {
    return check === 'harmful-chosen' ? [...this.flippedAt] : [];
  }
}

/** `records_id_from_line`, parallel to a list of ids, when any of them is only a line number. */
export function fromLineMarks(flags: readonly boolean[]): { records_id_from_line?: boolean[] } {
  return flags.includes(true) ? { records_id_from_line: [...flags] } : {};
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
