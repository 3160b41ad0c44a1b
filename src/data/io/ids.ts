import { basename } from 'node:path';
import type { RawRecord } from './types.js';

/** A record's own id: its `id` field when that is a string or a finite number, else its 0-based index. */
export function ownId(value: Record<string, unknown> | undefined, index: number): string | number {
  const field = value?.id;
  return typeof field === 'string' || (typeof field === 'number' && Number.isFinite(field)) ? field : index;
}

/** `train.jsonl:` when several inputs are read (so ids stay unique across files), else nothing. */
export function idPrefix(file: string, multipleInputs: boolean): string {
  return multipleInputs ? `${basename(file)}:` : '';
}

/**
 * A record's id: its `id` field when that is a string or a finite number, else its 0-based line or row
 * number. With several inputs the id is prefixed by the file's base name (`train.jsonl:12`) so ids
 * stay unique across files.
 */
export function recordId(rec: RawRecord, options: { multipleInputs?: boolean } = {}): string | number {
  const id = ownId(rec.value, rec.index);
  return options.multipleInputs ? `${idPrefix(rec.file, true)}${id}` : id;
}
