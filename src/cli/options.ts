import type { Command } from 'commander';
import type { ScanOptions } from '../core/scan.js';
import { createDefaultRegistry, DEFAULT_DETECTOR_IDS } from '../detect/index.js';
import { fieldFlag, parseIdList, parseMaxBytes, parseThresholds, scoreFlag } from './flags.js';
import { DEFAULT_MAX_BYTES, type JsonlRecord, jsonLine, openInput, readAllText, readJsonl, writeLine } from './io.js';

/** Flags every text-reading command shares. */
export interface InputFlags {
  jsonl?: boolean;
  textField: string;
  maxBytes: number;
}

/** Flags every detecting command shares. */
export interface ScanFlags {
  detectors?: string;
  minScore?: number;
  thresholds?: Record<string, number>;
  fast?: boolean;
}

export function addInputOptions(cmd: Command, jsonlHelp: string): Command {
  return cmd
    .argument('[file]', 'input file, or - for standard input', '-')
    .option('--jsonl', jsonlHelp)
    .option('--text-field <name>', 'field holding the text in --jsonl mode', fieldFlag('--text-field'), 'text')
    .option('--max-bytes <n>', 'largest input (or JSONL line) accepted, in bytes', parseMaxBytes, DEFAULT_MAX_BYTES);
}

export function addScanOptions(cmd: Command): Command {
  return cmd
    .option('--detectors <ids>', `comma-separated detector ids (default: ${DEFAULT_DETECTOR_IDS.join(',')})`)
    .option('--min-score <s>', 'ignore findings scored below s (0..1)', scoreFlag('--min-score'))
    .option('--thresholds <list>', 'per-type score thresholds, e.g. PERSON=0.7,DATE_TIME=0.6', parseThresholds)
    .option('--fast', 'patterns and validators only: skip the sequence tagger');
}

export function scanOptionsFrom(flags: ScanFlags): ScanOptions {
  const registry = createDefaultRegistry();
  const ids =
    flags.detectors === undefined ? DEFAULT_DETECTOR_IDS : parseIdList('--detectors', flags.detectors, registry.ids());
  return {
    detectors: registry.resolve(ids),
    minScore: flags.minScore,
    thresholds: flags.thresholds,
    fast: flags.fast,
  };
}

type ReadRecord = Extract<JsonlRecord, { text: string }>;

/**
 * The error line for an input line: `line` (0-based) says which input line it answers, and `id_from_line`
 * marks an id that is only that line number, since it may equal another record's real id.
 */
function errorLine(rec: JsonlRecord, error: string): Record<string, unknown> {
  return { id: rec.id, error, line: rec.line, ...(rec.idFromLine ? { id_from_line: true } : {}) };
}

/**
 * Reads the input as one text (`onText` returns what to print) or, with --jsonl, record by record
 * (`onRecord` returns the output object). A malformed record, or one whose processing throws, becomes
 * `{"id", "error", "line", "id_from_line"?}` on its line and the run goes on; the exit status is then 1.
 * Returns how many records became error lines (0 without --jsonl: there an error throws).
 */
export async function processInput(
  file: string,
  flags: InputFlags,
  onText: (text: string) => string,
  onRecord: (rec: ReadRecord) => Record<string, unknown>,
  /** `--text-field` may be a dotted path (`msg.text`): only for commands that do not write the text back. */
  nestedField = false,
  /**
   * Refuse invalid UTF-8 (the whole text, or with --jsonl that line) instead of reading it as U+FFFD: for
   * commands whose output must give the input back byte for byte.
   */
  strictUtf8 = false,
): Promise<number> {
  if (!flags.jsonl) {
    process.stdout.write(onText(await readAllText(file, flags.maxBytes, strictUtf8)));
    return 0;
  }
  let errors = 0;
  const records = readJsonl(openInput(file), flags.textField, flags.maxBytes, nestedField, strictUtf8);
  for await (const rec of records) {
    let out: Record<string, unknown>;
    if ('error' in rec) {
      out = errorLine(rec, rec.error);
    } else {
      try {
        out = onRecord(rec);
      } catch (e) {
        out = errorLine(rec, (e as Error).message);
      }
    }
    if ('error' in out) {
      process.exitCode = 1;
      errors++;
    }
    await writeLine(jsonLine(out, rec.rawId));
  }
  return errors;
}
