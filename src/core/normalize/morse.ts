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
  if (c === 46 || c === 0xb7 || c === 0x2022 || c === 0x22c5) return 1; // . · • ⋅
  if (c === 45 || c === 95 || c === 0x2212 || c === 0x2013 || c === 0x2014) return 2; // - _ − – —
  return 0;
}

/** A letter gap: one space. A word gap: "/", "|", a line break, or two or more spaces. */
function isGap(c: number): boolean {
  return c === 32 || c === 47 || c === 124 || c === 10 || c === 13 || c === 9;
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
    const endGroup = () => {
      if (code === '') return;
      groups++;
      const ch = code.length <= MAX_CODE ? DECODE.get(code) : undefined;
      if (ch === undefined) bad++;
      else {
        if (wordGap && decoded !== '') decoded += ' ';
        decoded += ch;
        if (ch >= 'a' && ch <= 'z') letters++;
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
      if (!isGap(c)) break;
      endGroup();
      if (c === 32) spaces++;
      else wordGap = true;
    }
    endGroup();
    if (letters >= MIN_LETTERS && bad * 10 <= groups) out.push({ text: decoded, from, to });
  }
  return out;
}
