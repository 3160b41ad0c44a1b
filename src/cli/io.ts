import { createReadStream, readFileSync } from 'node:fs';
import { jsonErrorMessage, LifeguardError } from '../core/errors.js';
import { firstInvalidUtf8, splitLines } from '../data/io/lines.js';
import { getPath } from '../data/io/shapes.js';
import { checkReadableFile } from './flags.js';

/** Default cap on one input (whole-text mode) or one JSONL line; override with --max-bytes. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export function openInput(file: string | undefined): NodeJS.ReadableStream {
  if (!file || file === '-') return process.stdin;
  checkReadableFile(file);
  return createReadStream(file);
}

/**
 * Reads a whole input as UTF-8 text, refusing inputs over `maxBytes` with a clear error. With `strictUtf8`,
 * invalid UTF-8 is refused too, instead of read as U+FFFD.
 */
export async function readAllText(
  file: string | undefined,
  maxBytes = DEFAULT_MAX_BYTES,
  strictUtf8 = false,
): Promise<string> {
  if (file && file !== '-') {
    checkReadableFile(file);
    const buf = readFileSync(file);
    if (buf.length > maxBytes) throw tooLarge(buf.length, maxBytes);
    return decodeInput(buf, strictUtf8);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > maxBytes) throw tooLarge(size, maxBytes);
    chunks.push(b);
  }
  return decodeInput(Buffer.concat(chunks), strictUtf8);
}

function decodeInput(buf: Buffer, strictUtf8: boolean): string {
  const bad = strictUtf8 ? firstInvalidUtf8(buf) : -1;
  if (bad >= 0) throw new LifeguardError('LG_ERR_INPUT_INVALID', notUtf8('input', `byte offset ${bad}`));
  return buf.toString('utf8');
}

/** Why a text is refused: where, never the text around it. */
function notUtf8(what: string, where: string): string {
  return `${what} is not valid UTF-8 (an invalid sequence at ${where}), and reading it would replace those bytes with U+FFFD; convert it to UTF-8 first (e.g. iconv -f latin1 -t utf-8)`;
}

function tooLarge(size: number, max: number): LifeguardError {
  return new LifeguardError(
    'LG_ERR_INPUT_TOO_LARGE',
    `input is ${size} bytes, over the ${max}-byte limit; split it, use --jsonl, or raise --max-bytes`,
  );
}

/**
 * One JSONL line as the CLI sees it: the parsed record or why it could not be read. `line`: its 0-based
 * physical line number (blank lines counted). `idFromLine`: `id` is that line number, not an `id` field the
 * record has (it has none, or it could not be read), so it may equal another record's real id. `rawId`: the `id` as
 * written, when it is a whole number too large for a double (`12345678901234567890` parses to
 * `12345678901234567000`) or out of a double's range (`1e400`, Infinity); the output writes it back as
 * written (see {@link jsonLine}).
 */
export type JsonlRecord =
  | { line: number; id: unknown; idFromLine?: true; text: string; record: Record<string, unknown>; rawId?: string }
  | { line: number; id: unknown; idFromLine?: true; error: string; raw: string; rawId?: string };

/**
 * The raw text of the number a top-level `key` holds in a JSON object's text (the last one, as JSON.parse
 * keeps the last of duplicate keys); undefined when it holds something else. One pass over text already
 * known to parse.
 */
export function rawTopLevelNumber(json: string, key: string): string | undefined {
  let depth = 0;
  let prev = ''; // the last structural character outside strings
  let found: string | undefined;
  for (let i = 0; i < json.length; i++) {
    const c = json[i] as string;
    if (c === '"') {
      let j = i + 1;
      while (j < json.length && json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      if (depth === 1 && (prev === '{' || prev === ',') && JSON.parse(json.slice(i, j + 1)) === key) {
        const m = /^\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=\s*[,}])/.exec(json.slice(j + 1, j + 400));
        found = m ? m[1] : undefined;
      }
      prev = '"';
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      prev = c;
    } else if (c === '}' || c === ']') {
      depth--;
      prev = c;
    } else if (c === ',' || c === ':') prev = c;
  }
  return found;
}

/**
 * One output object as a JSON line. A `rawId` (see {@link JsonlRecord}) replaces the rounded number of a
 * leading `"id"`, so the id a caller joins on comes back digit for digit.
 */
export function jsonLine(out: Record<string, unknown>, rawId?: string): string {
  const line = JSON.stringify(out);
  if (rawId === undefined || typeof out.id !== 'number') return line;
  const head = `{"id":${JSON.stringify(out.id)}`;
  return line.startsWith(head) ? `{"id":${rawId}${line.slice(head.length)}` : line;
}

/**
 * Streams JSONL records. Ids come from the record's `id` field, else the 0-based line number (`idFromLine`). A line
 * that is not a JSON object, lacks the text field, or is too long becomes an error record; blank lines
 * are skipped. Nothing stops the stream but the end of input.
 */
export async function* readJsonl(
  input: NodeJS.ReadableStream,
  textField: string,
  maxBytes = DEFAULT_MAX_BYTES,
  /**
   * Read `textField` as a dotted path (`msg.text`; a top-level key with that exact name wins), as the data
   * stage reads it. Only for commands that never write the text back: a command that copies the record and
   * sets `[textField]` would set a new flat key and leave the nested original untouched.
   */
  nestedField = false,
  /** A line with invalid UTF-8 becomes an error record instead of being read with U+FFFD in it. */
  strictUtf8 = false,
): AsyncGenerator<JsonlRecord> {
  // The data stage's splitter, not readline: readline also ends a line at a lone CR (legal JSON
  // whitespace), which split one record into two errors and shifted every later line-number id, and it
  // buffers a whole line before --max-bytes is checked, so a line over V8's string limit crashed the run.
  // splitLines ends lines at LF only (CRLF handled, a leading BOM dropped) and never buffers a line over
  // the limit.
  for await (const read of splitLines(input as AsyncIterable<Buffer | string>, maxBytes, strictUtf8)) {
    const line = read.index;
    if (read.tooLong) {
      yield {
        line,
        id: line,
        idFromLine: true,
        error: `line is ${read.bytes - 1} bytes, over the --max-bytes limit of ${maxBytes} bytes; split the record or raise --max-bytes`,
        raw: read.text.slice(0, 200),
      };
      continue;
    }
    const raw = read.text;
    if (raw.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      yield { line, id: line, idFromLine: true, error: `invalid JSON: ${jsonErrorMessage(e)}`, raw };
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      yield { line, id: line, idFromLine: true, error: 'line is not a JSON object', raw };
      continue;
    }
    const record = parsed as Record<string, unknown>;
    const id = record.id ?? line;
    const fromLine = record.id === undefined || record.id === null ? ({ idFromLine: true } as const) : {};
    // A whole-number id beyond 2^53 was written back rounded, so it no longer matched its input line; one
    // beyond a double's range (`1e400` parses to Infinity) was written back as null.
    const rawId =
      typeof id === 'number' && (Number.isInteger(id) || !Number.isFinite(id)) && !Number.isSafeInteger(id)
        ? rawTopLevelNumber(raw, 'id')
        : undefined;
    if (read.invalidUtf8At !== undefined) {
      const where = `byte offset ${read.invalidUtf8At} of the line, ${read.offset + read.invalidUtf8At} of the input`;
      yield { line, id, ...fromLine, error: notUtf8('line', where), raw, ...(rawId ? { rawId } : {}) };
      continue;
    }
    // Own keys only (`--text-field constructor` read Object.prototype's function: "not a string").
    const text = nestedField
      ? getPath(record, textField)
      : Object.hasOwn(record, textField)
        ? record[textField]
        : undefined;
    if (typeof text !== 'string') {
      const why = text === undefined ? `has no "${textField}" field` : `"${textField}" is not a string`;
      yield { line, id, ...fromLine, error: `record ${why} (set --text-field)`, raw, ...(rawId ? { rawId } : {}) };
      continue;
    }
    yield { line, id, ...fromLine, text, record, ...(rawId ? { rawId } : {}) };
  }
}

/** Writes one line to stdout, waiting when the pipe is full (backpressure). */
export async function writeLine(line: string): Promise<void> {
  if (!process.stdout.write(`${line}\n`)) {
    await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}
