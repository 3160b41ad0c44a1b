import { realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import { detectFormat } from '../io/format.js';
import { idPrefix } from '../io/ids.js';
import { isInside, sameFile } from '../io/paths.js';
import { openRecordReader, readColumns } from '../io/reader.js';
import { textFiles } from '../io/text-folder.js';
import type { FormatInfo, RawRecord } from '../io/types.js';
import type { Batch, BatchItem } from './batch.js';

export interface InputInfo {
  path: string;
  format: FormatInfo;
  /** Bytes on disk (a text folder: its `.txt` files). */
  size: number;
  mtimeMs: number;
}

/** Checks the inputs exist and share one format (the output keeps it); returns their sizes and columns. */
export async function describeInputs(
  paths: readonly string[],
): Promise<{ inputs: InputInfo[]; format: FormatInfo; columns?: string[] }> {
  if (paths.length === 0) throw new LifeguardError('LG_ERR_INPUT_INVALID', 'data scan needs at least one input');
  const inputs: InputInfo[] = [];
  for (const path of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${path}: no such file or folder`);
    }
    const format = detectFormat(path);
    const size = info.isDirectory() ? await folderSize(path) : info.size;
    inputs.push({ path, format, size, mtimeMs: info.mtimeMs });
  }
  const first = (inputs[0] as InputInfo).format;
  const odd = inputs.find((i) => i.format.format !== first.format);
  if (odd) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `${odd.path} is ${odd.format.format} but ${inputs[0]?.path} is ${first.format}: scan inputs of one format at a time`,
    );
  }
  let columns: string[] | undefined;
  if (first.format === 'csv' || first.format === 'parquet') {
    for (const input of inputs) {
      const cols = await readColumns(input.path);
      if (columns && cols && cols.join('\u0000') !== columns.join('\u0000')) {
        throw new LifeguardError(
          'LG_ERR_INPUT_INVALID',
          `${input.path} has columns (${cols.join(', ')}) unlike ${inputs[0]?.path} (${columns.join(', ')})`,
        );
      }
      columns ??= cols;
    }
  }
  return { inputs, format: first, columns };
}

/** Bytes of the `.txt` files a text-folder scan reads (the same walk, links followed). */
async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for await (const { path, broken } of textFiles(dir)) if (!broken) total += (await stat(path)).size;
  return total;
}

/** Where a scan stands: the input file and how many of its records have been consumed. */
export interface InputPosition {
  file: number;
  consumed: number;
}

export interface BatchOptions {
  batchRecords: number;
  /** Close a batch once it holds this many bytes. */
  batchBytes: number;
  maxRecordBytes: number;
  /** The scan's output folder: a text folder's link into it is not followed (the scan would read its own output). */
  avoid?: string;
}

/**
 * Reads the inputs from a position as batches. A batch never spans two files, and batch boundaries
 * depend only on the input and the options, so a resumed scan forms the same batches as an
 * uninterrupted one. JSONL lines travel unparsed: the workers parse them.
 */
export async function* readBatches(
  inputs: readonly InputInfo[],
  from: InputPosition,
  options: BatchOptions,
): AsyncGenerator<{ batch: Batch; fileIndex: number; consumedAfter: number }> {
  const multiple = inputs.length > 1;
  const paths = inputs.map((i) => i.path);
  for (let f = from.file; f < inputs.length; f++) {
    const input = inputs[f] as InputInfo;
    const skip = f === from.file ? from.consumed : 0;
    const prefix = idPrefix(input.path, multiple, paths);
    let consumed = 0;
    let items: BatchItem[] = [];
    let bytes = 0;
    const reader = openRecordReader(input.path, {
      parse: false,
      maxRecordBytes: options.maxRecordBytes,
      avoid: options.avoid,
    });
    for await (const rec of reader) {
      consumed++;
      if (consumed <= skip) continue;
      const item = toItem(rec);
      items.push(item);
      bytes += item.bytes;
      if (items.length >= options.batchRecords || bytes >= options.batchBytes) {
        yield { batch: { file: input.path, prefix, items }, fileIndex: f, consumedAfter: consumed };
        items = [];
        bytes = 0;
      }
    }
    if (items.length > 0) yield { batch: { file: input.path, prefix, items }, fileIndex: f, consumedAfter: consumed };
  }
}

function toItem(rec: RawRecord): BatchItem {
  const item: BatchItem = { index: rec.index, bytes: rec.bytes ?? estimateBytes(rec) };
  if (rec.offset !== undefined) item.offset = rec.offset;
  if (rec.error !== undefined) {
    item.error = rec.error;
    item.raw = rec.raw;
  } else if (rec.line !== undefined) item.line = rec.line;
  else item.value = rec.value;
  return item;
}

/** Parsed formats (CSV, Parquet, text) do not report sizes; the string content is a fair measure. */
function estimateBytes(rec: RawRecord): number {
  if (rec.raw !== undefined) return rec.raw.length;
  let n = 0;
  for (const v of Object.values(rec.value ?? {})) n += typeof v === 'string' ? v.length + 1 : 8;
  return n;
}

/**
 * Refuses a scan that would overwrite or read back what it writes: an input that is one of the outputs
 * (`kept.jsonl`, `quarantine.jsonl`, the reports), the output folder itself or its checkpoint folder, or a
 * folder input that holds the output folder (a text-folder scan would read its own `kept/`). Without this,
 * `data scan out/kept.jsonl --out out` empties its only input before reading it. Paths are compared after
 * resolving symbolic links.
 */
export function assertInputsApartFromOutputs(
  inputs: readonly InputInfo[],
  outDir: string,
  outputNames: readonly string[],
): void {
  const out = realOrResolved(outDir);
  const written = new Set(outputNames.map((n) => join(out, n)));
  for (const input of inputs) {
    const p = realOrResolved(input.path);
    const clash =
      written.has(p) ||
      outputNames.some((n) => isInside(p, join(out, n))) ||
      p === out ||
      (input.format.format === 'text' && isInside(out, p)) ||
      // An output already there that is the input under another name (a link to it, or a hard link): writing
      // it would empty the input.
      outputNames.some((n) => sameFile(input.path, join(out, n)));
    if (clash) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `${input.path} is where this scan writes its output (--out ${outDir}); scan it into another folder`,
      );
    }
  }
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // Not there yet (a new output folder): its parent may still be a link.
    const parent = dirname(resolve(path));
    try {
      return join(realpathSync(parent), basename(path));
    } catch {
      return resolve(path);
    }
  }
}
