import { basename, sep } from 'node:path';
import type { RawRecord } from './types.js';

/**
 * A record's own id: its `id` field when that is a string, a finite number or a bigint (Parquet INT64
 * columns come back as bigints: a number when safe, else its decimal string), else its 0-based index.
 */
export function ownId(value: Record<string, unknown> | undefined, index: number): string | number {
  const field = value?.id;
  if (typeof field === 'string' || (typeof field === 'number' && Number.isFinite(field))) return field;
  if (typeof field === 'bigint') return bigintId(field);
  return index;
}

/** Whether {@link ownId} gives the record's own `id` field rather than its index. */
export function hasOwnId(value: Record<string, unknown> | undefined): boolean {
  const field = value?.id;
  return (
    typeof field === 'string' || typeof field === 'bigint' || (typeof field === 'number' && Number.isFinite(field))
  );
}

function bigintId(id: bigint): string | number {
  return id >= BigInt(Number.MIN_SAFE_INTEGER) && id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : id.toString();
}

/**
 * How ids name an input: its base name (`train.jsonl`), or the path as given when another input has the
 * same base name (`en/train.jsonl`, `de/train.jsonl`): shards of one data set often share file names.
 */
export function inputLabel(file: string, inputs: readonly string[] = [file]): string {
  const name = basename(file);
  const shared = inputs.some((other) => other !== file && basename(other) === name);
  return shared ? file.split(sep).join('/') : name;
}

/**
 * `train.jsonl:` when several inputs are read (so ids stay unique across files), else nothing. Pass every
 * input as `inputs` so that inputs sharing a base name get distinct prefixes ({@link inputLabel}).
 */
export function idPrefix(file: string, multipleInputs: boolean, inputs?: readonly string[]): string {
  return multipleInputs ? `${inputLabel(file, inputs)}:` : '';
}

/**
 * A record's id: its `id` field when that is a string or a finite number, else its 0-based line or row
 * number. With several inputs the id is prefixed by the file's base name (`train.jsonl:12`), or by its
 * path when given `inputs` and another input shares the base name, so ids stay unique across files.
 */
export function recordId(
  rec: RawRecord,
  options: { multipleInputs?: boolean; inputs?: readonly string[] } = {},
): string | number {
  const id = ownId(rec.value, rec.index);
  return options.multipleInputs ? `${idPrefix(rec.file, true, options.inputs)}${id}` : id;
}
