import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { jsonErrorMessage, LifeguardError } from '../../core/errors.js';
import { csvPreview, csvRows } from './csv.js';
import { detectFormat } from './format.js';
import { splitLines } from './lines.js';
import { parquetColumns, parquetRows } from './parquet.js';
import { textFolderRecords } from './text-folder.js';
import {
  DEFAULT_MAX_RECORD_BYTES,
  type FormatInfo,
  RAW_PREVIEW_CHARS,
  type RawRecord,
  type ReaderOptions,
} from './types.js';
import { createZstdDecompressor } from './zstd.js';

/**
 * Streams the records of one input. The format comes from the file name unless `options.format`
 * says otherwise. Unreadable lines and rows come back as error records and reading goes on; only an
 * unreadable input as a whole (missing file, corrupt compression or Parquet) throws a LifeguardError.
 */
export function openRecordReader(path: string, options: ReaderOptions = {}): AsyncIterable<RawRecord> {
  const info = detectFormat(path, { format: options.format, compression: options.compression });
  const maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  return {
    [Symbol.asyncIterator]: () => guarded(path, records(path, info, maxBytes, options))[Symbol.asyncIterator](),
  };
}

async function* records(
  path: string,
  info: FormatInfo,
  maxBytes: number,
  options: ReaderOptions,
): AsyncGenerator<RawRecord> {
  switch (info.format) {
    case 'jsonl':
      yield* jsonlRecords(path, byteStream(path, info), maxBytes, options.parse ?? true);
      return;
    case 'csv':
      yield* csvRecords(path, byteStream(path, info), maxBytes, options.csvDelimiter);
      return;
    case 'parquet':
      for await (const { index, value } of parquetRows(path)) yield { index, file: path, value };
      return;
    case 'text':
      yield* textFolderRecords(path, maxBytes, options.avoid);
      return;
  }
}

/** Turns I/O and decoding failures of the input as a whole into one clear LifeguardError. */
async function* guarded(path: string, inner: AsyncGenerator<RawRecord>): AsyncGenerator<RawRecord> {
  try {
    yield* inner;
  } catch (e) {
    if (LifeguardError.isInstance(e)) throw e;
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file or folder' : err.message;
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${path}: cannot read input: ${why}`, { cause: e });
  }
}

/** Bytes per read: 1 MiB chunks cost a sixteenth of the read calls of the 64 KiB default. */
const READ_CHUNK = 1 << 20;

/** The file's bytes, decompressed. Backpressure flows from the consumer through the pipeline. */
function byteStream(path: string, info: FormatInfo): Readable {
  const file = createReadStream(path, { highWaterMark: READ_CHUNK });
  if (info.compression === 'none') return file;
  const decoder = info.compression === 'gzip' ? createGunzip() : createZstdDecompressor();
  // Errors on either side destroy both and surface on the decoder, i.e. in the consumer's loop.
  return pipeline(file, decoder, () => {});
}

async function* jsonlRecords(
  file: string,
  source: Readable,
  maxBytes: number,
  parse: boolean,
): AsyncGenerator<RawRecord> {
  for await (const line of splitLines(source, maxBytes)) {
    const { index, bytes, offset } = line;
    if (line.tooLong) {
      yield { index, file, raw: line.text, error: `line is longer than ${maxBytes} bytes`, bytes, offset };
      continue;
    }
    if (isBlank(line.text)) continue;
    if (!parse) {
      yield { index, file, line: line.text, bytes, offset };
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.text);
    } catch (e) {
      yield { index, file, raw: line.text, error: `invalid JSON: ${jsonErrorMessage(e)}`, bytes, offset };
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      yield { index, file, raw: line.text, error: 'line is not a JSON object', bytes, offset };
      continue;
    }
    yield { index, file, value: parsed as Record<string, unknown>, bytes, offset };
  }
}

/** Whitespace only, checked without copying (`trim()` would copy a long line). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a && c !== 0xfeff) return false;
  }
  return true;
}

async function* csvRecords(
  file: string,
  source: Readable,
  maxBytes: number,
  delimiter = ',',
): AsyncGenerator<RawRecord> {
  let header: string[] | undefined;
  let index = 0;
  for await (const row of csvRows(source, maxBytes, delimiter)) {
    if (!header) {
      if (row.blank) continue;
      header = checkHeader(file, row.fields, row.tooLong || row.unterminated);
      continue;
    }
    const i = index++;
    if (row.blank) continue;
    const raw = csvPreview(row.fields, delimiter);
    if (row.tooLong) {
      yield { index: i, file, raw, error: `row is longer than ${maxBytes} characters` };
    } else if (row.unterminated) {
      yield { index: i, file, raw, error: 'quoted field is not closed before the end of the file' };
    } else if (row.fields.length !== header.length) {
      yield {
        index: i,
        file,
        raw,
        error: `row has ${row.fields.length} fields, the header has ${header.length}`,
      };
    } else {
      const value: Record<string, unknown> = {};
      for (let c = 0; c < header.length; c++) value[header[c]] = row.fields[c];
      yield { index: i, file, value };
    }
  }
}

function checkHeader(file: string, fields: string[], broken: boolean | undefined): string[] {
  if (broken) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `${file}: the CSV header row is unreadable (too long or unclosed quote)`,
    );
  }
  const seen = new Set<string>();
  for (const name of fields) {
    if (seen.has(name)) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `${file}: the CSV header names column "${name.slice(0, RAW_PREVIEW_CHARS)}" twice; rename one`,
      );
    }
    seen.add(name);
  }
  return fields;
}

/**
 * The column names of a CSV (its header) or Parquet (its schema) input, in order, to write output with
 * the same columns; `undefined` for JSONL and text folders, whose records carry their own keys.
 */
export async function readColumns(path: string, options: ReaderOptions = {}): Promise<string[] | undefined> {
  const info = detectFormat(path, { format: options.format, compression: options.compression });
  if (info.format === 'parquet') return parquetColumns(path);
  if (info.format !== 'csv') return undefined;
  await stat(path);
  const source = byteStream(path, info);
  try {
    for await (const row of csvRows(source, options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES, options.csvDelimiter)) {
      if (!row.blank) return checkHeader(path, row.fields, row.tooLong || row.unterminated);
    }
    return [];
  } finally {
    source.destroy();
  }
}
