import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import { operatorsUsed, parseOperatorList } from '../../core/redact/operator-list.js';
import { type DedupDecision, DedupIndex, sketchLength } from '../dedup/index.js';
import { splitLines } from '../io/lines.js';
import { addStats, type Batch, emptyStats, KEPT, type ScanBatchResult } from './batch.js';
import {
  CHECKPOINT_VERSION,
  type Checkpoint,
  fingerprintOf,
  type KeyFingerprint,
  keyFingerprint,
  keyMatches,
  readCheckpoint,
  writeDurably,
  writeJsonAtomic,
} from './checkpoint.js';
import { resolveScanConfig, type ScanConfig, type ScanConfigInput } from './config.js';
import { IdStore } from './id-store.js';
import {
  assertInputsApartFromOutputs,
  type BatchOptions,
  describeInputs,
  type InputInfo,
  type InputPosition,
  readBatches,
} from './inputs.js';
import { type KeptSink, keptFileName, openKeptSink, SegmentFile } from './outputs.js';
import {
  PoisonCollector,
  type PoisonPrepass,
  runPoisonPrepass,
  scanPlan,
  TargetKeyStore,
  withKeys,
} from './poison-driver.js';
import { runOrdered, WorkerPool } from './pool.js';
import { buildReport, type ClusterState } from './report.js';
import type { DataScanReport } from './report-types.js';
import { AS_READ, createTaskHandler, originalJson, quarantineLine, type TaskMsg, type WorkerInit } from './tasks.js';

export interface ScanProgress {
  phase: 'poisoning pre-pass 1' | 'poisoning pre-pass 2' | 'scan';
  records: number;
  bytes: number;
  /** Bytes of all inputs on disk (compressed inputs: their compressed size). */
  totalBytes: number;
  elapsedS: number;
}

export interface ScanCorpusOptions {
  inputs: readonly string[];
  outDir: string;
  /** Settings (validated and defaulted with {@link resolveScanConfig}). */
  config?: ScanConfigInput;
  /** Continue the interrupted scan whose checkpoint is in `outDir`. */
  resume?: boolean;
  onProgress?: (p: ScanProgress) => void;
  /** Key for `hash` / `pseudonym` redaction; else read from the environment variable the config names. */
  redactKey?: string;
}

/** The hidden folder in OUT with checkpoint state. */
export const STATE_DIR = '.lifeguard-scan';

const BATCH_BYTES = 1024 * 1024;

/**
 * `lifeguard data scan` as a library call: reads every input, checks each record (detectors, actions,
 * quality, dedup, poisoning), writes `kept.<format>`, `quarantine.jsonl`, `report.json` and returns the
 * report. Records are processed on worker threads and written in input order; memory stays bounded by
 * the batches in flight and one output segment. Every `checkpointRecords` records (or
 * `checkpointBytes`) the outputs are made durable and a checkpoint is written, from which `resume`
 * continues after any interruption, `kill -9` included, producing the same output files.
 */
export async function scanCorpus(options: ScanCorpusOptions): Promise<DataScanReport> {
  const config = resolveScanConfig(options.config);
  const { inputs, format, columns } = await describeInputs(options.inputs);
  assertInputsApartFromOutputs(inputs, options.outDir, [
    keptFileName(format),
    'quarantine.jsonl',
    'report.json',
    'report.html',
    STATE_DIR,
  ]);
  const stateDir = join(options.outDir, STATE_DIR);
  const cpPath = join(stateDir, 'checkpoint.json');
  const fingerprint = fingerprintOf(config, inputs);
  const redactKey = options.redactKey ?? process.env[config.redact.keyEnv];
  let cp: Checkpoint | undefined;
  if (options.resume) {
    cp = await readCheckpoint(cpPath);
    if (!cp) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `${options.outDir}: nothing to resume (no checkpoint); run without --resume`,
      );
    }
    if (cp.fingerprint !== fingerprint) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `${options.outDir}: the checkpoint belongs to other settings or inputs that changed since; run without --resume to start over`,
      );
    }
    await assertSameKey(cp, config, redactKey, options.outDir);
    // A finished scan has nothing left to do (Parquet's spool is gone): its outputs and report stand as written.
    const finished = cp.done ? await readJson<DataScanReport>(join(options.outDir, 'report.json')) : undefined;
    if (finished) return finished;
  } else {
    await rm(stateDir, { recursive: true, force: true });
  }
  await mkdir(stateDir, { recursive: true });
  const keyCheck = cp ? cp.redactKey : await keyCheckFor(config, redactKey);

  const init: WorkerInit = { config, format, columns, redactKey };
  const here = import.meta.url;
  const workerUrl = new URL(here.endsWith('.ts') ? './worker.ts' : './worker.js', here);
  // Fail fast on bad settings (unknown detector, operator needing a key) before any thread starts.
  const inlineHandler = createTaskHandler(init);
  const pool = new WorkerPool<TaskMsg, unknown>({
    size: config.workers,
    workerUrl,
    workerData: init,
    inline: () => inlineHandler,
  });
  const run = new ScanRun(config, inputs, options, pool, stateDir, fingerprint, keyCheck);
  try {
    return await run.execute(cp, { format, columns });
  } finally {
    await pool.close();
  }
}

/** The redaction key shapes the outputs only through the hash and pseudonym operators. */
function keyShapesOutput(config: ScanConfig): boolean {
  const used = operatorsUsed(parseOperatorList(config.redact.operator));
  return used.has('hash') || used.has('pseudonym');
}

/** What a fresh scan's checkpoints record of its key: nothing when no operator uses one. */
async function keyCheckFor(config: ScanConfig, key: string | undefined): Promise<KeyFingerprint | undefined> {
  return key && keyShapesOutput(config) ? keyFingerprint(key) : undefined;
}

/**
 * A resume must use the key the scan started with: the settings fingerprint cannot see it (the key is not a
 * setting), and another key would silently mix two keys' hashes and pseudonyms in one output. A missing key
 * is left to the operators' own check, which names it.
 */
async function assertSameKey(
  cp: Checkpoint,
  config: ScanConfig,
  key: string | undefined,
  outDir: string,
): Promise<void> {
  if (!key || !keyShapesOutput(config)) return;
  const refuse = (why: string) =>
    new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `${outDir}: ${why}; resume with the key the scan started with ($${config.redact.keyEnv}), or run without --resume to start over`,
    );
  if (cp.redactKey === undefined) {
    throw refuse('the checkpoint does not record which redaction key made its outputs (an older Lifeguard wrote it)');
  }
  if (!(await keyMatches(cp.redactKey, key))) {
    throw refuse(
      'the redaction key differs from the one the checkpoint was made with (it would mix two keys in one output)',
    );
  }
}

class ScanRun {
  private readonly totalBytes: number;
  private readonly batchOptions: BatchOptions;
  private started = performance.now();
  private readonly cpuAtStart = process.cpuUsage();

  constructor(
    private readonly config: ScanConfig,
    private readonly inputs: InputInfo[],
    private readonly options: ScanCorpusOptions,
    private readonly pool: WorkerPool<TaskMsg, unknown>,
    private readonly stateDir: string,
    private readonly fingerprint: string,
    private readonly keyCheck: KeyFingerprint | undefined,
  ) {
    this.totalBytes = inputs.reduce((n, i) => n + i.size, 0);
    this.batchOptions = {
      batchRecords: config.batchRecords,
      batchBytes: BATCH_BYTES,
      maxRecordBytes: config.maxRecordBytes,
      avoid: options.outDir,
    };
  }

  async execute(
    resumeFrom: Checkpoint | undefined,
    out: { format: WorkerInit['format']; columns?: string[] },
  ): Promise<DataScanReport> {
    const { config, stateDir } = this;
    const outDir = this.options.outDir;
    const startedAt = resumeFrom?.startedAt ?? new Date().toISOString();
    const elapsedBefore = resumeFrom?.elapsedS ?? 0;

    const sizes = resumeFrom?.sizes;
    const kept: KeptSink = await openKeptSink({
      outDir,
      stateDir,
      format: out.format,
      columns: out.columns,
      textField: config.textField,
      resumeAt: sizes?.kept,
    });
    const quarantine = await SegmentFile.open(join(outDir, 'quarantine.jsonl'), 'none', sizes?.quarantine);
    const sketchLog = await SegmentFile.open(join(stateDir, 'sketches.bin'), 'none', sizes?.sketches);
    const idLog = await SegmentFile.open(join(stateDir, 'dedup-ids.jsonl'), 'none', sizes?.dedupIds);

    const sketchBytes = sketchLength(this.dedupOptions());
    const index = config.dedup.enabled
      ? new DedupIndex({
          ...this.dedupOptions(),
          near: config.dedup.near,
          // Tables sized up front (records of ~1 KB) instead of doubling their way up.
          expectedRepresentatives: Math.min(4_000_000, Math.max(1024, Math.ceil(this.totalBytes / 1024))),
        })
      : undefined;
    const dedupIds = new IdStore();
    const clusters = new Map<number, ClusterState>();
    const clusterOrder: ClusterState[] = [];
    const recordDuplicate = (
      ordinal: number,
      id: string,
      fromLine: boolean,
      d: DedupDecision,
    ): ClusterState | undefined => {
      if (dedupIds.push(id, fromLine) !== ordinal) {
        throw new Error(`internal error: dedup ordinal ${ordinal} out of order`);
      }
      if (d.kind === 'unique') return undefined;
      let c = clusters.get(d.rep);
      if (!c) {
        c = {
          id: `dup-${String(clusterOrder.length + 1).padStart(6, '0')}`,
          kind: 'exact',
          representative: dedupIds.get(d.rep),
          members: [],
          memberKinds: [],
          representativeFromLine: dedupIds.isFromLine(d.rep),
          memberFromLine: [],
        };
        clusters.set(d.rep, c);
        clusterOrder.push(c);
      }
      if (d.kind === 'near') c.kind = 'near';
      c.members.push(id);
      c.memberKinds.push(d.kind);
      c.memberFromLine.push(fromLine);
      return c;
    };

    let ordinal = 0;
    if (resumeFrom && index) {
      // Rebuild the dedup index by replaying the logged sketches: the same decisions, the same clusters.
      ordinal = await replayDedup(stateDir, resumeFrom.dedupOrdinal, sketchBytes, (k, id, fromLine, sketch) => {
        recordDuplicate(k, id, fromLine, index.add(k, sketch));
      });
    }

    const stats = resumeFrom?.stats ?? emptyStats();
    let prepass: PoisonPrepass = { enabled: false, prepassS: 0 };
    let poison = new PoisonCollector(prepass);
    const fileRecords: number[] = resumeFrom?.fileRecords ?? this.inputs.map(() => 0);
    let position: InputPosition = resumeFrom?.position ?? { file: 0, consumed: 0 };
    let records = resumeFrom?.records ?? 0;
    let keptCount = resumeFrom?.kept ?? 0;
    let quarantinedCount = resumeFrom?.quarantined ?? 0;
    let sinceRecords = 0;
    let sinceBytes = 0;
    this.started = performance.now();

    // At most one checkpoint is being written while the scan goes on: its state is taken synchronously,
    // at a batch boundary, and its files are appended and fsynced in the background.
    let writing: Promise<void> = Promise.resolve();
    const checkpoint = async (done: boolean, wait = true): Promise<void> => {
      await writing;
      const segments = {
        kept: kept.snapshot(),
        quarantine: quarantine.snapshot(),
        sketches: sketchLog.snapshot(),
        dedupIds: idLog.snapshot(),
      };
      const state: Omit<Checkpoint, 'sizes'> = {
        version: CHECKPOINT_VERSION,
        fingerprint: this.fingerprint,
        done,
        startedAt,
        elapsedS: elapsedBefore + (performance.now() - this.started) / 1000,
        prepassS: prepass.prepassS,
        position: { ...position },
        records,
        kept: keptCount,
        quarantined: quarantinedCount,
        dedupOrdinal: ordinal,
        stats: structuredClone(stats),
        poisonState: structuredClone(poison.state()),
        fileRecords: [...fileRecords],
        redactKey: this.keyCheck,
      };
      sinceRecords = 0;
      sinceBytes = 0;
      writing = (async () => {
        const [k, q, s, d] = await Promise.all([
          segments.kept(),
          segments.quarantine(),
          segments.sketches(),
          segments.dedupIds(),
        ]);
        const cp: Checkpoint = { ...state, sizes: { kept: k, quarantine: q, sketches: s, dedupIds: d } };
        await writeJsonAtomic(join(stateDir, 'checkpoint.json'), cp);
      })().catch((e: unknown) => {
        throw outputWriteError(outDir, e);
      });
      writing.catch(() => {}); // awaited by the next checkpoint; this only marks it handled meanwhile
      if (wait) await writing;
    };

    // Poisoning pre-passes: once per scan; their result survives a resume.
    const prepassPath = join(stateDir, 'prepass.json');
    const keysPath = join(stateDir, 'target-keys.bin');
    const saved = resumeFrom ? await readJson<PoisonPrepass>(prepassPath) : undefined;
    let keys = new TargetKeyStore();
    if (saved) {
      prepass = saved;
      if (prepass.result) keys = TargetKeyStore.from(await readFile(keysPath));
    } else {
      // A checkpoint from the very start, so that a scan killed during the pre-passes can be resumed.
      if (!resumeFrom) await checkpoint(false);
      prepass = await runPoisonPrepass({
        config,
        pool: this.pool,
        batches: () => readBatches(this.inputs, { file: 0, consumed: 0 }, this.batchOptions),
        onProgress: (phase, records, bytes) => this.progress(phase, records, bytes, elapsedBefore),
        totalBytes: this.totalBytes,
        keys,
        inputs: this.inputs,
      });
      // The keys file first: prepass.json's presence says both are complete.
      await writeDurably(keysPath, keys.bytes());
      await writeJsonAtomic(prepassPath, prepass);
    }
    poison = new PoisonCollector(prepass, saved ? resumeFrom?.poisonState : undefined);
    await this.pool.broadcast({ kind: 'scan-init', poison: scanPlan(prepass) });

    const handle = (batch: Batch, fileIndex: number, r: ScanBatchResult): void => {
      fileRecords[fileIndex] = (fileRecords[fileIndex] ?? 0) + batch.items.length;
      addStats(stats, r.stats);
      let s = 0;
      // Every kept record's sketch goes to dedup, in order: log the batch's sketches in one piece.
      if (index && r.sketches.length > 0) {
        sketchLog.add(Buffer.from(r.sketches.buffer, r.sketches.byteOffset, r.sketches.byteLength));
      }
      const ids: string[] = [];
      const keptOf = (i: number) => (r.kept[i] === AS_READ ? `${batch.items[i]?.line}\n` : (r.kept[i] as string));
      for (let i = 0; i < batch.items.length; i++) {
        const id = r.ids[i] as string;
        const fromLine = r.fromLine[i] === 1;
        if (r.status[i] !== KEPT) {
          quarantine.add(r.quarantine[i] as string);
          quarantinedCount++;
          continue;
        }
        if (!index) {
          kept.add(keptOf(i));
          keptCount++;
          continue;
        }
        const at = s * sketchBytes;
        s++;
        const k = ordinal++;
        ids.push(idLogLine(id, fromLine));
        const decision = index.add(k, r.sketches, at);
        const cluster = recordDuplicate(k, id, fromLine, decision);
        if (cluster && config.dedup.action === 'quarantine') {
          const reason = decision.kind === 'exact' ? 'duplicate:exact' : 'duplicate:near';
          stats.reasons[reason] = (stats.reasons[reason] ?? 0) + 1;
          // An exact duplicate also names the earliest record with its text: the representative, or an earlier
          // record that was itself removed as a near duplicate of it.
          const exactOf = decision.kind === 'exact' ? (decision.copyOf ?? decision.rep) : undefined;
          quarantine.add(
            quarantineLine(
              id,
              [reason],
              {
                duplicate_of: cluster.representative,
                cluster: cluster.id,
                similarity: decision.kind === 'unique' ? 1 : Math.round(decision.similarity * 1000) / 1000,
                ...(exactOf !== undefined ? { exact_of: dedupIds.get(exactOf) } : {}),
                // Either named record may have no id of its own: its id is then only its line number.
                ...(dedupIds.isFromLine(decision.rep) ? { duplicate_of_id_from_line: true } : {}),
                ...(exactOf !== undefined && dedupIds.isFromLine(exactOf) ? { exact_of_id_from_line: true } : {}),
              },
              originalJson(batch.items[i] as Batch['items'][number]),
              fromLine ? { line: (batch.items[i] as Batch['items'][number]).index, idFromLine: true } : undefined,
            ),
          );
          quarantinedCount++;
        } else {
          kept.add(keptOf(i));
          keptCount++;
        }
      }
      if (prepass.result) {
        let h = 0;
        for (let i = 0; i < batch.items.length; i++) {
          const hit = r.poison[h]?.i === i ? r.poison[h++] : undefined;
          poison.add(r.ids[i] as string, hit?.t ?? [], hit?.c ?? [], records + i, r.fromLine[i] === 1);
        }
      }
      if (ids.length > 0) idLog.add(`${ids.join('\n')}\n`);
      records += batch.items.length;
      sinceRecords += batch.items.length;
      sinceBytes += r.stats.bytes;
    };

    const source = readBatches(this.inputs, position, this.batchOptions);
    await runOrdered(this.pool, prepass.result ? withKeys(source, keys, records) : source, 'scan', async (b, r) => {
      handle(b.batch, b.fileIndex, r as ScanBatchResult);
      position = { file: b.fileIndex, consumed: b.consumedAfter };
      this.progress('scan', records, stats.bytes, elapsedBefore);
      if (sinceRecords >= config.checkpointRecords || sinceBytes >= config.checkpointBytes) {
        await checkpoint(false, false);
      }
    });
    await checkpoint(false);
    await kept.finish();

    const elapsedS = elapsedBefore + (performance.now() - this.started) / 1000;
    const report = buildReport({
      config,
      inputs: this.inputs,
      startedAt,
      resumed: resumeFrom !== undefined,
      counts: { in: records, kept: keptCount, quarantined: quarantinedCount },
      stats,
      clusters: clusterOrder,
      prepassS: prepass.prepassS,
      poisoning: poison.report(config.poisoning.quarantine),
      elapsedS,
      cpuS: cpuSecondsSince(this.cpuAtStart),
      workers: this.pool.size,
      fileRecords,
    });
    await writeFile(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    const { renderDataScanHtml } = await import('../../report/data-report-html.js');
    await writeFile(join(outDir, 'report.html'), await renderDataScanHtml(report));
    await checkpoint(true);
    await kept.discard();
    if (report.counts.in !== report.counts.kept + report.counts.quarantined) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        'internal error: records in != kept + quarantined; please report',
      );
    }
    return report;
  }

  private dedupOptions() {
    const d = this.config.dedup;
    return {
      shingle: d.shingle,
      bands: d.bands,
      rows: d.rows,
      threshold: d.threshold,
      seed: d.seed,
      promptWords: d.promptWords,
      promptDiff: d.promptDiff,
    };
  }

  private progress(phase: ScanProgress['phase'], records: number, bytes: number, elapsedBefore: number): void {
    this.options.onProgress?.({
      phase,
      records,
      bytes,
      totalBytes: this.totalBytes,
      elapsedS: elapsedBefore + (performance.now() - this.started) / 1000,
    });
  }
}

/**
 * A failed output write (a full disk, a quota, an I/O error) as one clear error. The last checkpoint on
 * disk is still whole (it is replaced atomically after the data it counts), so the scan can go on.
 */
function outputWriteError(outDir: string, e: unknown): LifeguardError {
  if (LifeguardError.isInstance(e)) return e;
  return new LifeguardError(
    'LG_ERR_INPUT_INVALID',
    `cannot write the scan output in ${outDir}: ${(e as Error).message}; make room, then continue with --resume`,
    { cause: e },
  );
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * One line of `dedup-ids.jsonl`: the id as a JSON string, or `[id, 1]` when the id is only the record's line
 * number (checkpoint version 4; version 3 logged only strings and is not resumed).
 */
function idLogLine(id: string, fromLine: boolean): string {
  return fromLine ? `[${JSON.stringify(id)},1]` : JSON.stringify(id);
}

function parseIdLogLine(text: string): { id: string; fromLine: boolean } {
  const v = JSON.parse(text) as unknown;
  if (typeof v === 'string') return { id: v, fromLine: false };
  if (Array.isArray(v) && typeof v[0] === 'string') return { id: v[0], fromLine: v[1] === 1 };
  throw new LifeguardError('LG_ERR_INPUT_INVALID', 'checkpoint state is damaged: an unreadable dedup id');
}

/** Re-adds the first `count` logged sketches in order; returns how many were replayed. */
async function replayDedup(
  stateDir: string,
  count: number,
  sketchBytes: number,
  add: (ordinal: number, id: string, fromLine: boolean, sketch: Uint8Array) => void,
): Promise<number> {
  const ids = splitLines(createReadStream(join(stateDir, 'dedup-ids.jsonl')), 1 << 20)[Symbol.asyncIterator]();
  let k = 0;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(join(stateDir, 'sketches.bin'))) {
    carry = carry.length === 0 ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
    let off = 0;
    while (carry.length - off >= sketchBytes && k < count) {
      const line = await ids.next();
      if (line.done)
        throw new LifeguardError('LG_ERR_INPUT_INVALID', 'checkpoint state is damaged: fewer ids than sketches');
      const { id, fromLine } = parseIdLogLine(line.value.text);
      add(k++, id, fromLine, new Uint8Array(carry.subarray(off, off + sketchBytes)));
      off += sketchBytes;
    }
    carry = Buffer.from(carry.subarray(off));
  }
  if (k !== count)
    throw new LifeguardError('LG_ERR_INPUT_INVALID', 'checkpoint state is damaged: sketches are missing');
  return k;
}
