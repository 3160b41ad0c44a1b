import { canonicalize } from './canonical.js';
import { MappedText } from './mapped-text.js';
import { findMorseRuns } from './morse.js';
import { tagCharToAscii } from './unicode.js';

export type EncodingKind = 'base64' | 'hex' | 'url' | 'unicode-tags' | 'morse';

/** A segment of the input that decodes to readable text, as a view mapped to the encoded span. */
export interface DecodedSegment {
  encoding: EncodingKind;
  view: MappedText;
}

/** Shortest hex or base64 run worth decoding. */
const MIN_HEX = 16;
/** Don't decode segments larger than this (a 1 MB base64 blob is an attachment, not a prompt trick). */
const MAX_SEGMENT = 64 * 1024;

export interface DecodeOptions {
  /**
   * Also keep decoded text made mostly of digits: `card 4111 1111 1111 1111`, `SSN: 536-22-8410` or a
   * phone number, base64- or hex-encoded, has too few letters to pass as text and was never scanned.
   * The detectors' views set it; classifier features leave it off (their trained weights read the
   * letter-rich segments only).
   */
  numeric?: boolean;
  /**
   * Also decode Morse code (runs of dots and dashes that read as eight or more letters; `morse.ts`). The
   * classifiers read a Morse payload as a window of its own; their trained features, and the detectors'
   * views, leave it off.
   */
  morse?: boolean;
}

/**
 * Finds base64, hex, percent-encoded and Unicode-tag-smuggled segments whose decoded form is readable
 * text, and returns each decoded text as a view that maps every character back to the whole encoded
 * segment. Decoded text is canonicalised too, and decoded again up to `depth` levels (base64 in base64).
 */
export function decodeSegments(view: MappedText, depth = 2, options: DecodeOptions = {}): DecodedSegment[] {
  const out: DecodedSegment[] = [];
  const root = rootOf(view);
  findTagsIn(root.text, out, root);
  const accept: Accept = { numeric: options.numeric === true, morse: options.morse === true };
  collect(view, depth, out, accept);
  if (options.morse === true && depth > 0) {
    // Morse in a decoded segment too (base64 of Morse: the red team's `morse+base64` chain was read as dots
    // and dashes). Each segment's text is read once, so this stays linear in what was decoded.
    const decoded = depth > 1 ? out.length : 0;
    for (const run of findMorseRuns(view.text)) {
      out.push({ encoding: 'morse', view: decodedView(view, run.text, run.from, run.to) });
    }
    for (let k = 0; k < decoded; k++) {
      const seg = out[k].view;
      for (const run of findMorseRuns(seg.text)) {
        out.push({ encoding: 'morse', view: decodedView(seg, run.text, run.from, run.to) });
      }
    }
  }
  return out;
}

/** What a decoded segment may be besides letter-rich text (`DecodeOptions`). */
interface Accept {
  numeric: boolean;
  morse: boolean;
}

function collect(view: MappedText, depth: number, out: DecodedSegment[], accept: Accept): void {
  if (depth <= 0) return;
  if (depth === 1) {
    // nothing is decoded below this level: segments go straight to `out`
    findRuns(view, out, accept);
    findPercentEncoded(view, out, accept);
    return;
  }
  const found: DecodedSegment[] = [];
  findRuns(view, found, accept);
  findPercentEncoded(view, found, accept);
  for (const seg of found) {
    out.push(seg);
    // a run needs MIN_HEX characters and an escape a `%`: most decoded segments hold neither
    const t = seg.view.text;
    if (t.length >= MIN_HEX || t.includes('%')) collect(seg.view, depth - 1, out, accept);
  }
}

function decodedView(parent: MappedText, text: string, from: number, to: number): MappedText {
  return canonicalize(MappedText.spanning(text, parent, from, to));
}

/** Scratch for the bytes of a hex run (at most MAX_SEGMENT / 2 of them). */
const BYTES = Buffer.alloc(MAX_SEGMENT / 2);

/** 0–15 for a hex digit, else -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** 1 for the base64 alphabet (standard and URL-safe); hex digits are a subset. */
const B64 = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_') B64[c.charCodeAt(0)] = 1;

function isB64(c: number): boolean {
  return c < 128 && B64[c] === 1;
}

/**
 * Runs of base64-alphabet characters at least MIN_HEX long. Any such run covers position `i + MIN_HEX - 1`
 * of a window starting at a run boundary `i`, so each window is checked from its end backwards and skipped
 * past the first outsider (prose has one every few characters): most characters are never read. Every
 * character is read at most twice, so the scan stays linear.
 */
function findRuns(view: MappedText, out: DecodedSegment[], accept: Accept): void {
  const s = view.text;
  const n = s.length;
  let i = 0; // always 0 or just after a character outside the alphabet
  while (i + MIN_HEX <= n) {
    let j = i + MIN_HEX - 1;
    while (j >= i && isB64(s.charCodeAt(j))) j--;
    if (j >= i) {
      i = j + 1;
      continue;
    }
    const start = i;
    i += MIN_HEX;
    while (i < n && isB64(s.charCodeAt(i))) i++;
    const len = i - start;
    if (len > MAX_SEGMENT) continue;
    let allHex = true;
    let hasUpper = false;
    let hasLower = false;
    let hasDigit = false;
    for (let k = start; k < i; k++) {
      const c = s.charCodeAt(k);
      if (!isHex(c)) allHex = false;
      if (c >= 65 && c <= 90) hasUpper = true;
      else if (c >= 97 && c <= 122) hasLower = true;
      else if (c >= 48 && c <= 57) hasDigit = true;
    }
    let end = i;
    while (end < n && end - i < 2 && s.charCodeAt(end) === 61) end++; // '=' padding
    if (allHex && len >= MIN_HEX && len % 2 === 0) {
      const text = readableHex(s, start, i, accept);
      if (text) out.push({ encoding: 'hex', view: decodedView(view, text, start, i) });
      continue;
    }
    // Base64 of text mixes cases; a long plain word or identifier does not decode to readable text anyway.
    if (hasUpper && hasLower && (hasDigit || len >= 24)) {
      const text = readable(Buffer.from(s.slice(start, end), 'base64'), accept);
      if (text) out.push({ encoding: 'base64', view: decodedView(view, text, start, end) });
    }
  }
}

/** Runs of non-space text with at least three %XX escapes. */
function findPercentEncoded(view: MappedText, out: DecodedSegment[], accept: Accept): void {
  const s = view.text;
  let from = s.indexOf('%');
  while (from !== -1) {
    let start = from;
    while (start > 0 && !isBreak(s.charCodeAt(start - 1))) start--;
    let end = from;
    let escapes = 0;
    while (end < s.length && !isBreak(s.charCodeAt(end))) {
      if (s.charCodeAt(end) === 37 && isHex(s.charCodeAt(end + 1)) && isHex(s.charCodeAt(end + 2))) escapes++;
      end++;
    }
    if (escapes >= 3 && end - start <= MAX_SEGMENT) {
      const text = decodePercent(s, start, end);
      if (text && isReadable(text, accept)) out.push({ encoding: 'url', view: percentView(view, text, start, end) });
    }
    from = s.indexOf('%', end);
  }
}

/**
 * The decoded text of parent[from, to) (what `decodePercent` returned) with each unit mapped to its own escape,
 * `+` or character, not to the whole segment: an address in `q=%6A%6F%40x.io&x=1` maps back to `%6A%6F%40x.io`,
 * not to the query string around it. The map is made only when a span is mapped (a finding): hostile input
 * decodes into a hundred thousand small segments, most read and dropped.
 */
function percentView(parent: MappedText, text: string, from: number, to: number): MappedText {
  return canonicalize(MappedText.lazy(text, parent, () => percentMap(parent.text, text.length, from, to)));
}

/** For each unit of the decoded s[from, to) (`n` units), where its escape, `+` or character starts and ends. */
function percentMap(s: string, n: number, from: number, to: number): [Int32Array, Int32Array] {
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  let at = 0; // units mapped so far
  for (let k = from; k < to && at < n; ) {
    // a character or a `+` (a space) is one unit; `%XX` too, or with the escapes after it one UTF-8 character
    // (a surrogate pair for four bytes)
    let width = 1;
    let units = 1;
    if (s.charCodeAt(k) === 37) {
      const lead = hexValue(s.charCodeAt(k + 1)) * 16 + hexValue(s.charCodeAt(k + 2));
      const bytes = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
      width = 3 * bytes;
      units = bytes === 4 ? 2 : 1;
    }
    for (const end = Math.min(at + units, n); at < end; at++) {
      starts[at] = k;
      ends[at] = k + width;
    }
    k += width;
  }
  return [starts, ends];
}

/**
 * `decodeURIComponent` of s[start, end) with each `+` read as a space, or null where that throws. Escapes of
 * ASCII bytes (one unit each) are decoded here, which spares the small strings the built-in needs; from the
 * first escape of a byte above 0x7f (UTF-8 of more than one byte) the built-in decodes the whole segment.
 */
function decodePercent(s: string, start: number, end: number): string | null {
  let out = '';
  let copied = start; // s[copied, k) is text between escapes, not yet in `out`
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c === 43) {
      out += k > copied ? `${s.slice(copied, k)} ` : ' ';
      copied = k + 1;
    } else if (c === 37) {
      const hi = k + 2 < end ? hexValue(s.charCodeAt(k + 1)) : -1;
      const lo = hexValue(s.charCodeAt(k + 2));
      if (hi < 0 || lo < 0) return null; // a malformed escape: the built-in throws
      if (hi >= 8) return decodeURIComponentOrNull(s.slice(start, end).replace(/\+/g, ' '));
      if (k > copied) out += s.slice(copied, k);
      out += String.fromCharCode(hi * 16 + lo);
      k += 2;
      copied = k + 1;
    }
  }
  return copied < end ? out + s.slice(copied, end) : out;
}

function decodeURIComponentOrNull(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function isBreak(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 34 || c === 39 || c === 60 || c === 62;
}

function rootOf(view: MappedText): MappedText {
  let t = view;
  while (t.parent) t = t.parent;
  return t;
}

/** Text hidden in Unicode tag characters (U+E0020–E007E), which render as nothing. Read from the input, since canonicalisation drops them. */
function findTagsIn(s: string, out: DecodedSegment[], root: MappedText): void {
  let i = s.indexOf('\udb40');
  while (i !== -1) {
    const start = i;
    let text = '';
    while (i + 1 < s.length && s.charCodeAt(i) === 0xdb40) {
      const a = tagCharToAscii(s.codePointAt(i)!);
      if (a >= 0) text += String.fromCharCode(a);
      i += 2;
    }
    if (text.trim().length >= 2) out.push({ encoding: 'unicode-tags', view: decodedView(root, text, start, i) });
    i = s.indexOf('\udb40', i + 1);
  }
}

/**
 * `readable(Buffer.from(s.slice(start, end), 'hex'), numeric)` for an even run of hex digits, decoded into a
 * scratch buffer: no copy of the run and no buffer per run.
 */
function readableHex(s: string, start: number, end: number, accept: Accept): string | null {
  const n = (end - start) >> 1;
  if (n < 6) return null;
  for (let k = 0; k < n; k++) {
    BYTES[k] = hexValue(s.charCodeAt(start + 2 * k)) * 16 + hexValue(s.charCodeAt(start + 2 * k + 1));
  }
  const text = BYTES.toString('utf8', 0, n);
  return isReadable(text, accept) ? text : null;
}

/** UTF-8 text that is mostly printable, else null. */
function readable(buf: Buffer, accept: Accept): string | null {
  if (buf.length < 6) return null;
  const text = buf.toString('utf8');
  return isReadable(text, accept) ? text : null;
}

/**
 * Mostly printable, and at least 30% letters (with `numeric`: letters and digits). With `morse`, also printable
 * text holding a Morse run: dots and dashes are not letters, and base64 of Morse (the red team's `morse+base64`)
 * was dropped here before its Morse could be read.
 */
function isReadable(text: string, accept: Accept): boolean {
  const numeric = accept.numeric;
  let good = 0;
  let letters = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0xfffd) return false;
    if ((c >= 32 && c < 127) || c === 10 || c === 13 || c === 9 || c >= 0xa0) good++;
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (numeric && c >= 48 && c <= 57)) letters++;
  }
  if (good / text.length < 0.95) return false;
  return letters / text.length >= 0.3 || (accept.morse && findMorseRuns(text).length > 0);
}
