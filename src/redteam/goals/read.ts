import { readFileSync } from 'node:fs';
import { LifeguardError } from '../../core/errors.js';
import { CsvParser } from '../../data/io/csv.js';

/** One data row of a goal file, with where it was, for error messages. */
export interface TableRow {
  /** 0-based data row (CSV: after the header; JSONL: non-blank lines). */
  row: number;
  /** Where to look in the file: `row 12` (CSV) or `line 14` (JSONL). */
  where: string;
  fields: Record<string, unknown>;
}

/** Largest goal file we read (goals are short prompts; this bounds memory on a wrong path). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** Longest CSV row. */
const MAX_ROW_CHARS = 1 << 20;

export type TableFormat = 'csv' | 'jsonl';

export function formatOf(file: string, explicit?: TableFormat): TableFormat {
  if (explicit) return explicit;
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  throw new LifeguardError(
    'LG_ERR_INPUT_INVALID',
    `${file}: cannot tell the format from the name; use a .csv or .jsonl file or set format: csv | jsonl`,
  );
}

function readText(file: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `${file}: cannot read goal file (${code ?? (e as Error).message})`,
      { cause: e },
    );
  }
  if (buf.length > MAX_FILE_BYTES) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `${file}: ${buf.length} bytes is over the ${MAX_FILE_BYTES}-byte limit`,
    );
  }
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The rows of a CSV (header row first) or JSONL (one object per line) file; a malformed row names itself. */
export function readTable(file: string, format: TableFormat): TableRow[] {
  const text = readText(file);
  return format === 'csv' ? csvTable(file, text) : jsonlTable(file, text);
}

function csvTable(file: string, text: string): TableRow[] {
  const parser = new CsvParser(MAX_ROW_CHARS);
  const parsed = [...parser.push(text), ...parser.end()].filter((r) => !r.blank);
  const [header, ...data] = parsed;
  if (!header) throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}: empty CSV file (no header row)`);
  const names = header.fields.map((f) => f.trim());
  if (names.some((n) => n === '')) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}: the header row has an empty column name`);
  }
  // a repeated column name would silently take the last column's value (the goal text from the wrong column)
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}: the header row names column "${repeated}" twice`);
  }
  return data.map((r, row) => {
    const where = `row ${row}`;
    if (r.unterminated) {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}: ${where}: a quoted field is never closed`);
    }
    if (r.tooLong) {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}: ${where}: over ${MAX_ROW_CHARS} characters`);
    }
    if (r.fields.length !== names.length) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `${file}: ${where}: ${r.fields.length} fields where the header has ${names.length}`,
      );
    }
    return { row, where, fields: Object.fromEntries(names.map((n, i) => [n, r.fields[i]])) };
  });
}

function jsonlTable(file: string, text: string): TableRow[] {
  const rows: TableRow[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const where = `line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}: ${where}: not valid JSON (${(e as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}: ${where}: expected a JSON object`);
    }
    rows.push({ row: rows.length, where, fields: value as Record<string, unknown> });
  }
  return rows;
}
