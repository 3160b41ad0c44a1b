/** Streaming record readers and writers for training corpora: JSONL (plain, gzip, zstd), CSV, Parquet, text folders. */
export { CsvParser, csvField, csvLine } from './csv.js';
export { detectFormat } from './format.js';
export { recordId } from './ids.js';
export { type Line, splitLines } from './lines.js';
export { openRecordReader, readColumns } from './reader.js';
export { detectShape, getPath, type Shape, type ShapeOptions, type TextSlot, textsOf, withTexts } from './shapes.js';
export {
  type Compression,
  type DataFormat,
  DEFAULT_MAX_RECORD_BYTES,
  type FormatInfo,
  RAW_PREVIEW_CHARS,
  type RawRecord,
  type ReaderOptions,
  type RecordWriter,
  type WriterOptions,
} from './types.js';
export { openRecordWriter } from './writer.js';
export { createZstdCompressor, createZstdDecompressor, ZstdRawEncoder } from './zstd.js';
