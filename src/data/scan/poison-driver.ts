import {
  finalizePoisoning,
  type GroupRecord,
  type InsertedPair,
  InsertedPhraseCounter,
  type MatchPlan,
  type PoisoningResult,
  PoisonRecords,
  PreferenceAccumulator,
  type PreferenceSignals,
  TargetCounter,
  type TargetGroups,
  TriggerMiner,
  toPoisoningReport,
} from '../poison/index.js';
import { PromptIndex } from '../poison/prompt-index.js';
import type { Batch } from './batch.js';
import type { ScanConfig } from './config.js';
import type { InputInfo } from './inputs.js';
import { RecordLocations } from './locations.js';
import { runOrdered, type WorkerPool } from './pool.js';
import type { PoisoningReport } from './report-types.js';
import type { TaskMsg } from './tasks.js';

/** What the poisoning pre-passes found; saved in the scan state so a resume does not redo them. */
export interface PoisonPrepass {
  enabled: boolean;
  skipped?: string;
  /** Ranked triggers and checks (records filled in during the scan) and the plan the workers match. */
  result?: PoisoningResult;
  /** The inserted-phrase search: prompts indexed, near-identical pairs found, phrases counted. */
  inserted?: InsertedStats;
  prepassS: number;
}

export interface InsertedStats {
  prompts_indexed: number;
  /** Prompts left out because the index was full (memory bound). */
  prompts_dropped: number;
  /** Prompt pairs where one is the other with a phrase of 1–8 tokens inserted (a prompt's first 8 pairs). */
  pairs: number;
  /** Distinct phrases among them (up to the counter's bound). */
  phrases: number;
}

/** Pass 1, per batch: target and prompt keys (0 = no target) and the preference pairs' signals. */
export interface Pass1Result {
  targetKeys: Uint32Array;
  promptKeys: Uint32Array;
  /** Token-sequence keys of prompts short enough to pair (0 = none): `promptSequenceKey`. */
  seqA: Uint32Array;
  seqB: Uint32Array;
  /** `i`: the item's index in its batch; `fromLine`: its id is only its line number. */
  preference: { i: number; id: string; signals: PreferenceSignals; fromLine?: boolean }[];
}

/** Pass 2, per batch: the sampled records of candidate groups and the inserted-phrase pairs found. */
export interface Pass2Result {
  records: GroupRecord[];
  pairs: InsertedPair[];
}

/** A phrase must switch at least this many pairs to one target (`InsertedPhraseCounter.results`). */
const INSERTED_MIN_SUPPORT = 3;

/** Pass 1, end: a worker's document-frequency sketch and how many records it saw. */
export interface DfCollect {
  df: Uint32Array;
  records: number;
}

export interface PrepassOptions {
  config: ScanConfig;
  pool: WorkerPool<TaskMsg, unknown>;
  batches: () => AsyncIterable<{ batch: Batch }>;
  /** Bytes of all inputs (sizes the document-frequency sketch). */
  totalBytes: number;
  /** Receives pass 1's target keys, in record order, for the later passes. */
  keys: TargetKeyStore;
  /** The inputs (pass 2 reads uncompressed JSONL by byte offset instead of reading it all again). */
  inputs: readonly InputInfo[];
  onProgress: (phase: 'poisoning pre-pass 1' | 'poisoning pre-pass 2', records: number, bytes: number) => void;
}

/**
 * Two streaming passes before the scan (see src/data/poison/analyze.ts for the same steps in one thread):
 * (1) count each response/label and its distinct prompts, and gather preference-pair signals; (2) for
 * targets repeated often enough to be a backdoor's, collect their prompts' n-grams and every record's
 * n-gram document frequencies (a count-min sketch per worker, merged here); then rank triggers and build
 * the checks. The scan itself (pass 3) matches records against the resulting plan.
 */
export async function runPoisonPrepass(o: PrepassOptions): Promise<PoisonPrepass> {
  const { config, pool } = o;
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  if (config.poisoning.enabled === false) return { enabled: false, skipped: 'disabled by the settings', prepassS: 0 };
  const opts = config.poisoning.options;
  // Document frequencies are counted in pass 1 already (so pass 2 reads only the candidate records); the
  // sketch is sized from the input size, since the record count is not known yet.
  const width = sketchWidthFor(o.totalBytes, opts);
  const dfShape = new TargetCounter().candidates(0, { ...opts, sketchWidth: width });
  await pool.broadcast({ kind: 'pass1-init', df: dfShape });
  const counter = new TargetCounter();
  const preference = new PreferenceAccumulator();
  // Short prompts' sequence keys → target, for the inserted-phrase search (shared with the workers).
  const prompts = PromptIndex.create(Math.ceil(o.totalBytes / 1000) * 2);
  const locations = new RecordLocations(o.inputs);
  let records = 0;
  let withTarget = 0;
  let bytes = 0;
  await runOrdered(pool, o.batches(), 'pass1', ({ batch }, r) => {
    const res = r as Pass1Result;
    const start = records;
    records += batch.items.length;
    for (const item of batch.items) bytes += item.bytes;
    for (let i = 0; i < res.targetKeys.length; i++) {
      const t = res.targetKeys[i] as number;
      if (res.seqA[i] !== 0) prompts.add(res.seqA[i] as number, res.seqB[i] as number, t);
      if (t === 0) continue;
      withTarget++;
      counter.add(t, res.promptKeys[i] as number);
    }
    for (const p of res.preference) preference.add(p.id, p.signals, start + p.i, p.fromLine === true);
    o.keys.append(res.targetKeys);
    locations.append(batch);
    o.onProgress('poisoning pre-pass 1', records, bytes);
  });
  if (withTarget === 0 && preference.pairs === 0 && config.poisoning.enabled === 'auto') {
    return {
      enabled: false,
      skipped: 'records carry no response, answer, label or preference pair (pass --poison to force)',
      prepassS: elapsed(),
    };
  }
  const dfs = (await pool.broadcast({ kind: 'pass1-collect' })) as DfCollect[];
  const groups: TargetGroups = counter.candidates(withTarget, { ...opts, sketchWidth: width });
  const miner = new TriggerMiner(groups, opts);
  for (const c of dfs) miner.addDf(c.df, c.records);
  await pool.broadcast({ kind: 'pass2-init', groups, prompts: prompts.buffer });
  records = 0;
  bytes = 0;
  // Pass 2 reads the records of candidate groups, and those whose target repeats often enough for an
  // inserted phrase to switch several pairs to it.
  const groupKeys = new Set(groups.groups.map((g) => g.key));
  const wanted = (key: number): boolean =>
    groupKeys.has(key) || (key !== 0 && counter.count(key) >= INSERTED_MIN_SUPPORT);
  const inserted = new InsertedPhraseCounter();
  let pairs = 0;
  const needed = groupKeys.size > 0 || counter.anyCountAtLeast(INSERTED_MIN_SUPPORT);
  const pass2 = !needed
    ? emptyBatches()
    : locations.usable && locations.length === o.keys.length
      ? locations.read(o.inputs, o.keys, wanted, config.batchRecords)
      : onlyTargets(withKeys(o.batches(), o.keys), wanted);
  await runOrdered(pool, pass2, 'pass2', ({ batch }, r) => {
    const res = r as Pass2Result;
    miner.addGroupRecords(res.records);
    for (const pair of res.pairs) inserted.add(pair);
    pairs += res.pairs.length;
    records += batch.items.length;
    for (const item of batch.items) bytes += item.bytes;
    o.onProgress('poisoning pre-pass 2', records, bytes);
  });
  const result = finalizePoisoning(
    {
      nRecords: miner.nRecords,
      mined: miner.mine(opts),
      inserted: inserted.results(miner.nRecords, (k) => counter.count(k), INSERTED_MIN_SUPPORT),
      groups: miner.groupSummaries(),
      preference: preference.pairs > 0 ? preference : undefined,
    },
    { ...opts, maxTokens: groups.maxTokens },
  );
  const insertedStats: InsertedStats = {
    prompts_indexed: prompts.size,
    prompts_dropped: prompts.dropped,
    pairs,
    phrases: inserted.size,
  };
  return { enabled: true, result, inserted: insertedStats, prepassS: elapsed() };
}

/** The pass-3 plan for the workers, plus the records flagged before pass 3 (by their place among all records). */
export function scanPlan(prepass: PoisonPrepass): { plan: MatchPlan; preflaggedAt: number[] } | undefined {
  return prepass.result ? { plan: prepass.result.plan, preflaggedAt: prepass.result.preflaggedAt ?? [] } : undefined;
}

/** Pass 3 on the main thread: the matched records of each trigger and check; resumable. */
export class PoisonCollector {
  private readonly records: PoisonRecords | undefined;

  constructor(
    private readonly prepass: PoisonPrepass,
    state?: unknown,
  ) {
    if (prepass.result) {
      this.records = new PoisonRecords(prepass.result);
      if (state !== undefined) this.records.restore(state);
    }
  }

  /** One record: `at` its place among all records, `fromLine` whether its id is only its line number. */
  add(id: string, triggers: readonly number[], checks: readonly number[], at: number, fromLine: boolean): void {
    this.records?.add(id, triggers, checks, at, fromLine);
  }

  get flagged(): number {
    return this.records?.flagged ?? 0;
  }

  state(): unknown {
    return this.records?.state();
  }

  report(quarantined: boolean): PoisoningReport {
    if (!this.records) {
      return {
        enabled: false,
        skipped: this.prepass.skipped,
        triggers: [],
        checks: [],
        flagged: 0,
        quarantined: false,
      };
    }
    return toPoisoningReport(this.records.finish(), this.records.flagged, quarantined, this.prepass.inserted);
  }
}

/** Count-min sketch width for an input of this size (records estimated at 200 bytes or more). */
function sketchWidthFor(totalBytes: number, opts: Record<string, unknown>): number {
  if (typeof opts.sketchWidth === 'number') return opts.sketchWidth;
  const records = Math.ceil(totalBytes / 200);
  return Math.min(1 << 21, Math.max(1 << 16, 2 ** Math.ceil(Math.log2(Math.max(1, records * 8)))));
}

async function* emptyBatches(): AsyncGenerator<{ batch: Batch }> {}

/** Pass 2 reads only the records whose target it wants; other records are left out. */
async function* onlyTargets(
  batches: AsyncIterable<{ batch: Batch }>,
  wanted: (targetKey: number) => boolean,
): AsyncGenerator<{ batch: Batch }> {
  for await (const { batch } of batches) {
    const keys = batch.targetKeys;
    if (!keys) continue;
    const items: Batch['items'] = [];
    const kept: number[] = [];
    for (let i = 0; i < batch.items.length; i++) {
      if (wanted(keys[i] as number)) {
        items.push(batch.items[i] as Batch['items'][number]);
        kept.push(keys[i] as number);
      }
    }
    if (items.length > 0) {
      // Filtered: its items are no longer consecutive records, so it has no `start`.
      const { start: _start, ...rest } = batch;
      yield { batch: { ...rest, items, targetKeys: Uint32Array.from(kept) } };
    }
  }
}

/** Every record's pass-1 target key, by its position in the whole input (4 bytes a record). */
export class TargetKeyStore {
  private keys = new Uint32Array(1024);
  length = 0;

  append(keys: Uint32Array): void {
    if (this.length + keys.length > this.keys.length) {
      const grown = new Uint32Array(Math.max(this.keys.length * 2, this.length + keys.length));
      grown.set(this.keys.subarray(0, this.length));
      this.keys = grown;
    }
    this.keys.set(keys, this.length);
    this.length += keys.length;
  }

  /** A copy of the keys of records `from` to `from + n` (empty past the end: pass 1 did not run). */
  slice(from: number, n: number): Uint32Array | undefined {
    if (from + n > this.length) return undefined;
    return this.keys.slice(from, from + n);
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.keys.buffer, 0, this.length * 4);
  }

  static from(bytes: Uint8Array): TargetKeyStore {
    const store = new TargetKeyStore();
    store.append(new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
    return store;
  }
}

/** Attaches the stored target keys to batches read from the start of the input. */
export async function* withKeys<T extends { batch: Batch }>(
  batches: AsyncIterable<T>,
  keys: TargetKeyStore,
  from = 0,
): AsyncGenerator<T> {
  let seq = from;
  for await (const b of batches) {
    b.batch.targetKeys = keys.slice(seq, b.batch.items.length);
    b.batch.start = seq;
    seq += b.batch.items.length;
    yield b;
  }
}
