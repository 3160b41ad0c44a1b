import { basename } from 'node:path';
import type { RawRecord } from './types.js';

/**
 * A record's id: its `id` field when that is a string or a finite number, else its 0-based line or row
 * number. With several inputs the id is prefixed by the file's base name (`train.jsonl:12`) so ids
 * stay unique across files.
 */
export function recordId(rec: RawRecord, options: { multipleInputs?: boolean } = {}): string | number {
  const field = rec.value?.id;
  const id = typeof field === 'string' || (typeof field === 'number' && Number.isFinite(field)) ? field : rec.index;
  return options.multipleInputs ? `${basename(rec.file)}:${id}` : id;
}
