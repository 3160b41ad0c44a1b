/** What travels between the scan's main thread and its workers. Plain data: structured-clone friendly. */

/** One input record as read: an unparsed JSONL line, a parsed value (CSV, Parquet, text), or a read error. */
export interface BatchItem {
  /** 0-based line / row / file number in its input. */
  index: number;
  line?: string;
  value?: Record<string, unknown>;
  error?: string;
  raw?: string;
  bytes: number;
  /** Where the line starts in its (uncompressed JSONL) input, in bytes. */
  offset?: number;
}

/** Consecutive records of one input file. */
export interface Batch {
  file: string;
  /** Id prefix (`train.jsonl:`) when several inputs are scanned, else empty. */
  prefix: string;
  items: BatchItem[];
  /** Each item's target key from poisoning pass 1 (0: none), so later passes need not hash targets again. */
  targetKeys?: Uint32Array;
  /** The first item's place among all records of all inputs (0-based), set with `targetKeys`. */
  start?: number;
}

/** Per-batch counters, summed on the main thread. */
export interface BatchStats {
  findingsByType: Record<string, number>;
  findingsByDetector: Record<string, number>;
  recordsWithFindings: number;
  redacted: number;
  malformed: number;
  findingsQuarantined: number;
  lowQuality: number;
  poisonQuarantined: number;
  qualityFailed: Record<string, number>;
  reasons: Record<string, number>;
  bytes: number;
}

export function emptyStats(): BatchStats {
  return {
    findingsByType: {},
    findingsByDetector: {},
    recordsWithFindings: 0,
    redacted: 0,
    malformed: 0,
    findingsQuarantined: 0,
    lowQuality: 0,
    poisonQuarantined: 0,
    qualityFailed: {},
    reasons: {},
    bytes: 0,
  };
}

export function addStats(into: BatchStats, from: BatchStats): void {
  for (const key of ['findingsByType', 'findingsByDetector', 'qualityFailed', 'reasons'] as const) {
    for (const [k, v] of Object.entries(from[key])) into[key][k] = (into[key][k] ?? 0) + v;
  }
  into.recordsWithFindings += from.recordsWithFindings;
  into.redacted += from.redacted;
  into.malformed += from.malformed;
  into.findingsQuarantined += from.findingsQuarantined;
  into.lowQuality += from.lowQuality;
  into.poisonQuarantined += from.poisonQuarantined;
  into.bytes += from.bytes;
}

export function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

/** Record outcome codes in {@link ScanBatchResult.status}. */
export const KEPT = 0;
export const QUARANTINED = 1;

/** What a worker sends back for one scanned batch; arrays are indexed by the batch's items. */
export interface ScanBatchResult {
  ids: string[];
  /** 1 where the id is only the record's line / row / file number (it has no `id` of its own). */
  fromLine: Uint8Array;
  status: Uint8Array;
  /** Kept records: the output line (JSONL, CSV; with its line break) or the record (Parquet, text). */
  kept: (string | Record<string, unknown> | null)[];
  /** Quarantined records: their `quarantine.jsonl` line, line break included. */
  quarantine: (string | null)[];
  /** Sketches of kept records, `sketchBytes` each, in item order (kept items only). */
  sketches: Uint8Array;
  /** Records matching poisoning triggers (`t`) or checks (`c`), by item index `i`. */
  poison: { i: number; t: number[]; c: number[] }[];
  stats: BatchStats;
}
