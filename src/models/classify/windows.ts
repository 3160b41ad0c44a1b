import {
  canonicalize,
  decodeSegments,
  findRot13,
  isInvisible,
  isMorseUnit,
  MappedText,
} from '../../core/normalize/index.js';
import { CONFUSABLES } from '../../core/normalize/unicode.js';
import type { TextSpan } from './types.js';

/**
 * Overlapping windows over a long text, with edges moved to whitespace so words are not cut. Short texts are
 * one window. Spans index the original text.
 *
 * The windows are as few as a stride of half a window allows, spread evenly, and the last one ends at the
 * text's end; an edge moves at most 32 characters (a sixteenth of a smaller window), so any passage of up to
 * half a window less 64 characters lies whole inside one of them. (Stepping by exactly half a window from
 * the start, each edge moved back to a space, left a few characters past the third window of a 1 KB text
 * under 512-character windows, and a fourth window, a third more work, to read them.)
 */
export function windowsOf(text: string, size: number): TextSpan[] {
  const len = text.length;
  if (len <= size) return [{ start: 0, end: len }];
  const stride = Math.max(1, Math.floor(size / 2));
  const count = Math.ceil((len - size) / stride) + 1;
  // Neighbours overlap by at least half a window before their edges move, so they still overlap after.
  const slack = Math.min(32, Math.floor(size / 16));
  const out: TextSpan[] = [];
  for (let i = 0; i < count; i++) {
    const ideal = i === count - 1 ? len - size : Math.floor((i * (len - size)) / (count - 1));
    const start = i === 0 ? 0 : snapForward(text, ideal, slack);
    const end = i === count - 1 ? len : snapBack(text, Math.min(len, start + size), start + size - slack);
    out.push({ start, end });
  }
  return out;
}

/**
 * The windows the shipped models were trained on: stride half a window from the start, each edge moved back to
 * whitespace (a 1 KB text under 512-character windows gets four). Training keeps them so that retraining
 * reproduces the committed weights; they are chunks of a long text for the model to learn from, and the
 * evenly spread windows of {@link windowsOf} read the same text (measured in docs/classifiers.md, "Windows").
 */
export function trainingWindowsOf(text: string, size: number): TextSpan[] {
  if (text.length <= size) return [{ start: 0, end: text.length }];
  const out: TextSpan[] = [];
  const stride = Math.max(1, Math.floor(size / 2));
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) end = snapBack(text, end, start + stride);
    out.push({ start, end });
    if (end >= text.length) break;
    start = snapBack(text, start + stride, start + 1);
  }
  return out;
}

/** The last whitespace at or before `pos`, not before `floor` (else `pos`). */
function snapBack(text: string, pos: number, floor: number): number {
  for (let i = pos; i > floor && pos - i < 64; i--) if (isBlank(text.charCodeAt(i - 1))) return i;
  return pos;
}

/** The first place at or after `pos`, less than `slack` past it, that follows whitespace (else `pos`). */
function snapForward(text: string, pos: number, slack: number): number {
  for (let i = pos; i < pos + slack && i < text.length; i++) if (isBlank(text.charCodeAt(i - 1))) return i;
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
/**
 * At most this many payloads of each encoding per text are scored on their own. Per encoding: with one cap for
 * all, four short base64 decoys ahead of a Morse or ROT13 payload kept it from being read at all. The rest are
 * read together, as one more window (four decoys of the same encoding hid a fifth payload).
 */
const MAX_PAYLOADS = 4;

/**
 * The readable payloads hidden in a text (base64, hex, percent-encoded, Unicode tags, Morse, ROT13, and ROT13 or
 * Morse inside a decoded one), each with the span of its encoded run in the original text: scored as windows of
 * their own.
 */
export function decodedPayloads(text: string): { text: string; span: TextSpan }[] {
  const out: { text: string; span: TextSpan }[] = [];
  const taken = new Map<string, number>();
  const rest: string[] = [];
  const restSpan: TextSpan = { start: text.length, end: 0 };
  const add = (kind: string, payload: string, span: TextSpan) => {
    const n = taken.get(kind) ?? 0;
    taken.set(kind, n + 1);
    if (n < MAX_PAYLOADS) out.push({ text: payload, span });
    else {
      rest.push(payload);
      restSpan.start = Math.min(restSpan.start, span.start);
      restSpan.end = Math.max(restSpan.end, span.end);
    }
  };
  const withRest = () => (rest.length > 0 ? [...out, { text: rest.join('\n'), span: restSpan }] : out);
  // ROT13 is letters like any text: found by the common words it decodes to, in one pass over the words.
  const rot = findRot13(text);
  if (rot && rot.text.length >= MIN_PAYLOAD_CHARS) add('rot13', rot.text, { start: rot.from, end: rot.to });
  if (!mayHaveEncoded(text)) return withRest();
  for (const seg of decodeSegments(canonicalize(MappedText.original(text)), 2, { morse: true, separated: true })) {
    if (seg.view.text.trim().length < MIN_PAYLOAD_CHARS) continue;
    const [start, end] = seg.view.toOriginal(0, seg.view.text.length);
    add(seg.encoding, seg.view.text, { start, end });
    // ROT13 inside a decoded payload (the red team's rot13+base64 and rot13+morse chains): its span is the
    // encoded run, as every unit of a decoded segment maps to all of it.
    const inner = findRot13(seg.view.text);
    if (inner && inner.text.length >= MIN_PAYLOAD_CHARS) add('rot13', inner.text, { start, end });
  }
  return withRest();
}

/**
 * Cheap pre-filter (it may say yes for nothing, never no for a payload): a run of 16 characters that are, or
 * canonicalise to, base64/hex characters, or of 15 that are or canonicalise to Morse dots, dashes and gaps
 * (eight letters and their seven gaps take 15 at least, "‥" and "…" being one character each), or of 15 that
 * are or canonicalise to hex digits, `x`, `\`, whitespace, `,`, `:` or `-` (eight separated hex bytes take 23, 15
 * where each byte is one character such as "㊾"), the start of chunked base64 (`mayHaveChunks`), a percent
 * escape, or a Unicode tag character. Characters canonical text drops do not break a run. Runs are found as
 * `decodeSegments` finds them: each window is read from its end and skipped past the first outsider, so prose
 * is mostly not read at all.
 */
function mayHaveEncoded(text: string): boolean {
  // %XX (NFKC folds the fullwidth and small percent signs to "%"); the tag block's high surrogate
  if (text.indexOf('%') >= 0 || text.indexOf('\uff05') >= 0 || text.indexOf('\ufe6a') >= 0) return true;
  if (text.indexOf('\udb40') >= 0) return true;
  const kinds = unitKinds();
  return (
    hasRunOf(text, 16, kinds, IN_RUN) ||
    hasRunOf(text, 15, kinds, IN_MORSE) ||
    hasRunOf(text, 15, kinds, IN_HEXY) ||
    mayHaveChunks(text, kinds)
  );
}

// The same starts as `decodeSegments`' seed (decode.ts): a lower-upper pair, two capitals and a lowercase letter,
// a letter and a digit.
const SEED = /[a-z][A-Z]|[A-Z][A-Z][a-z]|[A-Za-z][0-9]/;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Whether the text may hold chunked base64: `decodeSegments` looks for it only where `SEED` matches, which ASCII
 * text (its own canonical form) shows as written; other text may get one from canonicalisation (full-width or
 * math letters, a zero-width space between), so `hasChunkPair` reads it whole.
 */
function mayHaveChunks(text: string, kinds: Uint8Array): boolean {
  if (SEED.test(text)) return true;
  return NON_ASCII.test(text) && hasChunkPair(text, kinds);
}

/**
 * Whether a chunk of base64 characters that looks encoded (as `looksEncoded` in decode.ts reads it: a digit, `+`
 * or `/` after its first character, an uppercase letter after a lowercase one, or two uppercase letters and a
 * lowercase one) is followed by whitespace and another base64 character: every chunked base64 run starts so.
 * A character outside ASCII that canonicalises into the alphabet counts as looking encoded (its case is not
 * known here). One pass.
 */
function hasChunkPair(text: string, kinds: Uint8Array): boolean {
  const n = text.length;
  let len = 0;
  let upper = 0;
  let lower = false;
  let marked = false;
  for (let i = 0; i < n; i++) {
    const k = kinds[text.charCodeAt(i)];
    if ((k & IN_SKIP) !== 0) continue;
    if ((k & IN_RUN) !== 0) {
      if ((k & IN_MARK) !== 0 && (len > 0 || (k & IN_UPPER) !== 0)) marked = true;
      if ((k & IN_UPPER) !== 0) {
        if (lower) marked = true;
        upper++;
      }
      if ((k & IN_LOWER) !== 0) lower = true;
      len++;
      continue;
    }
    if ((marked || (upper >= 2 && lower)) && (k & IN_GAP) !== 0) {
      let j = i + 1;
      while (j < n && (kinds[text.charCodeAt(j)] & (IN_GAP | IN_SKIP)) !== 0) j++;
      if (j < n && (kinds[text.charCodeAt(j)] & IN_RUN) !== 0) return true;
    }
    len = 0;
    upper = 0;
    lower = false;
    marked = false;
  }
  return false;
}

/** Whether `length` units in a row have `bit` in `kinds`: each window read from its end, skipped past its first outsider. */
function hasRunOf(text: string, length: number, kinds: Uint8Array, bit: number): boolean {
  const n = text.length;
  let i = 0;
  while (i + length <= n) {
    let j = i + length - 1;
    while (j >= i && (kinds[text.charCodeAt(j)] & bit) !== 0) j--;
    if (j < i) return true;
    i = j + 1;
  }
  return false;
}

/** A UTF-16 unit that is, or canonicalises to, base64 / hex alphabet. */
const IN_RUN = 1;
/** A UTF-16 unit that is, or canonicalises to, Morse dots, dashes and gaps (or a mark the Morse reader skips). */
const IN_MORSE = 2;
/** A UTF-16 unit that is, or canonicalises to, what separated hex is written with (hex digits, x, \, whitespace, , : -). */
const IN_HEXY = 4;
/** A UTF-16 unit that is, or canonicalises to, whitespace. */
const IN_GAP = 8;
/** A UTF-16 unit canonicalisation drops. */
const IN_SKIP = 16;
/** Case and marks of a base64 character, for `hasChunkPair`: uppercase, lowercase, digit or + or /. Outside ASCII all three. */
const IN_UPPER = 32;
const IN_LOWER = 64;
const IN_MARK = 128;
let kindTable: Uint8Array | undefined;

/**
 * The bits above for every UTF-16 unit, built on first use (about 10 ms) from what canonicalisation does to
 * it: NFKC ("\u00a0", "\u3000" and the thin spaces are spaces, "\ufe52" and "\u2024" full stops, "\ufe63" a
 * hyphen, "\u2026" three dots, math and circled letters letters), invisible characters dropped (variation
 * selectors, bidi isolates), look-alike letters folded. A hand-written list missed most of these, and a
 * payload whose gaps were no-break spaces was never decoded. Surrogates count as all but IN_GAP and IN_SKIP: an
 * astral character may be a math letter or an invisible tag, and a wrong yes only costs the full scan.
 */
function unitKinds(): Uint8Array {
  if (kindTable) return kindTable;
  const t = new Uint8Array(0x10000);
  const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_';
  const hexy = '0123456789abcdefABCDEFxX\\ \t\n\r,:-';
  const inRun = (c: number) => (c < 128 ? b64.includes(String.fromCharCode(c)) : CONFUSABLES.has(c));
  const isHexy = (c: number) => hexy.includes(String.fromCharCode(c));
  const isGap = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
  const unknown = IN_UPPER | IN_LOWER | IN_MARK;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      t[c] = IN_RUN | IN_MORSE | IN_HEXY | unknown;
      continue;
    }
    if (c < 128) {
      let k = (inRun(c) ? IN_RUN : 0) | (isMorseUnit(c) ? IN_MORSE : 0) | (isHexy(c) ? IN_HEXY : 0);
      if (isGap(c)) k |= IN_GAP;
      if (c >= 65 && c <= 90) k |= IN_UPPER;
      else if (c >= 97 && c <= 122) k |= IN_LOWER;
      else if (inRun(c) && c !== 45 && c !== 95) k |= IN_MARK;
      t[c] = k;
      continue;
    }
    if (isInvisible(c)) {
      t[c] = IN_RUN | IN_MORSE | IN_HEXY | IN_SKIP;
      continue;
    }
    // CJK ideographs, Yi and Hangul syllables are letters NFKC keeps as they are: neither (and most of the cost)
    if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3)) continue;
    const folded = String.fromCharCode(c).normalize('NFKC');
    let run = folded.length > 0;
    let morse = folded.length > 0;
    let hex = folded.length > 0;
    let gap = folded.length > 0;
    for (let k = 0; k < folded.length; k++) {
      const f = folded.charCodeAt(k);
      if (!inRun(f)) run = false;
      if (!isMorseUnit(f)) morse = false;
      if (!isHexy(f)) hex = false;
      if (!isGap(f)) gap = false;
    }
    const confusable = CONFUSABLES.has(c);
    t[c] =
      (run || confusable ? IN_RUN | unknown : 0) |
      (morse || isMorseUnit(c) ? IN_MORSE : 0) |
      (hex || confusable ? IN_HEXY : 0) |
      (gap ? IN_GAP : 0);
  }
  kindTable = t;
  return t;
}
