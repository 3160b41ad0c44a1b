import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { LifeguardError } from '../../core/errors.js';
import { csvLine, jsonReplacer } from './csv.js';
import { detectFormat } from './format.js';
import { ParquetRecordWriter } from './parquet.js';
import { TextFolderWriter } from './text-folder.js';
import type { Compression, DataFormat, FormatInfo, RecordWriter, WriterOptions } from './types.js';
import { createZstdCompressor } from './zstd.js';

/**
 * Opens an output in the given format (by default, the one its name says). Pass the input's
 * {@link FormatInfo} to keep the input's format. Nothing is created until the first write or close.
 */
export function openRecordWriter(
  path: string,
  format?: DataFormat | FormatInfo,
  options: WriterOptions = {},
): RecordWriter {
  const info =
    format === undefined
      ? detectFormat(path)
      : typeof format === 'string'
        ? detectFormat(path, { format })
        : detectFormat(path, format);
  switch (info.format) {
    case 'jsonl':
      return new JsonlWriter(path, info, options);
    case 'csv':
      return new CsvWriter(path, info, options);
    case 'parquet': {
      const inner = new ParquetRecordWriter(path, options);
      return {
        path,
        format: info,
        write: (record) => {
          if (typeof record === 'string') {
            return Promise.reject(
              new LifeguardError('LG_ERR_INPUT_INVALID', `${path}: Parquet cannot hold a raw line`),
            );
          }
          return inner.write(record);
        },
        close: () => inner.close(),
      };
    }
    case 'text': {
      const inner = new TextFolderWriter(path, options.textField);
      return { path, format: info, write: (record) => inner.write(record), close: () => inner.close() };
    }
  }
}

/** A text file written line by line through optional compression, honouring backpressure. */
class LineSink {
  private head: Writable | undefined;
  private done: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly path: string,
    private readonly compression: Compression,
    private readonly zstdMode: 'auto' | 'raw' = 'auto',
  ) {}

  async write(text: string): Promise<void> {
    const head = this.open();
    if (this.failure) throw this.wrap(this.failure);
    if (!head.write(text)) {
      try {
        await once(head, 'drain');
      } catch (e) {
        throw this.wrap(e);
      }
    }
    if (this.failure) throw this.wrap(this.failure);
  }

  async close(): Promise<void> {
    const head = this.open();
    head.end();
    await this.done;
    if (this.failure) throw this.wrap(this.failure);
  }

  private open(): Writable {
    if (this.head) return this.head;
    const file = createWriteStream(this.path);
    if (this.compression === 'none') {
      this.head = file;
      this.done = finished(file);
    } else {
      const encoder =
        this.compression === 'gzip' ? createGzip() : createZstdCompressor({ forceRaw: this.zstdMode === 'raw' });
      this.head = encoder;
      this.done = pipeline(encoder, file);
    }
    this.done = this.done.catch((e: unknown) => {
      this.failure = e;
    });
    return this.head;
  }

  private wrap(e: unknown): LifeguardError {
    if (LifeguardError.isInstance(e)) return e;
    return new LifeguardError('LG_ERR_INPUT_INVALID', `${this.path}: cannot write: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** JSONL: one `JSON.stringify` per line (bigints as numbers, or strings when unsafe); raw lines as-is. */
class JsonlWriter implements RecordWriter {
  private readonly sink: LineSink;

  constructor(
    readonly path: string,
    readonly format: FormatInfo,
    options: WriterOptions,
  ) {
    this.sink = new LineSink(path, format.compression, options.zstdMode);
  }

  write(record: Record<string, unknown> | string): Promise<void> {
    const line = typeof record === 'string' ? record.replace(/\r?\n$/, '') : JSON.stringify(record, jsonReplacer);
    return this.sink.write(`${line}\n`);
  }

  close(): Promise<void> {
    return this.sink.close();
  }
}

/**
 * CSV: a header (the `columns` option, else the first record's keys), then one row per record with
 * RFC 4180 quoting and CRLF line breaks. Missing fields are empty; a field not in the header is an error.
 */
class CsvWriter implements RecordWriter {
  private readonly sink: LineSink;
  private columns: string[] | undefined;
  private readonly delimiter: string;

  constructor(
    readonly path: string,
    readonly format: FormatInfo,
    options: WriterOptions,
  ) {
    this.sink = new LineSink(path, format.compression, options.zstdMode);
    this.columns = options.columns;
    this.delimiter = options.csvDelimiter ?? ',';
  }

  async write(record: Record<string, unknown> | string): Promise<void> {
    if (!this.columns) {
      if (typeof record === 'string') {
        throw new LifeguardError('LG_ERR_INPUT_INVALID', `${this.path}: a raw CSV row cannot come first; pass columns`);
      }
      this.columns = Object.keys(record);
      await this.writeHeader();
    } else if (!this.headerWritten) {
      await this.writeHeader();
    }
    if (typeof record === 'string') {
      await this.sink.write(`${record.replace(/\r?\n$/, '')}\r\n`);
      return;
    }
    for (const key of Object.keys(record)) {
      if (!this.columns.includes(key) && record[key] !== undefined) {
        throw new LifeguardError(
          'LG_ERR_INPUT_INVALID',
          `${this.path}: record has field "${key}", which is not a CSV column (${this.columns.join(', ')})`,
        );
      }
    }
    await this.sink.write(
      `${csvLine(
        this.columns.map((c) => record[c]),
        this.delimiter,
      )}\r\n`,
    );
  }

  async close(): Promise<void> {
    if (this.columns && !this.headerWritten) await this.writeHeader();
    await this.sink.close();
  }

  private headerWritten = false;

  private async writeHeader(): Promise<void> {
    this.headerWritten = true;
    await this.sink.write(`${csvLine(this.columns ?? [], this.delimiter)}\r\n`);
  }
}
