import { open } from 'node:fs/promises';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ByteWriter, ParquetWriter, type Writer, type SchemaElement as WriterSchemaElement } from 'hyparquet-writer';
import { LifeguardError } from '../../core/errors.js';

/**
 * Reads a Parquet file one row group at a time, so memory holds one group's rows, never the file.
 * Yields each row as an object with its 0-based row number in the file.
 */
export async function* parquetRows(path: string): AsyncGenerator<{ index: number; value: Record<string, unknown> }> {
  const { file, metadata } = await openParquet(path);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors });
    } catch (e) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `${path}: cannot read Parquet rows ${rowStart}-${rowEnd - 1}: ${(e as Error).message}`,
        { cause: e },
      );
    }
    for (let i = 0; i < rows.length; i++) yield { index: rowStart + i, value: rows[i] };
    rowStart = rowEnd;
  }
}

/** The top-level column names of a Parquet file, in order. */
export async function parquetColumns(path: string): Promise<string[]> {
  const { metadata } = await openParquet(path);
  return topLevel(metadata.schema).map((e) => e.name);
}

/** The file and its footer; a missing, empty, truncated or corrupt file is one clear input error. */
async function openParquet(path: string): Promise<{
  file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
}> {
  try {
    const file = await asyncBufferFromFile(path);
    return { file, metadata: await parquetMetadataAsync(file) };
  } catch (e) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${path}: not a readable Parquet file: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

function topLevel(schema: SchemaElement[]): SchemaElement[] {
  const out: SchemaElement[] = [];
  // schema[0] is the root; walk its children, skipping each child's subtree.
  let i = 1;
  while (i < schema.length) {
    out.push(schema[i]);
    i = skipSubtree(schema, i);
  }
  return out;
}

function skipSubtree(schema: SchemaElement[], i: number): number {
  let next = i + 1;
  for (let c = 0; c < (schema[i].num_children ?? 0); c++) next = skipSubtree(schema, next);
  return next;
}

export type ColumnKind = 'STRING' | 'BOOLEAN' | 'DOUBLE' | 'INT64' | 'TIMESTAMP' | 'BYTE_ARRAY' | 'JSON';

const ELEMENTS: Record<ColumnKind, Omit<WriterSchemaElement, 'name'>> = {
  STRING: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  BOOLEAN: { type: 'BOOLEAN' },
  DOUBLE: { type: 'DOUBLE' },
  INT64: { type: 'INT64' },
  TIMESTAMP: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
  BYTE_ARRAY: { type: 'BYTE_ARRAY' },
  JSON: { type: 'BYTE_ARRAY', converted_type: 'JSON' },
};

function kindOf(value: unknown): ColumnKind | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'number') return 'DOUBLE';
  if (typeof value === 'bigint') return 'INT64';
  if (value instanceof Date) return 'TIMESTAMP';
  if (value instanceof Uint8Array) return 'BYTE_ARRAY';
  return 'JSON';
}

/** A column's kind after seeing one more value: nulls change nothing, a second kind makes it JSON. */
function mergeKind(current: ColumnKind | undefined, value: unknown): ColumnKind | undefined {
  const k = kindOf(value);
  if (k === undefined) return current;
  return current === undefined || current === k ? k : 'JSON';
}

/**
 * The kind of every column over all the records it is shown, for a writer whose records are all at hand
 * (a spool on disk): the first row group alone can hold only nulls in a column that is INT64 later.
 */
export class ColumnKindSurvey {
  private readonly kinds = new Map<string, ColumnKind>();

  observe(record: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(record)) {
      const kind = mergeKind(this.kinds.get(name), value);
      if (kind !== undefined) this.kinds.set(name, kind);
    }
  }

  result(): Record<string, ColumnKind> {
    return Object.fromEntries(this.kinds);
  }
}

/**
 * Streams records into a Parquet file with one row group per `rowGroupSize` records. Every column is
 * OPTIONAL (missing keys are nulls). Column types come from the first row group: strings → UTF8,
 * numbers → DOUBLE, bigints → INT64, booleans, Dates → TIMESTAMP_MILLIS, bytes → BYTE_ARRAY, and
 * anything nested (objects, arrays) or mixed → a JSON column (a UTF-8 JSON string, converted type
 * JSON, which hyparquet reads back as the value). A later value that does not fit its column's type is
 * an error, never a silent null. `kinds` (e.g. from a {@link ColumnKindSurvey}) fixes column types up front.
 */
export class ParquetRecordWriter {
  private rows: Record<string, unknown>[] = [];
  private columns: string[] | undefined;
  private kinds: ColumnKind[] = [];
  private writer: ParquetWriter | undefined;
  private sink: FileSink | undefined;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly options: {
      columns?: string[];
      rowGroupSize?: number;
      kinds?: Readonly<Record<string, ColumnKind>>;
    } = {},
  ) {
    this.columns = options.columns;
  }

  async write(record: Record<string, unknown>): Promise<void> {
    if (this.closed) throw new LifeguardError('LG_ERR_INPUT_INVALID', `${this.path}: write after close`);
    this.rows.push(record);
    if (this.rows.length >= (this.options.rowGroupSize ?? 1000)) await this.flushGroup();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushGroup();
    if (!this.writer) await this.start([]);
    this.closed = true;
    await this.writer!.finish();
  }

  private async start(rows: Record<string, unknown>[]): Promise<void> {
    if (!this.columns) {
      const names = new Set<string>();
      for (const row of rows) for (const k of Object.keys(row)) names.add(k);
      this.columns = [...names];
    }
    const given = this.options.kinds;
    this.kinds = this.columns.map((name) => {
      let kind = given && Object.hasOwn(given, name) ? given[name] : undefined;
      for (const row of rows) kind = mergeKind(kind, row[name]);
      return kind ?? 'STRING';
    });
    const schema: WriterSchemaElement[] = [
      { name: 'root', num_children: this.columns.length },
      ...this.columns.map((name, i) => ({ name, repetition_type: 'OPTIONAL' as const, ...ELEMENTS[this.kinds[i]] })),
    ];
    this.sink = await FileSink.open(this.path);
    this.writer = new ParquetWriter({ writer: this.sink.writer, schema, createdBy: 'lifeguard' });
  }

  private async flushGroup(): Promise<void> {
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    if (!this.writer) await this.start(rows);
    const columns = this.columns!;
    for (const row of rows) {
      for (const key of Object.keys(row)) {
        if (!columns.includes(key) && row[key] !== undefined) {
          throw new LifeguardError(
            'LG_ERR_INPUT_INVALID',
            `${this.path}: record has field "${key}", which is not a column (${columns.join(', ')})`,
          );
        }
      }
    }
    const columnData = columns.map((name, i) => {
      const kind = this.kinds[i];
      const data = rows.map((row) => {
        const v = row[name] ?? null;
        if (v === null || kind === 'JSON') return v;
        if (kindOf(v) !== kind) {
          throw new LifeguardError(
            'LG_ERR_INPUT_INVALID',
            `${this.path}: column "${name}" holds ${kind} values, got ${typeof v}; pass columns or keep types consistent`,
          );
        }
        return v;
      });
      return { name, data };
    });
    await this.writer!.write({ columnData, rowGroupSize: rows.length });
  }
}

/** A hyparquet Writer that buffers one row group and appends it to the file when the group is done. */
class FileSink {
  readonly writer: Writer;

  private constructor(private readonly handle: Awaited<ReturnType<typeof open>>) {
    const bytes: ByteWriter & { flush?: () => Promise<void> } = new ByteWriter();
    const flush = async (): Promise<void> => {
      const chunk = new Uint8Array(bytes.buffer, 0, bytes.index);
      let written = 0;
      while (written < chunk.length) {
        const r = await this.handle.write(chunk, written, chunk.length - written);
        written += r.bytesWritten;
      }
      bytes.index = 0;
    };
    bytes.flush = flush;
    bytes.finish = async () => {
      await flush();
      await this.handle.close();
    };
    bytes.getBuffer = () => {
      throw new Error('getBuffer is not supported when writing to a file');
    };
    this.writer = bytes;
  }

  static async open(path: string): Promise<FileSink> {
    return new FileSink(await open(path, 'w'));
  }
}
