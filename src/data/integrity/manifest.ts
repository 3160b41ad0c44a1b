import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { LifeguardError } from '../../core/errors.js';
import { hasOwnId, inputLabel } from '../io/ids.js';
import type { RawRecord } from '../io/index.js';
import { openRecordReader, recordId } from '../io/index.js';
import { sameFile } from '../io/paths.js';
import { merkleRoot } from './merkle.js';

/** One manifest line per record, then one summary line. JSON Lines, so manifests of any size stream. */
export interface ManifestRecord {
  type: 'record';
  id: string | number;
  file: string;
  index: number;
  /**
   * Present when the record has no `id` of its own (also when it could not be read): its id is then only its
   * 0-based line / row / file number (`line`, the same as `index`), which a real record may also carry.
   */
  line?: number;
  id_from_line?: true;
  sha256: string;
}

/** A change `verify` found whose id is only a line number: where that record is (or was, when removed). */
export interface VerifyLineId {
  change: 'modified' | 'added' | 'removed';
  id: string | number;
  file: string;
  line: number;
  id_from_line: true;
}

export interface ManifestSummary {
  type: 'summary';
  version: 1;
  createdAt: string;
  shards: Array<{ file: string; records: number; sha256: string }>;
  records: number;
  merkleRoot: string;
}

export interface VerifyResult {
  ok: boolean;
  modified: Array<string | number>;
  added: Array<string | number>;
  removed: Array<string | number>;
  /**
   * Present when any of those ids is only a line number (the record has no `id` of its own, or could not be
   * read): each such change with its file and 0-based line, so it is not taken for a record with that id.
   */
  lines?: VerifyLineId[];
}

/** SHA-256 of a record: its JSON form for parsed records, its raw text for lines that did not parse. */
export function recordHash(rec: RawRecord): Buffer {
  const body = rec.value !== undefined ? JSON.stringify(rec.value, bigintAsDigits) : (rec.raw ?? '');
  return createHash('sha256').update(body).digest();
}

/** Parquet INT64 values are bigints, which JSON.stringify refuses: hashed as their exact digits. */
function bigintAsDigits(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Every record of every input with its id (`#n` appended to the n-th repeat of an id, so keys stay unique). */
async function* hashedRecords(inputs: readonly string[]): AsyncGenerator<ManifestRecord & { hash: Buffer }> {
  const multipleInputs = inputs.length > 1;
  const seen = new Map<string, number>();
  for (const file of inputs) {
    for await (const rec of openRecordReader(file)) {
      const id = uniqueId(recordId(rec, { multipleInputs, inputs }), seen);
      const hash = recordHash(rec);
      // Shards that share a file name (`en/train.jsonl`, `de/train.jsonl`) are told apart by their path.
      const shard = inputLabel(file, inputs);
      const where = hasOwnId(rec.value) ? {} : { line: rec.index, id_from_line: true as const };
      yield { type: 'record', id, file: shard, index: rec.index, ...where, sha256: hash.toString('hex'), hash };
    }
  }
}

/**
 * `id`, or `id#n` for its n-th repeat, skipping any `id#n` that is itself a record's id (ids `a`, `a`,
 * `a#1` would otherwise give two `a#1` keys, and `verify` would call the unchanged input modified).
 * `seen` maps each id to the next repeat number to try.
 */
function uniqueId(id: string | number, seen: Map<string, number>): string | number {
  const key = String(id);
  let n = seen.get(key);
  if (n === undefined) {
    seen.set(key, 1);
    return id;
  }
  while (seen.has(`${key}#${n}`)) n++;
  const unique = `${key}#${n}`;
  seen.set(key, n + 1);
  seen.set(unique, 1);
  return unique;
}

/** Writes the manifest of `inputs` to `out` and returns its summary. */
export async function writeManifest(inputs: readonly string[], out: string): Promise<ManifestSummary> {
  // Opening the manifest for writing empties it: it must not be one of the inputs it describes.
  // (also under another name: a link to an input, or a hard link, would be emptied just the same)
  if (inputs.some((i) => resolve(i) === resolve(out) || sameFile(i, out))) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${out} is one of the inputs; write the manifest elsewhere`);
  }
  let handle: FileHandle;
  try {
    handle = await open(out, 'w');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a folder' : code;
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `cannot write the manifest to ${out}: ${why}`);
  }
  const stream = handle.createWriteStream();
  // A write error later (a full disk) is thrown from here, not left to crash the process unhandled.
  stream.on('error', () => {});
  const leaves: Buffer[] = [];
  const shards = new Map<string, { hash: ReturnType<typeof createHash>; records: number }>();
  for await (const r of hashedRecords(inputs)) {
    leaves.push(r.hash);
    let shard = shards.get(r.file);
    if (!shard) {
      shard = { hash: createHash('sha256'), records: 0 };
      shards.set(r.file, shard);
    }
    shard.hash.update(r.hash);
    shard.records++;
    const { hash: _hash, ...line } = r;
    if (stream.errored) throw manifestWriteError(out, stream.errored);
    if (!stream.write(`${JSON.stringify(line)}\n`)) await drained(stream, out);
  }
  const summary: ManifestSummary = {
    type: 'summary',
    version: 1,
    createdAt: new Date().toISOString(),
    shards: [...shards].map(([file, s]) => ({ file, records: s.records, sha256: s.hash.digest('hex') })),
    records: leaves.length,
    merkleRoot: merkleRoot(leaves),
  };
  stream.end(`${JSON.stringify(summary)}\n`);
  try {
    await finished(stream);
  } catch (e) {
    throw manifestWriteError(out, e);
  }
  return summary;
}

/** Waits for a full write buffer to drain; a stream that fails meanwhile (a full disk) is an error. */
async function drained(stream: NodeJS.WritableStream, out: string): Promise<void> {
  try {
    await once(stream, 'drain');
  } catch (e) {
    throw manifestWriteError(out, e);
  }
}

/** A failed manifest write (`ENOSPC`, `EIO`) as one clear error, not a stack trace. */
function manifestWriteError(out: string, e: unknown): LifeguardError {
  return new LifeguardError('LG_ERR_INPUT_INVALID', `cannot write the manifest to ${out}: ${(e as Error).message}`, {
    cause: e,
  });
}

/** Reads a manifest: record hashes by id, and the summary. */
export async function readManifest(path: string): Promise<{
  hashes: Map<string, string>;
  ids: Map<string, string | number>;
  /** Where the records whose id is only a line number were (`id_from_line` entries), by id. */
  lineIds: Map<string, { file: string; line: number }>;
  summary: ManifestSummary;
}> {
  const hashes = new Map<string, string>();
  const ids = new Map<string, string | number>();
  const lineIds = new Map<string, { file: string; line: number }>();
  let summary: ManifestSummary | undefined;
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const raw of rl) {
    line++;
    if (!raw.trim()) continue;
    let entry: ManifestRecord | ManifestSummary;
    try {
      entry = JSON.parse(raw);
    } catch {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${path}:${line} is not a manifest line (invalid JSON)`);
    }
    if (entry.type === 'record') {
      hashes.set(String(entry.id), entry.sha256);
      ids.set(String(entry.id), entry.id);
      if (entry.id_from_line === true)
        lineIds.set(String(entry.id), { file: entry.file, line: entry.line ?? entry.index });
    } else if (entry.type === 'summary') summary = entry;
  }
  if (!summary)
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${path} has no summary line: not a complete manifest`);
  return { hashes, ids, lineIds, summary };
}

/** Compares `inputs` with a manifest: records whose hash changed, ids that are new, ids that are gone. */
export async function verifyManifest(manifestPath: string, inputs: readonly string[]): Promise<VerifyResult> {
  const { hashes, ids, lineIds } = await readManifest(manifestPath);
  const modified: Array<string | number> = [];
  const added: Array<string | number> = [];
  const lines: VerifyLineId[] = [];
  const present = new Set<string>();
  for await (const r of hashedRecords(inputs)) {
    const key = String(r.id);
    present.add(key);
    const expected = hashes.get(key);
    const change = expected === undefined ? 'added' : expected !== r.sha256 ? 'modified' : undefined;
    if (change === undefined) continue;
    (change === 'added' ? added : modified).push(r.id);
    if (r.id_from_line) lines.push({ change, id: r.id, file: r.file, line: r.index, id_from_line: true });
  }
  const removed: Array<string | number> = [];
  for (const k of hashes.keys()) {
    if (present.has(k)) continue;
    const id = ids.get(k) as string | number;
    removed.push(id);
    const was = lineIds.get(k);
    if (was) lines.push({ change: 'removed', id, file: was.file, line: was.line, id_from_line: true });
  }
  const result: VerifyResult = { ok: modified.length + added.length + removed.length === 0, modified, added, removed };
  if (lines.length > 0) result.lines = lines;
  return result;
}
