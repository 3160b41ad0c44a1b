/** Shared types of the secrets detector: rules, the scan context they report into, and raw hits. */

export type RuleCategory =
  | 'cloud'
  | 'vcs'
  | 'ci'
  | 'payments'
  | 'messaging'
  | 'ai'
  | 'registry'
  | 'saas'
  | 'observability'
  | 'infra'
  | 'crypto'
  | 'structural'
  | 'generic';

/** What a rule's finder sees: the text, a lazily built lower-case copy, and a sink for hits. */
export interface ScanContext {
  readonly text: string;
  /** `text` lower-cased, same length and offsets (computed on first use). */
  lower(): string;
  /** Reports a hit for `rule` (or another rule of the table, e.g. a paired secret) at [start, end). */
  emit(rule: SecretRule, start: number, end: number, score: number): void;
}

/**
 * Tries a rule at one keyword occurrence. `start` is where the keyword begins in `ctx.text`.
 * Returns the position up to which the rule has looked: keyword occurrences of the same rule before it
 * are skipped, which keeps the total work linear in the input.
 */
export type Finder = (ctx: ScanContext, start: number, keyword: string) => number;

/** A `key <op> value` found around a keyword (see `parseAssignment`). */
export interface Assignment {
  /** Where the key identifier containing the keyword starts and ends. */
  keyStart: number;
  keyEnd: number;
  /** Where the value starts (after the operator, spaces and an opening quote). */
  valueStart: number;
  /** The opening quote's char code, or 0 for an unquoted value. */
  quote: number;
}

export interface SecretRule {
  /** Stable rule id, reported as `Finding.rule`, e.g. `secrets.github-pat`. */
  readonly id: string;
  /** Entity type, e.g. `GITHUB_TOKEN`. */
  readonly type: string;
  readonly description: string;
  readonly category: RuleCategory;
  /**
   * Literal anchors. Case-sensitive unless `caseInsensitive`; each occurrence in the text is offered to
   * `find`, and a rule never runs on a text that contains none of its keywords.
   */
  readonly keywords: readonly string[];
  readonly caseInsensitive?: boolean;
  /**
   * Characters (a regex class body, e.g. `A-Za-z0-9_\\-`) that cannot precede a keyword occurrence
   * that starts a hit, as for token prefixes (`ghp_`, `AKIA`). Lets the anchor regex skip keywords
   * inside longer runs, so `ghp_ghp_ghp_…` costs one rule call, not one per repetition.
   */
  readonly keywordBoundary?: string;
  /** Score of a clean, validated hit (individual hits may score lower). */
  readonly score: number;
  /** Overlap tie-break: 3 validated/distinctive prefix, 2 keyword-context, 1 structural, 0 generic. */
  readonly priority: number;
  /** How a candidate is confirmed, for the docs: `crc32`, `structure`, `json-header`, `entropy`, ... */
  readonly validation: string;
  readonly find: Finder;
  /**
   * Keyword-context rules are not anchored on their own keywords. The assignment scanner (the generic
   * rule, anchored on `key`, `token`, `secret`, `pass`, …) parses each `key <op> value` once and offers
   * it to the rules whose keywords occur in the lower-cased key name; they return where their value
   * ends when they report it, else -1.
   */
  readonly onAssignment?: (ctx: ScanContext, assignment: Assignment, keyName: string) => number;
}

/** A raw hit before overlap resolution. */
export interface RawHit {
  rule: SecretRule;
  start: number;
  end: number;
  score: number;
}
