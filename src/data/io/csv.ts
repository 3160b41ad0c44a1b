import { StringDecoder } from 'node:string_decoder';
import { LifeguardError } from '../../core/errors.js';
import { RAW_PREVIEW_CHARS } from './types.js';

/** One parsed CSV row: its fields, or a preview when it was over the size cap or never closed its quote. */
export interface CsvRow {
  fields: string[];
  /** Over the cap: `fields` holds what was read before the cap was hit. */
  tooLong?: boolean;
  /** The input ended inside a quoted field. */
  unterminated?: boolean;
  /** A row holding nothing at all (an empty line). */
  blank?: boolean;
}

/** Parser states; plain numbers keep the per-character loop cheap. */
const State = { FieldStart: 0, Unquoted: 1, Quoted: 2, QuoteInQuoted: 3 } as const;
type State = (typeof State)[keyof typeof State];

/**
 * Incremental RFC 4180 parser: quoted fields may hold delimiters, `""` escapes and line breaks; rows
 * end at LF, CRLF or a lone CR. Lenient where the RFC is silent: a quote inside an unquoted field is
 * literal, text after a closing quote is appended. Memory per row is capped at `maxChars`.
 */
export class CsvParser {
  private state: State = State.FieldStart;
  private field = '';
  private fields: string[] = [];
  private rowChars = 0;
  private tooLong = false;
  private skipLF = false;
  private readonly delimiter: string;

  constructor(
    private readonly maxChars: number,
    delimiter = ',',
  ) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `CSV delimiter must be one character other than a quote or newline`,
      );
    }
    this.delimiter = delimiter;
  }

  push(text: string): CsvRow[] {
    const rows: CsvRow[] = [];
    const d = this.delimiter;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text[i];
      if (this.skipLF) {
        this.skipLF = false;
        if (c === '\n') {
          i++;
          continue;
        }
      }
      // Runs of ordinary characters are taken as one slice.
      if (this.state === State.Quoted && c !== '"') {
        const q = text.indexOf('"', i);
        const j = q === -1 ? n : q;
        this.take(text, i, j);
        i = j;
        continue;
      }
      if (this.state === State.Unquoted && c !== d && c !== '\n' && c !== '\r') {
        let j = i + 1;
        while (j < n && text[j] !== d && text[j] !== '\n' && text[j] !== '\r') j++;
        this.take(text, i, j);
        i = j;
        continue;
      }
      this.count(1);
      i++;
      switch (this.state) {
        case State.FieldStart:
          if (c === '"') this.state = State.Quoted;
          else if (c === d) this.endField();
          else if (c === '\n' || c === '\r') rows.push(this.endRow(c));
          else {
            this.add(c);
            this.state = State.Unquoted;
          }
          break;
        case State.Unquoted:
          if (c === d) this.endField();
          else rows.push(this.endRow(c));
          break;
        case State.Quoted:
          this.state = State.QuoteInQuoted;
          break;
        case State.QuoteInQuoted:
          if (c === '"') {
            this.add('"');
            this.state = State.Quoted;
          } else if (c === d) this.endField();
          else if (c === '\n' || c === '\r') rows.push(this.endRow(c));
          else {
            this.add(c);
            this.state = State.Unquoted;
          }
          break;
      }
    }
    return rows;
  }

  /** Call at end of input: the last row when it had no line break. */
  end(): CsvRow[] {
    if (this.state === State.Quoted) {
      const row = this.endRow('');
      return [{ ...row, unterminated: true }];
    }
    if (this.state === State.FieldStart && this.fields.length === 0 && this.rowChars === 0) return [];
    return [this.endRow('')];
  }

  private add(c: string): void {
    if (!this.tooLong) this.field += c;
  }

  private take(text: string, from: number, to: number): void {
    this.count(to - from);
    if (!this.tooLong) this.field += text.slice(from, to);
  }

  private count(chars: number): void {
    this.rowChars += chars;
    if (this.rowChars > this.maxChars) this.tooLong = true;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
  }

  private endRow(lineBreak: string): CsvRow {
    const blank = this.fields.length === 0 && this.field === '' && this.state === State.FieldStart;
    this.endField();
    const row: CsvRow = { fields: this.fields };
    if (this.tooLong) row.tooLong = true;
    if (blank) row.blank = true;
    this.fields = [];
    this.rowChars = 0;
    this.tooLong = false;
    this.skipLF = lineBreak === '\r';
    return row;
  }
}

/** Parses a CSV byte stream into rows (see {@link CsvParser}); strips a leading UTF-8 byte-order mark. */
export async function* csvRows(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  maxChars: number,
  delimiter = ',',
): AsyncGenerator<CsvRow> {
  const parser = new CsvParser(maxChars, delimiter);
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const chunk of source) {
    let text =
      typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    yield* parser.push(text);
  }
  yield* parser.push(decoder.end());
  yield* parser.end();
}

/** One field, quoted when it holds the delimiter, a quote or a line break. */
export function csvField(value: unknown, delimiter = ','): string {
  const s = fieldText(value);
  if (s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r')) {
    return `"${s.replaceAll('"', '""')}"`;
  }
  return s;
}

/** One CSV row without its line break. */
export function csvLine(values: unknown[], delimiter = ','): string {
  const line = values.map((v) => csvField(v, delimiter)).join(delimiter);
  // A lone empty field would be an empty line, which readers skip: quote it.
  return line === '' && values.length === 1 ? '""' : line;
}

/** A row's fields rejoined as CSV, cut to a preview length, for error records. */
export function csvPreview(fields: string[], delimiter = ','): string {
  return csvLine(fields, delimiter).slice(0, RAW_PREVIEW_CHARS);
}

function fieldText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value, jsonReplacer);
}

/** JSON.stringify replacer for values parquet readers produce: bigints become numbers (or strings when unsafe). */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}
