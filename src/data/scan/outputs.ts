import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { gzip } from 'node:zlib';
import { csvLine } from '../io/csv.js';
import { ColumnKindSurvey, ParquetRecordWriter } from '../io/parquet.js';
import { TextFolderWriter } from '../io/text-folder.js';
import type { Compression, FormatInfo } from '../io/types.js';
import { createZstdCompressor } from '../io/zstd.js';

const gzipAsync = promisify(gzip);

/** Bytes per chunk of a pending segment. */
const CHUNK = 1 << 20;
const EMPTY = Buffer.alloc(0);

/**
 * An append-only file written in segments. Lines are buffered in memory between checkpoints; `commit`
 * appends the segment (as its own gzip member or zstd frame when compressed: concatenated members are a
 * valid stream), fsyncs, and reports the new size. On resume the file is cut back to the size the last
 * checkpoint recorded, so a segment half-written before a crash disappears and is written again, byte
 * for byte, because segment boundaries depend only on the input.
 */
export class SegmentFile {
  /** Finished byte chunks of the pending segment, and the one being filled. */
  private parts: Buffer[] = [];
  private chunk: Buffer = EMPTY;
  private used = 0;
  private pendingBytes = 0;

  private constructor(
    readonly path: string,
    private readonly compression: Compression,
    private committed: number,
  ) {}

  /** Creates (or empties) the file, or with `resumeAt` cuts it back to that many bytes. */
  static async open(path: string, compression: Compression, resumeAt?: number): Promise<SegmentFile> {
    if (resumeAt === undefined) {
      const h = await open(path, 'w');
      await h.close();
      return new SegmentFile(path, compression, 0);
    }
    try {
      await truncate(path, resumeAt);
    } catch (e) {
      // Killed before the file was first written: nothing was committed to it.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || resumeAt !== 0) throw e;
      await (await open(path, 'w')).close();
    }
    return new SegmentFile(path, compression, resumeAt);
  }

  /**
   * Text is encoded at once into byte chunks off the JavaScript heap: holding a segment's lines as
   * strings until the checkpoint made the main thread's garbage collector copy them again and again.
   */
  add(data: string | Buffer): void {
    if (typeof data !== 'string') {
      this.seal();
      this.parts.push(data);
      this.pendingBytes += data.length;
      return;
    }
    const n = data.length <= CHUNK >> 2 ? data.length * 3 : Buffer.byteLength(data);
    if (this.used + n > this.chunk.length) {
      this.seal();
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK, n));
    }
    const written = this.chunk.write(data, this.used);
    this.used += written;
    this.pendingBytes += written;
  }

  /** Bytes waiting for the next commit. */
  get pending(): number {
    return this.pendingBytes;
  }

  private seal(): void {
    if (this.used > 0) this.parts.push(this.chunk.subarray(0, this.used));
    this.chunk = EMPTY;
    this.used = 0;
  }

  /** Bytes on disk after the last commit. */
  get size(): number {
    return this.committed;
  }

  async commit(): Promise<number> {
    return this.snapshot()();
  }

  /**
   * Takes everything added so far as the next segment (synchronously, so a checkpoint captures one
   * consistent moment while records keep coming) and returns the write that appends it; writes run in
   * the order their snapshots were taken.
   */
  snapshot(): () => Promise<number> {
    this.seal();
    const parts = this.parts;
    this.parts = [];
    this.pendingBytes = 0;
    return () => {
      this.writing = this.writing.then(() => this.append(parts));
      return this.writing;
    };
  }

  private writing: Promise<number> = Promise.resolve(0);

  private async append(parts: Buffer[]): Promise<number> {
    if (parts.length === 0) return this.committed;
    const plain = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    const bytes = await compressSegment(plain, this.compression);
    const h = await open(this.path, 'a');
    try {
      await h.write(bytes);
      await h.sync();
    } finally {
      await h.close();
    }
    this.committed += bytes.length;
    return this.committed;
  }
}

async function compressSegment(plain: Buffer, compression: Compression): Promise<Buffer> {
  if (compression === 'none') return plain;
  if (compression === 'gzip') return gzipAsync(plain);
  const encoder = createZstdCompressor();
  const chunks: Buffer[] = [];
  encoder.on('data', (c: Buffer) => chunks.push(c));
  const done = once(encoder, 'end');
  encoder.end(plain);
  await done;
  return Buffer.concat(chunks);
}

/** Where kept records go. Line formats get serialised lines from the workers; the others get objects. */
export interface KeptSink {
  /** A serialised line (JSONL, CSV) or a record object (Parquet, text folder). */
  add(item: string | Record<string, unknown>): void;
  /** Makes everything added so far durable; returns the size to record in the checkpoint. */
  commit(): Promise<number>;
  /** Takes everything added so far (synchronously) and returns the write that makes it durable (see SegmentFile). */
  snapshot(): () => Promise<number>;
  /** Turns the durable state into the final output (Parquet is assembled here). */
  finish(): Promise<void>;
  /** Removes state needed only to resume (Parquet's spool); called once the final checkpoint is written. */
  discard(): Promise<void>;
  readonly path: string;
}

export interface KeptSinkOptions {
  outDir: string;
  /** Where partial state lives (`OUT/.lifeguard-scan`). */
  stateDir: string;
  format: FormatInfo;
  /** CSV and Parquet columns (the input's). */
  columns?: string[];
  csvDelimiter?: string;
  textField: string;
  /** Resume from this committed size (from the checkpoint). */
  resumeAt?: number;
}

/** `kept.<input extension>`: `kept.jsonl(.gz|.zst)`, `kept.csv(.gz|.zst)`, `kept.parquet`, or a `kept/` folder. */
export function keptFileName(format: FormatInfo): string {
  const comp = format.compression === 'gzip' ? '.gz' : format.compression === 'zstd' ? '.zst' : '';
  switch (format.format) {
    case 'jsonl':
      return `kept.jsonl${comp}`;
    case 'csv':
      return `kept.csv${comp}`;
    case 'parquet':
      return 'kept.parquet';
    case 'text':
      return 'kept';
  }
}

export async function openKeptSink(o: KeptSinkOptions): Promise<KeptSink> {
  const path = join(o.outDir, keptFileName(o.format));
  // A fresh scan starts from nothing: a `kept/` folder (or `kept.parquet`) from an earlier scan into the
  // same folder would otherwise keep files that this scan quarantines or never sees.
  if (o.resumeAt === undefined) await rm(path, { recursive: true, force: true });
  switch (o.format.format) {
    case 'jsonl':
    case 'csv': {
      const file = await SegmentFile.open(path, o.format.compression, o.resumeAt);
      if (o.format.format === 'csv' && o.resumeAt === undefined) {
        file.add(`${csvLine(o.columns ?? [], o.csvDelimiter)}\r\n`);
      }
      return {
        path,
        add: (item) => file.add(item as string),
        commit: () => file.commit(),
        snapshot: () => file.snapshot(),
        finish: async () => {},
        discard: async () => {},
      };
    }
    case 'parquet': {
      const spool = join(o.stateDir, 'kept.v8');
      return new ParquetKeptSink(path, spool, await SegmentFile.open(spool, 'none', o.resumeAt), o.columns);
    }
    case 'text':
      return new TextKeptSink(path, o.textField, o.resumeAt);
  }
}

/**
 * Parquet cannot be appended to, so kept records are spooled to a length-prefixed file of v8-serialised
 * objects (which keeps bigints, dates and bytes exactly) and the Parquet file is written at the end.
 */
class ParquetKeptSink implements KeptSink {
  constructor(
    readonly path: string,
    private readonly spool: string,
    private readonly file: SegmentFile,
    private readonly columns: string[] | undefined,
  ) {}

  private queued: Buffer[] = [];

  add(item: string | Record<string, unknown>): void {
    const body = serialize(item);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length);
    this.queued.push(head, body);
  }

  commit(): Promise<number> {
    return this.snapshot()();
  }

  snapshot(): () => Promise<number> {
    const queued = this.queued;
    this.queued = [];
    return async () => {
      for (const b of queued) this.file.add(b);
      return this.file.commit();
    };
  }

  async finish(): Promise<void> {
    // Column types from every kept record, not the first row group: a column can be all nulls there.
    const survey = new ColumnKindSurvey();
    for await (const record of readSpool(this.spool)) survey.observe(record);
    const writer = new ParquetRecordWriter(this.path, { columns: this.columns, kinds: survey.result() });
    for await (const record of readSpool(this.spool)) await writer.write(record);
    await writer.close();
  }

  /** The spool goes only after the final checkpoint: a scan killed before it rebuilds kept.parquet from it. */
  async discard(): Promise<void> {
    await rm(this.spool, { force: true });
  }
}

async function* readSpool(path: string): AsyncGenerator<Record<string, unknown>> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path) as Readable) {
    carry = carry.length === 0 ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
    let off = 0;
    while (carry.length - off >= 4) {
      const len = carry.readUInt32LE(off);
      if (carry.length - off - 4 < len) break;
      yield deserialize(carry.subarray(off + 4, off + 4 + len)) as Record<string, unknown>;
      off += 4 + len;
    }
    carry = carry.subarray(off);
  }
}

/** A folder of `.txt` files: written at commit; on resume, files are rewritten with the same content. */
class TextKeptSink implements KeptSink {
  private pending: Record<string, unknown>[] = [];
  private written: number;
  private readonly writer: TextFolderWriter;

  constructor(
    readonly path: string,
    textField: string,
    resumeAt: number | undefined,
  ) {
    this.writer = new TextFolderWriter(path, textField);
    this.written = resumeAt ?? 0;
  }

  add(item: string | Record<string, unknown>): void {
    this.pending.push(item as Record<string, unknown>);
  }

  commit(): Promise<number> {
    return this.snapshot()();
  }

  snapshot(): () => Promise<number> {
    const pending = this.pending;
    this.pending = [];
    return async () => {
      await mkdir(this.path, { recursive: true });
      for (const r of pending) await this.writer.write(r);
      this.written += pending.length;
      return this.written;
    };
  }

  async finish(): Promise<void> {
    await this.writer.close();
  }

  async discard(): Promise<void> {}
}
