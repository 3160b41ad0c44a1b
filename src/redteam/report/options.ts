import type { GateResult } from './gate.js';

/** Options shared by the renderers. */
export interface ReportOptions {
  /**
   * Include short excerpts of the answers (at most `excerptChars`, one line, invisible characters shown) in
   * the "what failed" lists and the HTML items table. Off by default: reports travel further than run dirs.
   */
  excerpts?: boolean;
  /** Characters per excerpt; 200 by default. */
  excerptChars?: number;
  /** Items listed per "what failed" list (Markdown); 50 by default. */
  maxFailures?: number;
  /** Rows of the HTML items table; 5,000 by default (the rest stay in `results.jsonl`). */
  maxItems?: number;
  /** A gate already evaluated (with its expression) to show in the reports and as JUnit test cases. */
  gate?: GateResult & { expr: string };
}

export function resolved(options: ReportOptions = {}) {
  const int = (v: number | undefined, d: number) =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : d;
  return {
    excerpts: options.excerpts === true,
    excerptChars: Math.max(1, int(options.excerptChars, 200)),
    maxFailures: int(options.maxFailures, 50),
    maxItems: int(options.maxItems, 5000),
    gate: options.gate,
  };
}
