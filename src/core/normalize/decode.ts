import { canonicalize } from './canonical.js';
import { MappedText } from './mapped-text.js';
import { findMorseRuns } from './morse.js';
import { isAsciiAlnum, tagCharToAscii } from './unicode.js';

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
  /**
   * Also decode hex written with separators (`49 67 6e`, `49:67:6e`, `\x49\x67`, `0x49, 0x67`) and base64 split
   * by whitespace into chunks (`SWdub3Jl IGFsbCBw`, MIME lines), each run read as one segment. The detectors'
   * views, the classifiers' payload windows and their features set it (no training text holds either form).
   */
  separated?: boolean;
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
  const accept: Accept = {
    numeric: options.numeric === true,
    morse: options.morse === true,
    separated: options.separated === true,
  };
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
  separated: boolean;
}

function collect(view: MappedText, depth: number, out: DecodedSegment[], accept: Accept): void {
  if (depth <= 0) return;
  if (depth === 1) {
    // nothing is decoded below this level: segments go straight to `out`
    findAll(view, out, accept);
    return;
  }
  const found: DecodedSegment[] = [];
  findAll(view, found, accept);
  for (const seg of found) {
    out.push(seg);
    // a run needs MIN_HEX characters and an escape a `%`: most decoded segments hold neither
    const t = seg.view.text;
    if (t.length >= MIN_HEX || t.includes('%')) collect(seg.view, depth - 1, out, accept);
  }
}

function findAll(view: MappedText, out: DecodedSegment[], accept: Accept): void {
  if (accept.separated) {
    const regions = hexRegions(view.text);
    findRuns(view, out, accept, findChunkedBase64(view, accept, union(seedStretches(view.text), regions)));
    for (let k = 0; k < regions.length; k += 2) hexRunsIn(view, regions[k], regions[k + 1], out, accept);
  } else findRuns(view, out, accept, NO_CHUNKS);
  findPercentEncoded(view, out, accept);
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
function findRuns(view: MappedText, out: DecodedSegment[], accept: Accept, chunked: ChunkedRun[]): void {
  const s = view.text;
  const n = s.length;
  let next = 0; // the first of `chunked` not yet in `out`
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
    // chunked runs in text order with these; a run inside a decoded chunked run is one of its chunks
    while (next < chunked.length && chunked[next].from <= start) out.push(chunked[next++].segment);
    if (next > 0 && start < chunked[next - 1].to) continue;
    if (i - start > MAX_SEGMENT) continue;
    let end = i;
    while (end < n && end - i < 2 && s.charCodeAt(end) === 61) end++; // '=' padding
    const run = decodeRun(s, start, i, end, accept, true);
    if (run)
      out.push({ encoding: run.encoding, view: decodedView(view, run.text, start, run.encoding === 'hex' ? i : end) });
  }
  while (next < chunked.length) out.push(chunked[next++].segment);
}

/**
 * The readable text of the alphabet run s[start, end) (`padEnd` past its `=` padding): hex when it is an even
 * number of hex digits (with `digitsAreHex` false, when all are decimal digits only if they decode to words:
 * `readsAsWords`), else base64 when it mixes cases, as base64 of text does (a long plain word or identifier does
 * not decode to readable text anyway).
 */
function decodeRun(
  s: string,
  start: number,
  end: number,
  padEnd: number,
  accept: Accept,
  digitsAreHex: boolean,
): { encoding: 'hex' | 'base64'; text: string } | null {
  let allHex = true;
  let hexLetter = false;
  let hasUpper = false;
  let hasLower = false;
  let hasDigit = false;
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    if (!isHex(c)) allHex = false;
    else if (c > 57) hexLetter = true;
    if (c >= 65 && c <= 90) hasUpper = true;
    else if (c >= 97 && c <= 122) hasLower = true;
    else if (c >= 48 && c <= 57) hasDigit = true;
  }
  const len = end - start;
  if (allHex && len >= MIN_HEX && len % 2 === 0) {
    const text = digitsAreHex || hexLetter ? readableHex(s, start, end, accept) : wordsHex(s, start, end);
    return text ? { encoding: 'hex', text } : null;
  }
  if (hasUpper && hasLower && (hasDigit || len >= 24)) {
    const text = readable(Buffer.from(s.slice(start, padEnd), 'base64'), accept);
    return text ? { encoding: 'base64', text } : null;
  }
  return null;
}

/** A decoded chunked run and its span in the view it was found in. */
interface ChunkedRun {
  from: number;
  to: number;
  segment: DecodedSegment;
}

const NO_CHUNKS: ChunkedRun[] = [];

/** Most whitespace between two chunks or hex bytes: a CRLF and an indent. */
const MAX_GAP = 8;

function isGap(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Whether s[from, to) does not read as a word: a digit, `+` or `/` after its first character, an uppercase letter
 * after a lowercase one (`aGVs`, `iPhone`), or two uppercase letters and a lowercase one (`IGFs`). Prose words
 * (`the`, `Hello`, `NASA`) do not; base64 of text nearly always does.
 */
function looksEncoded(s: string, from: number, to: number): boolean {
  let upper = 0;
  let lower = false;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c >= 65 && c <= 90) {
      if (lower) return true;
      upper++;
    } else if (c >= 97 && c <= 122) lower = true;
    else if (k > from && c !== 45 && c !== 95) return true; // digit, + or /
  }
  return upper >= 2 && lower;
}

/** Classes of ASCII characters for `nextChunkPair`. */
const C_B64 = 1;
const C_UPPER = 2;
const C_LOWER = 4;
/** A digit, `+` or `/`. */
const C_MARK = 8;
const C_GAP = 16;
const CHUNK_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  let k = isB64(c) ? C_B64 : 0;
  if (c >= 65 && c <= 90) k |= C_UPPER;
  else if (c >= 97 && c <= 122) k |= C_LOWER;
  else if (isB64(c) && c !== 45 && c !== 95) k |= C_MARK;
  if (isGap(c)) k |= C_GAP;
  CHUNK_CLASS[c] = k;
}

/**
 * The start of the first chunk that begins in [from, to) (`from` at a chunk's start or outside one), `looksEncoded`
 * and is followed by whitespace: where a chunked run can begin; -1 if none. One table read per character.
 */
function nextChunkPair(s: string, from: number, to: number): number {
  const n = s.length;
  let start = -1;
  let upper = 0;
  let lower = false;
  let marked = false;
  for (let k = from; k < n; k++) {
    const c = s.charCodeAt(k);
    const t = c < 128 ? CHUNK_CLASS[c] : 0;
    if ((t & C_B64) !== 0) {
      if (start < 0) {
        if (k >= to) return -1;
        start = k;
      }
      if ((t & C_UPPER) !== 0) {
        if (lower) marked = true;
        upper++;
      } else if ((t & C_LOWER) !== 0) lower = true;
      else if (k > start && (t & C_MARK) !== 0) marked = true;
      continue;
    }
    if ((t & C_GAP) !== 0 && start >= 0 && (marked || (upper >= 2 && lower))) return start;
    if (k >= to) return -1;
    start = -1;
    upper = 0;
    lower = false;
    marked = false;
  }
  return -1;
}

/**
 * Base64 (or hex) split into chunks by whitespace, as MIME and PEM wrap lines or a prompt groups it
 * (`SWdub3Jl IGFsbCBw cmV2aW91cw==`), joined and decoded as one run. Chunks before the last are all of one width
 * or all multiples of four characters (fixed-width wrapping or groups of whole base64 quanta), `=` padding ends a
 * run, and a run begins and ends with a chunk that `looksEncoded` (words before and after it are left out). Runs
 * are looked for in `spans` only (`seedStretches` and `hexRegions`). The joined run passes the tests a single run
 * does (`decodeRun`). A run that does not decode is tried once without its first chunk and once without a last
 * chunk that broke the width rule. Each chunk is read in at most two runs (as the last of one and the first of
 * the next), so the scan is linear.
 */
function findChunkedBase64(view: MappedText, accept: Accept, spans: number[]): ChunkedRun[] {
  const s = view.text;
  const out: ChunkedRun[] = [];
  /** Chunk bounds of the run being read: start, end of its alphabet characters, end with padding. */
  const bounds: number[] = [];
  let i = 0;
  for (let span = 0; span < spans.length; span += 2) {
    const to = spans[span + 1];
    // a run may read past its span's end: the next span is read from where it ended; a hex stretch may start
    // inside a chunk, which is then not a chunk of its own
    if (i < spans[span]) {
      i = spans[span];
      while (i > 0 && i < to && isB64(s.charCodeAt(i - 1)) && isB64(s.charCodeAt(i))) i++;
    }
    while (i < to) {
      const start = nextChunkPair(s, i, to);
      if (start < 0) break;
      i = readChunkedRun(view, headChunk(s, i, start), start, bounds, accept, out);
    }
  }
  return out;
}

/**
 * The start of the chunk right before the one at `start` (whitespace between, nothing before it read yet: at or after
 * `floor`) when a run may begin there, else `start`. `nextChunkPair` begins runs at a chunk that `looksEncoded`, and
 * a first chunk that reads as a word (`Zmxv`, the base64 of "flo") was never read: its bytes were lost, and with them
 * the alignment of lines not a multiple of four wide. `decodeChunks` keeps it only if it decodes to plain text.
 */
function headChunk(s: string, floor: number, start: number): number {
  let g = start;
  while (g > floor && start - g <= MAX_GAP && isGap(s.charCodeAt(g - 1))) g--;
  if (g === start || start - g > MAX_GAP) return start;
  let h = g;
  while (h > floor && isB64(s.charCodeAt(h - 1))) h--;
  if (h === g || (h > 0 && (isB64(s.charCodeAt(h - 1)) || s.charCodeAt(h - 1) === 61))) return start;
  let e = start;
  while (e < s.length && isB64(s.charCodeAt(e))) e++;
  // the chunk keeps the width rule with the one after it (`readChunkedRun`)
  const w = g - h;
  const next = e - start;
  return (w === next && w >= 4) || (w % 4 === 0 && next % 4 === 0) ? h : start;
}

/**
 * Reads the chunked run whose first chunk starts at `i` (see `findChunkedBase64`), adds it to `out` if it decodes,
 * and returns where to read on. `i` is before `start` when a chunk that reads as a word comes first (`headChunk`).
 */
function readChunkedRun(
  view: MappedText,
  i: number,
  start: number,
  bounds: number[],
  accept: Accept,
  out: ChunkedRun[],
): number {
  const s = view.text;
  const n = s.length;
  let to = i;
  while (to < n && isB64(s.charCodeAt(to))) to++;
  // i..to is the first chunk; read on while a gap and another chunk follow and the widths keep to a rule
  const width = to - i;
  let byFour = width % 4 === 0;
  let same = width >= 4;
  let from = i;
  let end = to;
  let stop = to; // end of the last chunk read, with its padding
  let broke = -1; // where the chunk that broke the width rule starts
  let tooLong = false;
  bounds.length = 0;
  for (;;) {
    stop = end;
    while (stop < n && stop - end < 2 && s.charCodeAt(stop) === 61) stop++;
    // a run over the size limit is read to its end, so that none of it is decoded (as `findRuns` skips one)
    if (stop - i > MAX_SEGMENT) tooLong = true;
    if (!tooLong) bounds.push(from, end, stop);
    if (stop > end) break;
    let g = end;
    while (g < n && g - end <= MAX_GAP && isGap(s.charCodeAt(g))) g++;
    if (g === end || g - end > MAX_GAP || g >= n || !isB64(s.charCodeAt(g))) break;
    // this chunk is not the last one: its width must keep to a rule
    const w = end - from;
    byFour = byFour && w % 4 === 0;
    same = same && w === width;
    if (!byFour && !same) {
      broke = from;
      break;
    }
    from = g;
    end = g;
    while (end < n && isB64(s.charCodeAt(end))) end++;
  }
  // the chunk that broke the rule may begin a run of its own, unless it was decoded in this one
  const last = bounds.length / 3;
  const restart = broke > start ? broke : stop;
  if (tooLong) return restart;
  if (decodeChunks(view, bounds, 0, last, accept, out)) return stop;
  if (broke > start && decodeChunks(view, bounds, 0, last - 1, accept, out)) return broke;
  // without the first chunk that looks encoded (a label such as `UTF8Text`)
  if (decodeChunks(view, bounds, i < start ? 2 : 1, last, accept, out)) return stop;
  return restart;
}

/**
 * Decodes chunks [first, last) of `bounds` (start, end, end with padding, for each) as one run, after dropping
 * chunks at either edge that read as words, and adds the run to `out` when it reads as text. True if it did. The
 * dropped chunk next to each edge is kept when the run with it decodes and the bytes it adds are plain ASCII text
 * (`cmwp`, the last chunk of "…full_url)", is base64 that reads as a word; `then` or `Here` decodes to
 * control or non-ASCII bytes).
 */
function decodeChunks(
  view: MappedText,
  bounds: number[],
  first: number,
  last: number,
  accept: Accept,
  out: ChunkedRun[],
): boolean {
  const s = view.text;
  const head = first;
  const tail = last;
  while (first < last && !looksEncoded(s, bounds[3 * first], bounds[3 * first + 1])) first++;
  while (
    last > first &&
    bounds[3 * last - 1] === bounds[3 * last - 2] &&
    !looksEncoded(s, bounds[3 * last - 3], bounds[3 * last - 2])
  )
    last--;
  if (last - first < 2) return false;
  // Lines wrapped at one width with a last line no longer (MIME's 76, PEM's 64, `base64 -w N`) are one string. They
  // are lines: every gap holds a line break. Strings of one width side by side on a line, each decoding on its own,
  // are as likely separate tokens (three of 20 characters and one of 16 were joined into one).
  // Other chunks that each decode on their own are separate strings, which `findRuns` reads one by one.
  const width = bounds[3 * first + 1] - bounds[3 * first];
  let wrapped =
    width >= MIN_HEX &&
    bounds[3 * last - 2] - bounds[3 * last - 3] <= width &&
    (last - first >= 3 || width === 64 || width === 76);
  for (let k = first + 1; k < last - 1 && wrapped; k++) wrapped = bounds[3 * k + 1] - bounds[3 * k] === width;
  for (let k = first; k < last - 1 && wrapped; k++) wrapped = hasLineBreak(s, bounds[3 * k + 2], bounds[3 * k + 3]);
  let alone = !wrapped;
  for (let k = first; k < last && alone; k++) {
    const a = bounds[3 * k];
    const b = bounds[3 * k + 1];
    alone = b - a >= MIN_HEX && decodeRun(s, a, b, bounds[3 * k + 2], accept, true) !== null;
  }
  if (alone) return false;
  // the chunk before the first that looks encoded: when kept, it sets the alignment of what follows
  let run = first > head ? joinChunks(s, bounds, first - 1, last, accept) : null;
  if (
    run &&
    !(
      run.encoding === 'base64' && asciiEdge(run.text, (3 * (bounds[3 * first - 2] - bounds[3 * first - 3])) >> 2, true)
    )
  )
    run = null;
  if (run) first--;
  else run = joinChunks(s, bounds, first, last, accept);
  if (!run) return false;
  // the chunk after the last that looks encoded: kept when the run with it ends on a whole base64 quantum, as
  // unpadded base64 does (`end`, a word after a run, makes it one to three characters too long)
  let length = 0;
  for (let k = first; k <= last && k < tail; k++) length += bounds[3 * k + 1] - bounds[3 * k];
  if (last < tail && run.encoding === 'base64' && length % 4 === 0) {
    const kept = run.text;
    const longer = joinChunks(s, bounds, first, last + 1, accept);
    if (
      longer?.encoding === 'base64' &&
      longer.text.startsWith(kept) &&
      asciiEdge(longer.text, longer.text.length - kept.length, false)
    ) {
      run = longer;
      last++;
    }
  }
  const from = bounds[3 * first];
  const to = bounds[3 * last - 1];
  out.push({ from, to, segment: { encoding: run.encoding, view: decodedView(view, run.text, from, to) } });
  return true;
}

/** Chunks [first, last) of `bounds` joined and decoded as one run (`decodeRun`), or null. */
function joinChunks(
  s: string,
  bounds: number[],
  first: number,
  last: number,
  accept: Accept,
): { encoding: 'hex' | 'base64'; text: string } | null {
  let joined = '';
  for (let k = first; k < last; k++) joined += s.slice(bounds[3 * k], bounds[3 * k + 1]);
  if (joined.length < MIN_HEX) return null;
  const to = bounds[3 * last - 1];
  // hex grouped by two bytes (`4967 6e6f`, as xxd prints it); groups of decimal digits are numbers
  return decodeRun(
    joined + s.slice(bounds[3 * last - 2], to),
    0,
    joined.length,
    joined.length + to - bounds[3 * last - 2],
    accept,
    false,
  );
}

/** Whether the first (`atStart`) or last `k` characters of `text` are printable ASCII or line breaks (k >= 1). */
function asciiEdge(text: string, k: number, atStart: boolean): boolean {
  if (k < 1 || k > text.length) return false;
  const from = atStart ? 0 : text.length - k;
  for (let j = from; j < from + k; j++) {
    const c = text.charCodeAt(j);
    if (!((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13)) return false;
  }
  return true;
}

/** Whether s[from, to) holds a line break. */
function hasLineBreak(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (s.charCodeAt(k) === 10 || s.charCodeAt(k) === 13) return true;
  return false;
}

/** Prefixes of a hex byte in a separated run. */
const BARE = 0;
const BACKSLASH_X = 1;
const ZERO_X = 2;

/** Separators between the bytes of a separated hex run. */
const NO_SEP = 0;
const SPACE_SEP = 1;
const COMMA_SEP = 2;
const COLON_SEP = 3;
const DASH_SEP = 4;

/** Fewest bytes in a separated hex run (as a hex run needs MIN_HEX digits). */
const MIN_HEX_BYTES = MIN_HEX / 2;
/** Shortest stretch of `HEXY` looked into: MIN_HEX digits in two groups (`49676e6f 72652061`). */
const MIN_HEXY_SPAN = MIN_HEX + 1;

/** Characters of a separated hex run: hex digits, `x`, `X`, `\`, whitespace, `,`, `:` and `-`. */
const HEXY = new Uint8Array(128);
for (const c of '0123456789abcdefABCDEFxX\\ \t\n\r,:-') HEXY[c.charCodeAt(0)] = 1;

/**
 * The stretches (start, end pairs) of MIN_HEXY_SPAN or more `HEXY` characters, where separated hex (and hex in
 * groups) can lie, found as `findRuns` finds its runs: each window read from its end and skipped past its first
 * outsider (prose has a letter past f every few characters).
 */
function hexRegions(s: string): number[] {
  const n = s.length;
  const out: number[] = [];
  let i = 0;
  while (i + MIN_HEXY_SPAN <= n) {
    let j = i + MIN_HEXY_SPAN - 1;
    while (j >= i && s.charCodeAt(j) < 128 && HEXY[s.charCodeAt(j)] === 1) j--;
    if (j >= i) {
      i = j + 1;
      continue;
    }
    let end = i + MIN_HEXY_SPAN;
    while (end < n && s.charCodeAt(end) < 128 && HEXY[s.charCodeAt(end)] === 1) end++;
    out.push(i, end);
    i = end;
  }
  return out;
}

/**
 * A lowercase letter before an uppercase one (`aGVs`), two uppercase letters before a lowercase one (`IHRo`), or a
 * letter before a digit (`IG15`): fixed length, so it cannot backtrack; V8 skips along prose.
 */
const SEED = /[a-z][A-Z]|[A-Z][A-Z][a-z]|[A-Za-z][0-9]/g;

/** Whether c may be inside a chunked run: the base64 alphabet, whitespace or `=`. */
function inStretch(c: number): boolean {
  return isB64(c) || isGap(c) || c === 61;
}

/**
 * The stretches (start, end pairs) of base64 characters, whitespace and `=` that hold a `SEED`, where chunked
 * base64 is looked for: base64 of text nearly always holds one inside a chunk, prose seldom. A lowercase letter
 * before an uppercase one alone missed 393 of 46,011 short phrases cut in groups of four (`SSBo b2xw IHRv IGZy`,
 * "I holp to fr…") and 33 cut in groups of eight; with the other two, none is missed, and prose has about five
 * seeds per thousand characters instead of one (each seed opens a stretch that `nextChunkPair` reads; a run still
 * has to look encoded and decode to readable text). Found by a regular expression V8 runs several times faster
 * over prose than a loop that reads every character; each stretch is read once.
 */
function seedStretches(s: string): number[] {
  const n = s.length;
  const out: number[] = [];
  let done = 0; // end of the last stretch
  SEED.lastIndex = 0;
  for (let m = SEED.exec(s); m !== null; m = SEED.exec(s)) {
    let a = m.index;
    while (a > done && inStretch(s.charCodeAt(a - 1))) a--;
    let b = m.index + 2;
    while (b < n && inStretch(s.charCodeAt(b))) b++;
    out.push(a, b);
    done = b;
    SEED.lastIndex = b;
  }
  return out;
}

/** The union of two sorted lists of disjoint (start, end) pairs, sorted. */
function union(a: number[], b: number[]): number[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const takeA = j >= b.length || (i < a.length && a[i] <= b[j]);
    const from = takeA ? a[i] : b[j];
    const to = takeA ? a[i + 1] : b[j + 1];
    if (takeA) i += 2;
    else j += 2;
    if (out.length > 0 && from <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], to);
    else out.push(from, to);
  }
  return out;
}

/** Length of the hex byte at s[k] with `prefix`, whose stretch of HEXY ends at `to`; 0 if there is none. */
function hexByteAt(s: string, k: number, to: number, prefix: number): number {
  if (prefix === BARE) {
    if (k + 2 > to || !isHex(s.charCodeAt(k)) || !isHex(s.charCodeAt(k + 1))) return 0;
    return k > 0 && isAsciiAlnum(s.charCodeAt(k - 1)) ? 0 : isAsciiAlnum(s.charCodeAt(k + 2)) ? 0 : 2;
  }
  if (k + 4 > to || (s.charCodeAt(k + 1) | 32) !== 120) return 0;
  if (!isHex(s.charCodeAt(k + 2)) || !isHex(s.charCodeAt(k + 3))) return 0;
  if (prefix === BACKSLASH_X) return s.charCodeAt(k) === 92 && !isHex(s.charCodeAt(k + 4)) ? 4 : 0;
  if (s.charCodeAt(k) !== 48 || (k > 0 && isAsciiAlnum(s.charCodeAt(k - 1)))) return 0;
  return isAsciiAlnum(s.charCodeAt(k + 4)) ? 0 : 4;
}

/** The prefix of a hex byte at s[k], or -1. */
function hexPrefixAt(s: string, k: number, to: number): number {
  const c = s.charCodeAt(k);
  const prefix = c === 92 ? BACKSLASH_X : c === 48 && (s.charCodeAt(k + 1) | 32) === 120 ? ZERO_X : BARE;
  return hexByteAt(s, k, to, prefix) > 0 ? prefix : -1;
}

/**
 * Hex bytes written one by one with separators in the `HEXY` stretch [from, to): `49 67 6e`, `49:67:6e`, `49-67-6e`,
 * `\x49\x67\x6e`, `0x49, 0x67`. A run keeps one prefix and one separator throughout (whitespace may include line
 * breaks: a wrapped dump is one run), has MIN_HEX_BYTES bytes or more and at most MAX_SEGMENT / 2 (as a hex run),
 * and its bytes pass the test a hex run's do; bare bytes with no letter a–f among them (`74 68 69 73 20 69 73`,
 * which could as well be a list of two-digit numbers) only when they decode to words (`readsAsWords`). Each byte
 * is read at most twice.
 */
function hexRunsIn(view: MappedText, from: number, to: number, out: DecodedSegment[], accept: Accept): void {
  const s = view.text;
  const cap = MAX_SEGMENT / 2;
  let k = from;
  while (k < to) {
    const prefix = hexPrefixAt(s, k, to);
    if (prefix < 0) {
      k++;
      continue;
    }
    const start = k;
    let last = k; // start of the run's last byte
    let end = k + hexByteAt(s, k, to, prefix);
    let count = 0;
    let letter = false;
    let sep = -1;
    let mismatch = false;
    for (;;) {
      const hi = s.charCodeAt(end - 2);
      const lo = s.charCodeAt(end - 1);
      if (count < cap) BYTES[count] = hexValue(hi) * 16 + hexValue(lo);
      if (hi > 57 || lo > 57) letter = true;
      count++;
      // the separator after this byte, then the next byte
      let q = end;
      let kind = NO_SEP;
      const c = s.charCodeAt(q);
      if (c === 44) {
        kind = COMMA_SEP;
        q++;
        while (q < to && q - end <= MAX_GAP && isGap(s.charCodeAt(q))) q++;
      } else if (c === 58 || c === 45) {
        kind = c === 58 ? COLON_SEP : DASH_SEP;
        q++;
      } else if (isGap(c)) {
        kind = SPACE_SEP;
        while (q < to && isGap(s.charCodeAt(q))) q++;
      }
      if (q - end > MAX_GAP + 1 || (kind === NO_SEP && prefix === BARE)) break;
      if (sep < 0) sep = kind;
      else if (kind !== sep) {
        mismatch = true;
        break;
      }
      const len = hexByteAt(s, q, to, prefix);
      if (len === 0) break;
      last = q;
      end = q + len;
    }
    let decoded = false;
    if (count >= MIN_HEX_BYTES && count <= cap) {
      const text = BYTES.toString('utf8', 0, count);
      // bare bytes that are all decimal (`74 68 69 73`) could be a list of numbers: only words are read
      if (prefix !== BARE || letter ? isReadable(text, accept) : readsAsWords(text)) {
        out.push({ encoding: 'hex', view: decodedView(view, text, start, end) });
        decoded = true;
      }
    }
    // a byte after a changed separator may begin a run of its own, from the last byte of this one
    k = mismatch && !decoded && last > start ? last : end;
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

/**
 * The text of an even run of decimal digits s[start, end) read as hex when it `readsAsWords` (hex grouped by two
 * bytes whose digits are all decimal: `7468 6973 2069 7320`), else null.
 */
function wordsHex(s: string, start: number, end: number): string | null {
  const n = (end - start) >> 1;
  if (n < MIN_HEX_BYTES || n > MAX_SEGMENT / 2) return null;
  for (let k = 0; k < n; k++) {
    BYTES[k] = hexValue(s.charCodeAt(start + 2 * k)) * 16 + hexValue(s.charCodeAt(start + 2 * k + 1));
  }
  const text = BYTES.toString('latin1', 0, n);
  return readsAsWords(text) ? text : null;
}

/** Fewest words in a run of decimal-digit hex bytes (`readsAsWords`). */
const MIN_WORDS = 2;

/**
 * Whether bytes written only with decimal digits (`74 68 69 73 20 69 73 20 61 20 74 65 73 74`) decode to words
 * rather than to what a list of numbers, a date or a phone number decodes to: printable ASCII in tokens split by
 * spaces, each a word (letters, all lower case, all upper case or capitalised), a number, or either with
 * punctuation around it; MIN_WORDS words of two or more letters, and letters make up half the text. Two-digit
 * numbers read as bytes give mixed-case salad (`41 52 63 44` is `ARcD`), control characters (`12`, `05`) or digits
 * and spaces alone (`34 31 31 31 20 31 31` is `4111 11`): a number hidden so is indistinguishable from a list
 * of numbers and is left alone, as a decimal run too short for a hex run (`3132333435`, ten digits as a phone
 * number has) is. One pass.
 */
function readsAsWords(text: string): boolean {
  let words = 0;
  let letters = 0;
  let k = 0;
  const n = text.length;
  while (k < n) {
    const c = text.charCodeAt(k);
    if (c === 32) {
      k++;
      continue;
    }
    // a token: punctuation, then letters or digits, then punctuation
    while (k < n && isPunct(text.charCodeAt(k))) k++;
    let upper = 0;
    let lower = 0;
    let digits = 0;
    let caseBreak = false;
    for (; k < n; k++) {
      const d = text.charCodeAt(k);
      if (d >= 65 && d <= 90) {
        if (lower > 0) caseBreak = true;
        upper++;
      } else if (d >= 97 && d <= 122) lower++;
      else if (d >= 48 && d <= 57) digits++;
      else break;
    }
    while (k < n && isPunct(text.charCodeAt(k))) k++;
    if (k < n && text.charCodeAt(k) !== 32) return false; // a control character, or punctuation inside a token
    const alpha = upper + lower;
    if (alpha > 0 && (digits > 0 || caseBreak || (upper > 1 && lower > 0))) return false;
    if (alpha >= 2) words++;
    letters += alpha;
  }
  return words >= MIN_WORDS && letters * 2 >= n;
}

/** ASCII punctuation that may stand before or after a word: `!"#$%&'()*+,-./:;<=>?@[\]^_\`{|}~`. */
function isPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
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
