/**
 * The shape of `report.json` written by `lifeguard data scan`. Other tools read it: fields are only
 * ever added. Record ids are strings: the record's `id` field, else its 0-based line/row number,
 * prefixed by `<file name>:` when several inputs are scanned.
 */
export interface DataScanReport {
  version: 1;
  tool: { name: 'lifeguard'; version: string };
  started_at: string;
  finished_at: string;
  /** True when this run continued an interrupted one (`--resume`). */
  resumed: boolean;
  inputs: { path: string; format: string; compression: string; records: number; bytes: number }[];
  /** The effective settings (detectors, actions, quality thresholds, dedup and poisoning options). */
  config: Record<string, unknown>;
  counts: {
    /** Every record read, malformed ones included. Always `kept + quarantined`. */
    in: number;
    kept: number;
    quarantined: number;
    /** Kept records in which at least one span was redacted. */
    redacted: number;
    malformed: number;
    duplicates_exact: number;
    duplicates_near: number;
    low_quality: number;
    poisoned: number;
    /** Records quarantined because a finding's action said so. */
    findings_quarantined: number;
    /** `in === kept + quarantined`, checked when the report is written. */
    balanced: boolean;
  };
  findings: {
    /** Findings per entity type (e.g. `EMAIL_ADDRESS`, `AWS_ACCESS_KEY`). */
    by_type: Record<string, number>;
    by_detector: Record<string, number>;
    /** Records with at least one finding. */
    records: number;
  };
  /** Quarantined records per reason (a record may have several reasons; see `quarantine.jsonl`). */
  quarantine: { reasons: Record<string, number> };
  quality: {
    /** Records failing each rule (a record may fail several). */
    failed_rules: Record<string, number>;
  };
  duplicates: {
    /** Every cluster with at least two records; `members` lists all of them, the representative first. */
    clusters: DuplicateCluster[];
    /** Cluster size → number of clusters of that size. */
    cluster_sizes: Record<string, number>;
    /** Records removed as duplicates (members other than representatives); 0 when duplicates are kept. */
    removed: number;
  };
  poisoning: PoisoningReport;
  throughput: {
    records_per_s: number;
    mb_per_s: number;
    /** `mb_per_s / workers`. */
    mb_per_s_per_worker: number;
    workers: number;
    bytes: number;
    elapsed_s: number;
    /** Seconds spent in the poisoning pre-passes (included in elapsed_s). */
    prepass_s: number;
    /**
     * CPU seconds this process used during this run, all threads together (workers, the main thread,
     * the garbage collector's helpers); a resumed run counts only its own. On a shared machine it
     * varies less than the wall-clock figures.
     */
    cpu_s?: number;
  };
  memory: { peak_rss_mb: number };
}

export interface DuplicateCluster {
  /** Stable cluster id, e.g. `dup-000017`. */
  id: string;
  kind: 'exact' | 'near';
  /** The kept record (first in input order). */
  representative: string;
  /** All records of the cluster, the representative first. */
  members: string[];
  /**
   * Parallel to `members`, present when any of them has no `id` of its own: `true` where the id is only the
   * record's 0-based line / row / file number (which a real record may also carry as its id).
   */
  members_id_from_line?: boolean[];
}

export interface SuspectedTrigger {
  /** The trigger phrase as it appears (lower-cased, normalised). */
  phrase: string;
  /** Records containing the phrase that carry the target response/label. */
  support: number;
  /** P(target | phrase) / P(target). */
  lift: number;
  /** Ids of every flagged record (complete unless `records_truncated`). */
  records: string[];
  /**
   * Parallel to `records`, present when any of them has no `id` of its own: `true` where the id is only the
   * record's 0-based line / row / file number (which a real record may also carry as its id).
   */
  records_id_from_line?: boolean[];
  records_truncated?: boolean;
  /** A short, redacted excerpt of the target response or the label value. */
  target: string;
  /** How it was found: a rare n-gram tied to one response/label, or a phrase inserted into near-duplicates. */
  kind: 'response-trigger' | 'label-trigger' | 'inserted-phrase';
  /** Ranking score (higher = more suspicious). */
  score: number;
  /**
   * Near-identical prompt pairs where one is the other with this phrase inserted (present when the
   * inserted-phrase search found the phrase, whichever `kind` ranked it).
   */
  inserted_pairs?: number;
}

export interface PoisoningReport {
  enabled: boolean;
  /** Why it did not run, when it did not (e.g. records have no response or label). */
  skipped?: string;
  /** Ranked most suspicious first. */
  triggers: SuspectedTrigger[];
  /** Other findings: repeated responses across unrelated instructions, preference-pair checks, label biases. */
  checks: PoisonCheck[];
  /** Records flagged by any poisoning check. */
  flagged: number;
  /** True when flagged records were quarantined (`--quarantine-poison`). */
  quarantined: boolean;
  /**
   * The search for phrases inserted into near-identical prompts: prompts (of at most 128 tokens)
   * indexed, prompts left out by the memory bound, pairs found (a prompt with a repeated target that is
   * another prompt plus 1–8 tokens), and distinct phrases among them.
   */
  inserted?: { prompts_indexed: number; prompts_dropped: number; pairs: number; phrases: number };
}

export interface PoisonCheck {
  /** e.g. `repeated-response`, `harmful-chosen`, `chosen-shorter-bias`. */
  check: string;
  /** What was found, in a sentence. */
  summary: string;
  severity: 'info' | 'warning' | 'high';
  support: number;
  records: string[];
  /** As for triggers: parallel to `records`, `true` where the id is only a line number. */
  records_id_from_line?: boolean[];
  /** Check-specific numbers (rates, z-scores, …). */
  stats?: Record<string, number>;
}
