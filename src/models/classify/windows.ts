import { canonicalize, decodeSegments, findRot13, MappedText } from '../../core/normalize/index.js';
import type { TextSpan } from './types.js';

/**
 * Overlapping windows over a long text (stride half a window), with edges moved back to whitespace
 * so words are not cut. Short texts are one window. Spans index the original text.
 */
export function windowsOf(text: string, size: number): TextSpan[] {
  if (text.length <= size) return [{ start: 0, end: text.length }];
  const out: TextSpan[] = [];
  const stride = Math.max(1, Math.floor(size / 2));
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) end = snapBack(text, end, start + stride);
    out.push({ start, end });
    if (end >= text.length) break;
    let next = start + stride;
    next = snapBack(text, next, start + 1);
    start = next;
  }
  return out;
}

/** The last whitespace at or before `pos`, not before `floor` (else `pos`). */
function snapBack(text: string, pos: number, floor: number): number {
  for (let i = pos; i > floor && pos - i < 64; i--) {
    const c = text.charCodeAt(i - 1);
    if (c === 32 || c === 10 || c === 9 || c === 13) return i;
  }
  return pos;
}

/** A sentence shorter than this many words is not scored on its own (too little to judge). */
const MIN_SEGMENT_WORDS = 5;
/** At most this many sentences per text are scored on their own. */
const MAX_SEGMENTS = 8;

/**
 * The sentences of a short text (split after `.`, `!`, `?`, `:` or `;` before whitespace, and at line
 * breaks), trimmed, each of at least five words; none when the text is one sentence. Scored as windows
 * of their own: a request wrapped in an instruction about the answer ("Answer in French, as a poem: …")
 * is diluted by the wrapper when read whole. One pass; spans index `text`.
 */
export function sentenceSegments(text: string): TextSpan[] {
  const out: TextSpan[] = [];
  /** Keeps `text[a, b)` trimmed when it has five words or more; true once enough sentences are kept. */
  const keep = (a: number, b: number): boolean => {
    while (a < b && isBlank(text.charCodeAt(a))) a++;
    while (b > a && isBlank(text.charCodeAt(b - 1))) b--;
    let words = 0;
    for (let k = a; k < b && words < MIN_SEGMENT_WORDS; k++)
      if (!isBlank(text.charCodeAt(k)) && (k === a || isBlank(text.charCodeAt(k - 1)))) words++;
    if (words >= MIN_SEGMENT_WORDS) out.push({ start: a, end: b });
    return out.length >= MAX_SEGMENTS;
  };
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const breakAfter =
      c === 10 || ((c === 46 || c === 33 || c === 63 || c === 58 || c === 59) && isBlank(text.charCodeAt(i + 1)));
    if (!breakAfter) continue;
    if (keep(start, i + 1)) return out;
    start = i + 1;
  }
  // One sentence (no break at all) is the text itself, already scored.
  if (start === 0) return [];
  keep(start, text.length);
  return out;
}

/**
 * The sentences a model trained with `segments` (its recipe's character bound) reads on their own: those of a
 * text no longer than that bound or than one `window`; none for a longer text. Training and inference both
 * ask here, so they split the same texts.
 */
export function sentenceWindows(text: string, segments: number, window: number): TextSpan[] {
  return text.length <= Math.min(segments, window) ? sentenceSegments(text) : [];
}

function isBlank(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** Decoded texts shorter than this are not scored on their own (a short run is more often an id than a payload). */
const MIN_PAYLOAD_CHARS = 12;
/** At most this many payloads per text are scored on their own. */
const MAX_PAYLOADS = 4;

/**
 * The readable payloads hidden in a text (base64, hex, percent-encoded, Unicode tags, Morse, ROT13), each with
 * the span of its encoded run in the original text: scored as windows of their own.
 */
export function decodedPayloads(text: string): { text: string; span: TextSpan }[] {
  const out: { text: string; span: TextSpan }[] = [];
  if (mayHaveEncoded(text)) {
    for (const seg of decodeSegments(canonicalize(MappedText.original(text)), 2, { morse: true })) {
      if (seg.view.text.trim().length < MIN_PAYLOAD_CHARS) continue;
      const [start, end] = seg.view.toOriginal(0, seg.view.text.length);
      out.push({ text: seg.view.text, span: { start, end } });
      if (out.length >= MAX_PAYLOADS) return out;
    }
  }
  // ROT13 is letters like any text: found by the common words it decodes to, in one pass over the words.
  const rot = findRot13(text);
  if (rot && rot.text.length >= MIN_PAYLOAD_CHARS) out.push({ text: rot.text, span: { start: rot.from, end: rot.to } });
  return out;
}

/**
 * Cheap pre-filter (it may say yes for nothing, never no for a payload): a run of 16 base64/hex characters
 * or of 16 Morse dots, dashes and gaps (invisible characters inside do not break either: they are dropped
 * before decoding), a percent escape, or a Unicode tag character. Runs are found as `decodeSegments` finds them: each 16-character window is read
 * from its end and skipped past the first outsider, so prose is mostly not read at all.
 */
function mayHaveEncoded(text: string): boolean {
  if (text.indexOf('%') >= 0 || text.indexOf('\udb40') >= 0) return true; // %XX; the tag block's high surrogate
  return hasRunOf16(text, inRun) || hasRunOf16(text, inMorse);
}

/** Whether 16 characters in a row pass `inside`: each window read from its end, skipped past its first outsider. */
function hasRunOf16(text: string, inside: (c: number) => boolean): boolean {
  const n = text.length;
  let i = 0;
  while (i + 16 <= n) {
    let j = i + 15;
    while (j >= i && inside(text.charCodeAt(j))) j--;
    if (j < i) return true;
    i = j + 1;
  }
  return false;
}

/**
 * Dots, dashes and the gaps of Morse code as `findMorseRuns` reads them (eight letters take more than 16), in
 * their fullwidth forms too, and the invisible characters canonical text drops.
 */
function inMorse(c: number): boolean {
  if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
  return (
    c === 46 ||
    c === 45 ||
    c === 95 ||
    c === 32 ||
    c === 47 ||
    c === 124 ||
    c === 10 ||
    c === 13 ||
    c === 9 ||
    c === 0xb7 ||
    c === 0x2022 ||
    c === 0x22c5 ||
    c === 0x2212 ||
    c === 0x2013 ||
    c === 0x2014 ||
    c === 0xad ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    c === 0xfeff
  );
}

function inRun(c: number): boolean {
  if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0; // fullwidth forms fold to ASCII in canonical text
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 43 ||
    c === 47 ||
    c === 45 ||
    c === 95 ||
    c === 0xad ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    c === 0xfeff
  );
}
