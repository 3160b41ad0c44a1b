/** The record formats the data stage reads and writes. */
export type DataFormat = 'jsonl' | 'csv' | 'parquet' | 'text';

/** Stream compression for line formats (JSONL, CSV). */
export type Compression = 'none' | 'gzip' | 'zstd';

export interface FormatInfo {
  format: DataFormat;
  compression: Compression;
}

/**
 * One record as read from an input. Exactly one of `value` (a parsed record) or `error` (why it could
 * not be read, with `raw` holding the offending text, possibly truncated) is set.
 */
export interface RawRecord {
  /** 0-based line (JSONL), data row (CSV, Parquet; the CSV header is not counted) or file (text folder) number. */
  index: number;
  /** The input path the record came from (for a text folder: the folder). */
  file: string;
  value?: Record<string, unknown>;
  /** The unparsed JSONL line, instead of `value`, when the reader was opened with `parse: false`. */
  line?: string;
  raw?: string;
  error?: string;
  /** Size of the record in the (decompressed) input, in bytes, where the reader knows it (JSONL). */
  bytes?: number;
  /** Where the record starts in the (decompressed) input, in bytes (JSONL). */
  offset?: number;
}

export interface ReaderOptions {
  /** Overrides the format detected from the file name. */
  format?: DataFormat;
  /** Overrides the compression detected from the file name. */
  compression?: Compression;
  /** Longest line (JSONL), row (CSV) or file (text folder) in bytes; longer ones become error records. */
  maxRecordBytes?: number;
  /** CSV field delimiter (default `,`). */
  csvDelimiter?: string;
  /**
   * JSONL only: `false` hands each line over unparsed (`line`), for callers that parse elsewhere
   * (worker threads). Blank lines are still skipped and over-long lines still become error records.
   */
  parse?: boolean;
  /** Text folders only: a folder whose files are never read, even through a symbolic link (a scan's output). */
  avoid?: string;
}

export interface WriterOptions {
  /** Column names and order for CSV and Parquet (default: the first record's keys). */
  columns?: string[];
  /** CSV field delimiter (default `,`). */
  csvDelimiter?: string;
  /** Parquet: records buffered per row group (default 1000). */
  rowGroupSize?: number;
  /** Text folder: the field holding the text (default `text`); `id` names the file. */
  textField?: string;
  /** zstd output: Node's compressor when it exists (`auto`, default) or always stored Raw blocks (`raw`). */
  zstdMode?: 'auto' | 'raw';
}

export interface RecordWriter {
  readonly path: string;
  readonly format: FormatInfo;
  /**
   * Writes one record, or one raw line as-is (JSONL, CSV). The promise settles once the record is
   * accepted, waiting while the output is congested (backpressure).
   */
  write(record: Record<string, unknown> | string): Promise<void>;
  /** Flushes and closes the output; the file is complete once this settles. */
  close(): Promise<void>;
}

/** Default cap on one line, row or text file: 64 MiB, as for the CLI's JSONL input. */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** How much of an unreadable line or row error records keep in `raw`. */
export const RAW_PREVIEW_CHARS = 1000;
