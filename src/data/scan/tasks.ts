import { LifeguardError } from '../../core/errors.js';
import type { Finding } from '../../core/finding.js';
import {
  MIN_KEY_BYTES,
  type OperatorChoice,
  type OperatorMap,
  operatorsUsed,
  parseOperatorList,
  type RedactOptions,
  redact,
} from '../../core/redact/index.js';
import { type ScanOptions, scanText } from '../../core/scan.js';
import { createDefaultRegistry } from '../../detect/index.js';
import { createSketcher, type Sketcher } from '../dedup/index.js';
import { csvLine, jsonReplacer } from '../io/csv.js';
import { hasOwnId, ownId } from '../io/ids.js';
import { detectShape, promptSlotCount, type TextSlot, textsOf, withTexts } from '../io/shapes.js';
import type { FormatInfo } from '../io/types.js';
import {
  type InsertedPair,
  type Matcher,
  type MatchPlan,
  type PoisonView,
  PromptNgramCollector,
  poisonView,
  preferenceSignals,
  promptKey,
  type TargetGroups,
  targetKey,
  targetMatcher,
  triggerMatcher,
} from '../poison/index.js';
import { findInsertions, PAIR_TOKENS, PromptIndex, promptSequenceKey } from '../poison/prompt-index.js';
import { tokenHashes, tokenize } from '../poison/text.js';
import { type CompiledQualityOptions, checkQuality, compileQualityOptions } from '../quality.js';
import {
  type Batch,
  type BatchItem,
  type BatchStats,
  bump,
  emptyStats,
  KEPT,
  QUARANTINED,
  type ScanBatchResult,
} from './batch.js';
import { actionFor, type ScanConfig } from './config.js';
import type { DfCollect, Pass1Result, Pass2Result } from './poison-driver.js';
import type { Transferable } from './pool.js';

/** A kept JSONL record that is written exactly as it was read (the main thread has the line). */
export const AS_READ = '';

/** Settings every worker starts with. */
export interface WorkerInit {
  config: ScanConfig;
  /** Format of the kept output (the inputs'). */
  format: FormatInfo;
  /** CSV / Parquet columns of the output. */
  columns?: string[];
  csvDelimiter?: string;
  /** Key for the `hash` and `pseudonym` operators, read from the environment by the main thread. */
  redactKey?: string;
}

export type TaskMsg =
  | { kind: 'pass1-init'; df: TargetGroups }
  | { kind: 'pass1'; batch: Batch }
  | { kind: 'pass1-collect' }
  | { kind: 'pass2-init'; groups: TargetGroups; prompts?: SharedArrayBuffer }
  | { kind: 'pass2'; batch: Batch }
  | { kind: 'scan-init'; poison?: { plan: MatchPlan; preflaggedAt: number[] } }
  | { kind: 'scan'; batch: Batch };

/** Parsed record, or why it could not be read. */
type Parsed = { value: Record<string, unknown> } | { error: string };

function parseItem(item: BatchItem): Parsed {
  if (item.error !== undefined) return { error: item.error };
  if (item.value !== undefined) return { value: item.value };
  let parsed: unknown;
  try {
    parsed = JSON.parse(item.line ?? '');
  } catch (e) {
    return { error: `invalid JSON: ${(e as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { error: 'line is not a JSON object' };
  return { value: parsed as Record<string, unknown> };
}

/** A record's id as the scan reports it: its own id, prefixed with the file name when several inputs are scanned. */
export function idOf(value: Record<string, unknown> | undefined, index: number, prefix: string): string {
  return `${prefix}${ownId(value, index)}`;
}

/**
 * A readable record as `quarantine.jsonl` shows it: its JSONL line verbatim (it parsed, so it is valid
 * JSON as it stands), else the parsed value.
 */
export function originalJson(item: BatchItem): string {
  if (item.line !== undefined && item.error === undefined) return item.line.trim();
  if (item.value !== undefined) return JSON.stringify(item.value, jsonReplacer);
  return JSON.stringify(item.raw ?? item.line ?? '');
}

/**
 * Redaction settings that cannot work fail before any record is read: a missing key would otherwise
 * surface only at the first record with a finding, after the pre-passes, and a scan has no vault file.
 */
function assertOperatorsUsable(operator: OperatorChoice | OperatorMap, key: string | undefined, keyEnv: string): void {
  const used = operatorsUsed(operator);
  for (const name of ['hash', 'pseudonym']) {
    if (used.has(name) && Buffer.byteLength(key ?? '') < MIN_KEY_BYTES) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `the "${name}" operator needs a key of at least ${MIN_KEY_BYTES} bytes in $${keyEnv} (or --key-env NAME)`,
      );
    }
  }
  if (used.has('vault')) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      'data scan cannot use the "vault" operator (it has no vault file); use pseudonym or hash',
    );
  }
}

/** A malformed record as `quarantine.jsonl` shows it: its raw line (or the parsed value) as a JSON string. */
function rawJson(item: BatchItem): string {
  const raw = item.line ?? item.raw;
  if (raw !== undefined) return JSON.stringify(raw);
  try {
    return JSON.stringify(originalJson(item));
  } catch {
    return '""';
  }
}

/**
 * One `quarantine.jsonl` line. `at` (malformed records, and any record without an id of its own): the
 * record's 0-based line / row / file number, written as `line`, and whether its id is only that number
 * (`id_from_line`: it may equal a real id).
 */
export function quarantineLine(
  id: string,
  reasons: readonly string[],
  details: Record<string, unknown>,
  record: string,
  at?: { line: number; idFromLine: boolean },
): string {
  const where = at ? `,"line":${at.line}${at.idFromLine ? ',"id_from_line":true' : ''}` : '';
  return `{"id":${JSON.stringify(id)}${where},"reasons":${JSON.stringify(reasons)},"details":${JSON.stringify(details)},"record":${record}}\n`;
}

/** The worker's state and message handler; also used inline when the scan runs with zero workers. */
export function createTaskHandler(init: WorkerInit): (msg: TaskMsg) => Transferable<unknown> {
  const { config } = init;
  const detectors = createDefaultRegistry().resolve(config.detectors);
  const scanOptions: ScanOptions = {
    detectors,
    fast: config.fast,
    decode: config.decode,
    minScore: config.minScore,
    thresholds: config.thresholds,
  };
  const operator: OperatorChoice | OperatorMap = parseOperatorList(config.redact.operator);
  assertOperatorsUsable(operator, init.redactKey, config.redact.keyEnv);
  const redactOptions: RedactOptions = { operator, key: init.redactKey };
  const quality: CompiledQualityOptions | undefined = config.quality.enabled
    ? compileQualityOptions(config.quality.options)
    : undefined;
  const sketcher: Sketcher | undefined = config.dedup.enabled
    ? createSketcher({
        shingle: config.dedup.shingle,
        bands: config.dedup.bands,
        rows: config.dedup.rows,
        seed: config.dedup.seed,
        promptWords: config.dedup.promptWords,
      })
    : undefined;
  // The quality pass hashes each record's words for the sketch too (one walk over the text, not two).
  const words = quality && sketcher ? sketcher.wordSink() : undefined;
  const viewOptions = { labelField: config.labelField, textField: config.textField };
  const shapeOptions = { textField: config.textField };
  let collector: PromptNgramCollector | undefined;
  let dfCollector: PromptNgramCollector | undefined;
  // Pass 2: the main thread's prompt index (shared memory), to find phrases inserted into prompts.
  let prompts: PromptIndex | undefined;
  let poison:
    | {
        triggers: Matcher;
        checks: Matcher;
        plan: MatchPlan;
        /** Records flagged before the scan, by their place in the whole input (not by id: ids may repeat). */
        preflaggedAt: Set<number>;
        targets: Set<number>;
      }
    | undefined;

  const viewOf = (value: Record<string, unknown>): PoisonView | undefined =>
    poisonView(value, detectShape(value, shapeOptions), viewOptions);

  function pass1(batch: Batch): Transferable<Pass1Result> {
    const df = dfCollector;
    if (!df) throw new Error('pass1 before pass1-init');
    const n = batch.items.length;
    const targetKeys = new Uint32Array(n);
    const promptKeys = new Uint32Array(n);
    // Each short prompt's token-sequence key (0: none), for the inserted-phrase pairs of pass 2.
    const seqA = new Uint32Array(n);
    const seqB = new Uint32Array(n);
    const preference: Pass1Result['preference'] = [];
    batch.items.forEach((item, i) => {
      const p = parseItem(item);
      if (!('value' in p)) return;
      const view = viewOf(p.value);
      if (!view) return;
      const key = targetKey(view);
      targetKeys[i] = key;
      promptKeys[i] = promptKey(view);
      // Every prompt's n-grams go into this worker's document-frequency sketch.
      const tokens = tokenize(view.prompt, df.tokenCap);
      const hashes = tokenHashes(tokens.tokens);
      df.observe(view, { targetKey: key, tokens, hashes });
      if (tokens.total > 0 && tokens.total <= PAIR_TOKENS) [seqA[i], seqB[i]] = promptSequenceKey(hashes);
      const signals = preferenceSignals(view);
      if (signals) {
        const fromLine = !hasOwnId(p.value);
        preference.push({ i, id: idOf(p.value, item.index, batch.prefix), signals, ...(fromLine ? { fromLine } : {}) });
      }
    });
    return {
      result: { targetKeys, promptKeys, seqA, seqB, preference },
      transfer: [targetKeys.buffer, promptKeys.buffer, seqA.buffer, seqB.buffer] as ArrayBuffer[],
    };
  }

  function pass2(batch: Batch): Transferable<Pass2Result> {
    const c = collector;
    if (!c) throw new Error('pass2 before pass2-init');
    const pairs: InsertedPair[] = [];
    batch.items.forEach((item, i) => {
      const p = parseItem(item);
      if (!('value' in p)) return;
      const view = viewOf(p.value);
      if (!view) return;
      const key = batch.targetKeys?.[i] ?? targetKey(view);
      const tokens = tokenize(view.prompt, c.tokenCap);
      const hashes = tokenHashes(tokens.tokens);
      if (c.isGroup(key)) c.observe(view, { targetKey: key, tokens, hashes });
      if (prompts && tokens.total <= PAIR_TOKENS) {
        for (const pair of findInsertions(tokens, hashes, prompts, { key, text: view.target })) pairs.push(pair);
      }
    });
    return { result: { records: c.drainGroupRecords(), pairs } };
  }

  function scan(batch: Batch): Transferable<ScanBatchResult> {
    const n = batch.items.length;
    const stats = emptyStats();
    const ids: string[] = new Array(n);
    const fromLine = new Uint8Array(n);
    const status = new Uint8Array(n);
    const kept: ScanBatchResult['kept'] = new Array(n).fill(null);
    const quarantine: ScanBatchResult['quarantine'] = new Array(n).fill(null);
    // Sketches of kept records, written in place (one buffer per batch, transferred back).
    const size = sketcher?.bytes ?? 0;
    const sketchBuf = new Uint8Array(n * size);
    let sketched = 0;
    const poisonHits: ScanBatchResult['poison'] = [];
    const quarantineMalformed = (
      i: number,
      item: BatchItem,
      value: Record<string, unknown> | undefined,
      error: string,
    ): void => {
      const id = idOf(value, item.index, batch.prefix);
      ids[i] = id;
      status[i] = QUARANTINED;
      stats.malformed++;
      bump(stats.reasons, 'malformed');
      const at = { line: item.index, idFromLine: !hasOwnId(value) };
      fromLine[i] = at.idFromLine ? 1 : 0;
      quarantine[i] = quarantineLine(id, ['malformed'], { error }, rawJson(item), at);
    };
    const scanParsed = (item: BatchItem, i: number, value: Record<string, unknown>): void => {
      const id = idOf(value, item.index, batch.prefix);
      ids[i] = id;
      // A record without an id of its own is named by its line number, which a real record may also carry.
      const idFromLine = !hasOwnId(value);
      if (idFromLine) fromLine[i] = 1;
      const outcome = scanRecord(value, stats);
      if (poison) {
        // Only records whose target some trigger or check names can match: skip the rest cheaply.
        const key = batch.targetKeys?.[i];
        const view = key === undefined || poison.targets.has(key) ? viewOf(value) : undefined;
        const t = view ? poison.triggers.match(view) : [];
        const c = view ? poison.checks.match(view) : [];
        if (t.length > 0 || c.length > 0) poisonHits.push({ i, t, c });
        const flagged =
          (batch.start !== undefined && poison.preflaggedAt.has(batch.start + i)) ||
          t.some((k) => poison?.plan.triggers[k]?.flag !== false) ||
          c.some((k) => poison?.plan.checks[k]?.flag === true);
        if (flagged && config.poisoning.quarantine) {
          outcome.reasons.push('poison');
          if (t.length > 0) outcome.details.poison_triggers = t;
          if (c.length > 0) outcome.details.poison_checks = c;
          stats.poisonQuarantined++;
        }
      }
      if (outcome.reasons.length > 0) {
        const at = idFromLine ? { line: item.index, idFromLine } : undefined;
        quarantine[i] = quarantineLine(id, outcome.reasons, outcome.details, originalJson(item), at);
        status[i] = QUARANTINED;
        for (const r of outcome.reasons) bump(stats.reasons, r);
        return;
      }
      kept[i] = serialise(outcome.redacted ? outcome.value : value, outcome.redacted ? undefined : item);
      if (sketcher) {
        const at = sketched * size;
        if (words) sketcher.sketchWordsInto(words, outcome.dedupText, sketchBuf, at, outcome.promptLength);
        else sketcher.sketchInto(outcome.dedupText, sketchBuf, at, outcome.promptLength);
        sketched++;
      }
      status[i] = KEPT;
      if (outcome.redacted) stats.redacted++;
    };
    batch.items.forEach((item, i) => {
      stats.bytes += item.bytes;
      const parsed = parseItem(item);
      if (!('value' in parsed)) {
        quarantineMalformed(i, item, undefined, parsed.error);
        return;
      }
      try {
        scanParsed(item, i, parsed.value);
      } catch (e) {
        // A settings error (LifeguardError) fails the scan. Any other error is this record's: JSON nested
        // thousands deep overflows the stack when serialised. Quarantine it rather than fail the whole
        // scan; nothing of it was kept or sketched. A text over a classifier's size limit is the record's too.
        if (LifeguardError.isInstance(e) && e.code !== 'LG_ERR_INPUT_TOO_LARGE') throw e;
        kept[i] = null;
        if (poisonHits.at(-1)?.i === i) poisonHits.pop();
        quarantineMalformed(i, item, parsed.value, `cannot process the record: ${(e as Error).message}`);
      }
    });
    const sketches = sketchBuf.subarray(0, sketched * size);
    return {
      result: { ids, fromLine, status, kept, quarantine, sketches, poison: poisonHits, stats },
      transfer: [sketches.buffer as ArrayBuffer, fromLine.buffer as ArrayBuffer],
    };
  }

  interface Outcome {
    reasons: string[];
    details: Record<string, unknown>;
    redacted: boolean;
    value: Record<string, unknown>;
    dedupText: string;
    /** Length of the prompt part at the start of `dedupText`; -1 for single-part records. */
    promptLength: number;
  }

  function scanRecord(value: Record<string, unknown>, stats: BatchStats): Outcome {
    const shape = detectShape(value, shapeOptions);
    const slots: TextSlot[] = textsOf(value, shape, shapeOptions);
    const outcome: Outcome = { reasons: [], details: {}, redacted: false, value, dedupText: '', promptLength: -1 };
    if (slots.length === 0) {
      outcome.reasons.push('no-text');
      outcome.details.shape = shape;
      return outcome;
    }
    const quarantineTypes = new Set<string>();
    const replacements = new Map<string, string>();
    let anyFinding = false;
    for (const slot of slots) {
      const findings = scanText(slot.text, scanOptions);
      if (findings.length === 0) continue;
      anyFinding = true;
      const toRedact: Finding[] = [];
      for (const f of findings) {
        bump(stats.findingsByType, f.type);
        bump(stats.findingsByDetector, f.detector);
        const action = actionFor(config.actions, f.type);
        if (action === 'quarantine') quarantineTypes.add(f.type);
        else if (action === 'redact') toRedact.push(f);
      }
      if (toRedact.length > 0 && quarantineTypes.size === 0) {
        replacements.set(slot.path, redact(slot.text, toRedact, redactOptions).text);
      }
    }
    if (anyFinding) stats.recordsWithFindings++;
    if (quarantineTypes.size > 0) {
      for (const t of [...quarantineTypes].sort()) outcome.reasons.push(`finding:${t}`);
      stats.findingsQuarantined++;
    }
    const joined = slots.length === 1 ? (slots[0] as TextSlot).text : slots.map((s) => s.text).join('\n');
    if (quality) {
      const q = checkQuality(joined, quality, words);
      if (!q.ok) {
        stats.lowQuality++;
        for (const rule of q.failed) bump(stats.qualityFailed, rule);
        if (config.quality.action === 'quarantine') {
          for (const rule of q.failed) outcome.reasons.push(`quality:${rule}`);
        }
      }
    }
    if (outcome.reasons.length === 0 && replacements.size > 0) {
      outcome.value = withTexts(value, replacements);
      outcome.redacted = true;
    }
    outcome.dedupText = joined;
    const promptSlots = promptSlotCount(shape, slots);
    if (promptSlots > 0) {
      let len = promptSlots - 1; // the line breaks between them
      for (let k = 0; k < promptSlots; k++) len += (slots[k] as TextSlot).text.length;
      outcome.promptLength = len;
    }
    return outcome;
  }

  /** The kept output: an unchanged JSONL line is passed through byte for byte. */
  function serialise(
    value: Record<string, unknown>,
    unchanged: BatchItem | undefined,
  ): string | Record<string, unknown> {
    switch (init.format.format) {
      case 'jsonl':
        // The main thread still holds the line: say "as read" instead of sending it back.
        if (unchanged?.line !== undefined) return AS_READ;
        return `${JSON.stringify(value, jsonReplacer)}\n`;
      case 'csv':
        return `${csvLine(
          (init.columns ?? Object.keys(value)).map((c) => value[c]),
          init.csvDelimiter,
        )}\r\n`;
      default:
        return value;
    }
  }

  return (msg: TaskMsg): Transferable<unknown> => {
    switch (msg.kind) {
      case 'pass1':
        return pass1(msg.batch);
      case 'pass2-init':
        collector = new PromptNgramCollector(msg.groups);
        prompts = msg.prompts ? PromptIndex.attach(msg.prompts) : undefined;
        return { result: null };
      case 'pass2':
        return pass2(msg.batch);
      case 'pass1-init':
        dfCollector = new PromptNgramCollector(msg.df);
        return { result: null };
      case 'pass1-collect': {
        const result: DfCollect = {
          df: dfCollector?.dfSketch() ?? new Uint32Array(0),
          records: dfCollector?.records ?? 0,
        };
        dfCollector = undefined;
        return { result, transfer: [result.df.buffer as ArrayBuffer] };
      }
      case 'scan-init': {
        collector = undefined;
        prompts = undefined;
        const p = msg.poison;
        poison = p
          ? {
              triggers: triggerMatcher(p.plan.triggers, p.plan.maxTokens),
              checks: targetMatcher(p.plan.checks),
              plan: p.plan,
              preflaggedAt: new Set(p.preflaggedAt),
              targets: new Set([...p.plan.triggers.map((t) => t.targetKey), ...p.plan.checks.map((c) => c.targetKey)]),
            }
          : undefined;
        return { result: null };
      }
      case 'scan':
        return scan(msg.batch);
    }
  };
}
