import { createReadStream, readFileSync } from 'node:fs';
import { LifeguardError } from '../core/errors.js';
import { splitLines } from '../data/io/lines.js';
import { checkReadableFile } from './flags.js';

/** Default cap on one input (whole-text mode) or one JSONL line; override with --max-bytes. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export function openInput(file: string | undefined): NodeJS.ReadableStream {
  if (!file || file === '-') return process.stdin;
  checkReadableFile(file);
  return createReadStream(file);
}

/** Reads a whole input as UTF-8 text, refusing inputs over `maxBytes` with a clear error. */
export async function readAllText(file: string | undefined, maxBytes = DEFAULT_MAX_BYTES): Promise<string> {
  if (file && file !== '-') {
    checkReadableFile(file);
    const buf = readFileSync(file);
    if (buf.length > maxBytes) throw tooLarge(buf.length, maxBytes);
    return buf.toString('utf8');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > maxBytes) throw tooLarge(size, maxBytes);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(size: number, max: number): LifeguardError {
  return new LifeguardError(
    'LG_ERR_INPUT_TOO_LARGE',
    `input is ${size} bytes, over the ${max}-byte limit; split it, use --jsonl, or raise --max-bytes`,
  );
}

/** One JSONL line as the CLI sees it: the parsed record or why it could not be read. */
export type JsonlRecord =
  | { line: number; id: unknown; text: string; record: Record<string, unknown> }
  | { line: number; id: unknown; error: string; raw: string };

/**
 * Streams JSONL records. Ids come from the record's `id` field, else the 0-based line number. A line
 * that is not a JSON object, lacks the text field, or is too long becomes an error record; blank lines
 * are skipped. Nothing stops the stream but the end of input.
 */
export async function* readJsonl(
  input: NodeJS.ReadableStream,
  textField: string,
  maxBytes = DEFAULT_MAX_BYTES,
): AsyncGenerator<JsonlRecord> {
  // The data stage's splitter, not readline: readline also ends a line at a lone CR (legal JSON
  // whitespace), which split one record into two errors and shifted every later line-number id, and it
  // buffers a whole line before --max-bytes is checked, so a line over V8's string limit crashed the run.
  // splitLines ends lines at LF only (CRLF handled, a leading BOM dropped) and never buffers a line over
  // the limit.
  for await (const read of splitLines(input as AsyncIterable<Buffer | string>, maxBytes)) {
    const line = read.index;
    if (read.tooLong) {
      yield {
        line,
        id: line,
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
      yield { line, id: line, error: `invalid JSON: ${(e as Error).message}`, raw };
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      yield { line, id: line, error: 'line is not a JSON object', raw };
      continue;
    }
    const record = parsed as Record<string, unknown>;
    const id = record.id ?? line;
    const text = record[textField];
    if (typeof text !== 'string') {
      const why = text === undefined ? `has no "${textField}" field` : `"${textField}" is not a string`;
      yield { line, id, error: `record ${why} (set --text-field)`, raw };
      continue;
    }
    yield { line, id, text, record };
  }
}

/** Writes one line to stdout, waiting when the pipe is full (backpressure). */
export async function writeLine(line: string): Promise<void> {
  if (!process.stdout.write(`${line}\n`)) {
    await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}
