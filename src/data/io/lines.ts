import { isUtf8 } from 'node:buffer';
import { RAW_PREVIEW_CHARS } from './types.js';

/** One line from {@link splitLines}: its text, or a preview of it when it was over the cap. */
export interface Line {
  index: number;
  text: string;
  tooLong?: boolean;
  /** Bytes the line took in the stream, its line break included. */
  bytes: number;
  /** Where the line starts in the stream, in bytes (a byte-order mark counted). */
  offset: number;
  /** With `checkUtf8`: where in the line (in bytes) its first invalid UTF-8 sequence starts; `text` has U+FFFD there. */
  invalidUtf8At?: number;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into UTF-8 lines with bounded memory. Handles LF and CRLF endings, a final line
 * without a newline and a leading UTF-8 byte-order mark. A line over `maxBytes` is not buffered: it
 * comes back as `{tooLong: true}` with the first {@link RAW_PREVIEW_CHARS} characters as `text`.
 * Pulling from the async iterator is what reads the stream, so a slow consumer slows the reader.
 */
export async function* splitLines(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  maxBytes: number,
  /** Report invalid UTF-8 in `invalidUtf8At` (decoding alone turns it into U+FFFD without a trace). */
  checkUtf8 = false,
): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let preview = '';
  let index = 0;
  let first = true;
  let lineBytes = 0;
  let lineStart = 0;

  const finish = (): Line => {
    // A line inside one chunk is decoded in place; only a line split across chunks is joined first.
    const buf = tooLong ? undefined : parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
    const line: Line = !buf
      ? { index, text: preview, tooLong: true, bytes: lineBytes + 1, offset: lineStart }
      : { index, text: decode(buf), bytes: lineBytes + 1, offset: lineStart };
    const bad = checkUtf8 && buf ? firstInvalidUtf8(buf) : -1;
    if (bad >= 0) line.invalidUtf8At = bad;
    lineStart += lineBytes + 1;
    lineBytes = 0;
    parts = [];
    size = 0;
    tooLong = false;
    preview = '';
    index++;
    return line;
  };
  const append = (piece: Buffer): void => {
    lineBytes += piece.length;
    if (tooLong) return;
    if (size + piece.length > maxBytes) {
      tooLong = true;
      preview = head([...parts, piece], RAW_PREVIEW_CHARS * 4)
        .toString('utf8')
        .slice(0, RAW_PREVIEW_CHARS);
      parts = [];
      size = 0;
      return;
    }
    parts.push(piece);
    size += piece.length;
  };

  for await (const chunk of source) {
    let buf =
      typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (first && buf.length > 0) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf = buf.subarray(3);
        lineStart = 3;
      }
    }
    let start = 0;
    for (let nl = buf.indexOf(LF, start); nl !== -1; nl = buf.indexOf(LF, start)) {
      append(buf.subarray(start, nl));
      start = nl + 1;
      yield finish();
    }
    // Copy the tail: the chunk's memory may be reused by the stream.
    if (start < buf.length) append(Buffer.from(buf.subarray(start)));
  }
  if (size > 0 || tooLong) yield finish();
}

/**
 * Where the first invalid UTF-8 sequence in `bytes` starts (a stray continuation byte, a bad or truncated
 * sequence, an overlong form, a surrogate, a code point over U+10FFFF), or -1 when all of it is valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i] as number;
    const more =
      c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (more < 0) return i;
    // the second byte's range rules out overlong forms, surrogates (ED A0–BF) and code points over U+10FFFF
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= more; k++) {
      const d = bytes[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += more + 1;
  }
  return -1;
}

/** UTF-8 decode, dropping one trailing CR (CRLF endings). */
function decode(bytes: Buffer): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
  return bytes.toString('utf8', 0, end);
}

/** The first `n` bytes of a list of buffers, copying no more than that. */
function head(parts: Buffer[], n: number): Buffer {
  const out: Buffer[] = [];
  let size = 0;
  for (const p of parts) {
    if (size >= n) break;
    const take = p.subarray(0, n - size);
    out.push(take);
    size += take.length;
  }
  return Buffer.concat(out, size);
}
