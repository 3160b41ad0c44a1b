import { isCombining, isLetter } from './unicode.js';

/**
 * International Morse code, both ways. Jailbreak collections and scanners (garak's `InjectMorse`, PyRIT's Morse
 * converter) send instructions as dots and dashes; a model that reads Morse follows them, and a classifier that
 * does not decode them reads punctuation.
 */

/** Letters, digits and the common punctuation marks. */
export const MORSE: Readonly<Record<string, string>> = Object.freeze({
  a: '.-',
  b: '-...',
  c: '-.-.',
  d: '-..',
  e: '.',
  f: '..-.',
  g: '--.',
  h: '....',
  i: '..',
  j: '.---',
  k: '-.-',
  l: '.-..',
  m: '--',
  n: '-.',
  o: '---',
  p: '.--.',
  q: '--.-',
  r: '.-.',
  s: '...',
  t: '-',
  u: '..-',
  v: '...-',
  w: '.--',
  x: '-..-',
  y: '-.--',
  z: '--..',
  '0': '-----',
  '1': '.----',
  '2': '..---',
  '3': '...--',
  '4': '....-',
  '5': '.....',
  '6': '-....',
  '7': '--...',
  '8': '---..',
  '9': '----.',
  '.': '.-.-.-',
  ',': '--..--',
  '?': '..--..',
  "'": '.----.',
  '!': '-.-.--',
  '/': '-..-.',
  '(': '-.--.',
  ')': '-.--.-',
  '&': '.-...',
  ':': '---...',
  ';': '-.-.-.',
  '=': '-...-',
  '+': '.-.-.',
  '-': '-....-',
  '"': '.-..-.',
  '@': '.--.-.',
});

const DECODE: ReadonlyMap<string, string> = new Map(Object.entries(MORSE).map(([ch, code]) => [code, ch]));

/** `text` in Morse: letters one space apart, words " / " apart; characters without a code are dropped. */
export function toMorse(text: string): string {
  return text
    .toLowerCase()
    .split(/\s+/)
    .map((word) =>
      [...word]
        .map((ch) => MORSE[ch])
        .filter(Boolean)
        .join(' '),
    )
    .filter(Boolean)
    .join(' / ');
}

/** A decoded Morse run: its text (lower case) and the span [from, to) it was read from. */
export interface MorseRun {
  text: string;
  from: number;
  to: number;
}

/** Fewest letters a run must decode to: "...", "- -" and ". . ." in prose decode to one or two. */
const MIN_LETTERS = 8;
/** The longest code is six symbols; a longer group is not Morse. */
const MAX_CODE = 6;

/** 1 for a dot, 2 for a dash, 0 otherwise; typographic dots and dashes included. */
function symbol(c: number): number {
  if (c === 46 || c === 0xb7 || c === 0x2022 || c === 0x22c5 || c === 0x2219) return 1; // . · • ⋅ ∙
  // - _ − – — and the hyphens, figure dash and horizontal bar (NFKC keeps them: "‐‑‒―" read as punctuation)
  if (c === 45 || c === 95 || c === 0x2212 || (c >= 0x2010 && c <= 0x2015)) return 2;
  return 0;
}

/**
 * A letter gap: one space. A word gap: "/", "|", a line break, or two or more spaces. Vertical tab, form feed,
 * NEL and the Unicode line and paragraph separators break lines too (a payload split by them was read as
 * separate runs, most under eight letters).
 */
function isGap(c: number): boolean {
  return (
    c === 32 ||
    c === 47 ||
    c === 124 ||
    c === 10 ||
    c === 13 ||
    c === 9 ||
    c === 11 ||
    c === 12 ||
    c === 0x85 ||
    c === 0x2028 ||
    c === 0x2029
  );
}

/**
 * A combining mark (U+0300–036F and the other blocks of marks): it renders on the symbol before it and is
 * skipped, so an accent on every dot (".\u0301-") does not hide a payload from the classifiers.
 */
function isMark(c: number): boolean {
  return c >= 0x300 && (c & 0xf800) !== 0xd800 && isCombining(c);
}

/** A letter or digit: what a word is made of. */
function isWordUnit(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c & 0xf800) !== 0xd800 && isLetter(c));
}

/**
 * Whether `c` is read inside a Morse run: a dot, a dash, a gap or a combining mark. For pre-filters that must
 * not skip a text `findMorseRuns` would read.
 */
export function isMorseUnit(c: number): boolean {
  return symbol(c) !== 0 || isGap(c) || isMark(c);
}

/**
 * The runs of Morse in `text` that decode to at least eight letters, nine groups in ten of them valid codes,
 * in order. One pass, each character read once: linear in the text.
 */
export function findMorseRuns(text: string): MorseRun[] {
  const out: MorseRun[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (symbol(text.charCodeAt(i)) === 0) {
      i++;
      continue;
    }
    // Dots or dashes glued to the end of a word are its punctuation ("…what it says.\n.- …" read as "e a …",
    // the run's span starting at the full stop): the run starts at the next group.
    if (i > 0 && isWordUnit(text.charCodeAt(i - 1))) {
      while (i < n && symbol(text.charCodeAt(i)) !== 0) i++;
      continue;
    }
    // A run: groups of dots and dashes separated by gaps, ending at any other character.
    const from = i;
    let to = i;
    let decoded = '';
    let code = '';
    let groups = 0;
    let bad = 0;
    let letters = 0;
    let spaces = 0;
    let wordGap = false;
    // Whether some letter's code mixes dots and dashes (see below).
    let mixed = false;
    const endGroup = () => {
      if (code === '') return;
      groups++;
      const ch = code.length <= MAX_CODE ? DECODE.get(code) : undefined;
      if (ch === undefined) bad++;
      else {
        if (wordGap && decoded !== '') decoded += ' ';
        decoded += ch;
        if (ch >= 'a' && ch <= 'z') {
          letters++;
          if (!mixed && code.includes('.') && code.includes('-')) mixed = true;
        }
      }
      wordGap = false;
      code = '';
    };
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      const s = symbol(c);
      if (s !== 0) {
        if (spaces >= 2) wordGap = true;
        spaces = 0;
        // a group longer than any code stops growing at MAX_CODE + 1 symbols and reads as invalid
        if (code.length <= MAX_CODE) code += s === 1 ? '.' : '-';
        to = i + 1;
        continue;
      }
      if (isMark(c)) {
        if (to === i) to = i + 1; // a mark on the last symbol belongs to the run
        continue;
      }
      if (!isGap(c)) break;
      endGroup();
      if (c === 32) spaces++;
      else wordGap = true;
    }
    endGroup();
    // Letters whose codes are all dots or all dashes (e, i, s, h, t, m, o) are what punctuation reads as: a
    // markdown table rule "---|---|…" is "o o o…", dot leaders ". . . ." and lines of single full stops "e e e…".
    // A message has other letters too.
    if (letters >= MIN_LETTERS && mixed && bad * 10 <= groups) out.push({ text: decoded, from, to });
  }
  return out;
}
