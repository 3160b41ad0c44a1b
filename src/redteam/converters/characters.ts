import { type Converter, defineConverter, pick, type Rng, visibleChars } from './types.js';

/**
 * Character-level obfuscations: the words stay the same to a human (or an LLM) reader, but the
 * characters a keyword filter or a tokenizer sees change.
 */

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Latin letters and the Cyrillic / Greek letters that render like them (all folded back by core/normalize). */
export const HOMOGLYPHS: Readonly<Record<string, string>> = {
  a: 'аα',
  c: 'с',
  d: 'ԁ',
  e: 'е',
  h: 'һ',
  i: 'іι',
  j: 'јϳ',
  k: 'κ',
  l: 'ӏ',
  o: 'оο',
  p: 'рρ',
  q: 'ԛ',
  s: 'ѕ',
  u: 'υ',
  v: 'ν',
  w: 'ԝ',
  x: 'хχ',
  y: 'у',
  A: 'АΑ',
  B: 'ВΒ',
  C: 'С',
  E: 'ЕΕ',
  H: 'НΗ',
  I: 'ІΙ',
  J: 'Ј',
  K: 'КΚ',
  M: 'МΜ',
  N: 'Ν',
  O: 'ОΟ',
  P: 'РΡ',
  S: 'Ѕ',
  T: 'ТΤ',
  X: 'ХΧ',
  Y: 'ҮΥ',
  Z: 'Ζ',
};

/** The invisible characters the zero-width converter inserts: zero-width space, non-joiner, word joiner. */
export const ZERO_WIDTH = ['\u200b', '\u200c', '\u2060'] as const;

/** Leetspeak digits for letters (lower-case keys); each digit stands for exactly one letter. */
export const LEET_DIGITS: Readonly<Record<string, string>> = {
  a: '4',
  b: '8',
  e: '3',
  g: '9',
  i: '1',
  o: '0',
  s: '5',
  t: '7',
};

/**
 * Replaces each position in `eligible` with probability `rate`, and at least one when there is any,
 * so the output always differs from the input when it can.
 */
function chooseSome(eligible: number[], rate: number, rng: Rng): Set<number> {
  const chosen = new Set<number>();
  for (const i of eligible) if (rng() < rate) chosen.add(i);
  if (chosen.size === 0 && eligible.length > 0) chosen.add(pick(eligible, rng));
  return chosen;
}

/** `h o w  t o`: every character of a word separated by a space, words by two spaces (models spaced-out keyword evasion). */
export function charSpacing(): Converter {
  return defineConverter({
    id: 'char-spacing',
    description: 'Spaced-out letters ("i g n o r e") that keyword filters and tokenizers read as single characters.',
    apply: (text) =>
      text
        .split(/(\s+)/)
        .map((part) => {
          if (part === '') return part;
          if (/^\s+$/.test(part)) return /[\n\r]/.test(part) ? part : '  ';
          // by visible character: code points put a space between a letter and its accent ("e ́") and
          // between the parts of an emoji ("👨 ‍ 👩")
          return visibleChars(part).join(' ');
        })
        .join(''),
  });
}

/** Swaps a share of Latin letters for Cyrillic or Greek look-alikes (models homoglyph / confusable evasion). */
export function homoglyph(options: { rate?: number } = {}): Converter {
  const rate = options.rate ?? 0.5;
  return defineConverter({
    id: 'homoglyph',
    description: 'Latin letters replaced by Cyrillic or Greek look-alikes ("іgnоre"), unchanged to the eye.',
    apply: (text, rng) => {
      const chars = Array.from(text);
      const eligible: number[] = [];
      chars.forEach((c, i) => {
        if (HOMOGLYPHS[c] !== undefined) eligible.push(i);
      });
      for (const i of chooseSome(eligible, rate, rng)) chars[i] = pick(Array.from(HOMOGLYPHS[chars[i]]), rng);
      return chars.join('');
    },
  });
}

/** Inserts invisible zero-width characters between the letters of every word (models token-splitting smuggling). */
export function zeroWidth(options: { rate?: number } = {}): Converter {
  const rate = options.rate ?? 0.5;
  return defineConverter({
    id: 'zero-width',
    description: 'Invisible U+200B / U+200C / U+2060 inside words, so "ignore" no longer matches but still renders.',
    apply: (text, rng) => {
      const chars = Array.from(text);
      let out = '';
      let gaps: number[] = []; // positions inside the current word where a character may go
      const marks = new Set<number>();
      const endWord = () => {
        for (const g of chooseSome(gaps, rate, rng)) marks.add(g);
        gaps = [];
      };
      for (let i = 0; i < chars.length; i++) {
        if (!WORD_CHAR.test(chars[i])) endWord();
        else if (i > 0 && WORD_CHAR.test(chars[i - 1])) gaps.push(i);
      }
      endWord();
      for (let i = 0; i < chars.length; i++) {
        if (marks.has(i)) out += pick(ZERO_WIDTH, rng);
        out += chars[i];
      }
      return out;
    },
  });
}

/** Replaces most letters that have a digit look-alike (`1gn0r3`) (models leetspeak filter evasion). */
export function leetspeak(options: { rate?: number } = {}): Converter {
  const rate = options.rate ?? 0.8;
  return defineConverter({
    id: 'leetspeak',
    description: 'Leetspeak digits for letters ("1gn0r3 4ll rul35"), readable to people and LLMs.',
    apply: (text, rng) => {
      const chars = Array.from(text);
      const eligible: number[] = [];
      chars.forEach((c, i) => {
        if (LEET_DIGITS[c.toLowerCase()] !== undefined) eligible.push(i);
      });
      for (const i of chooseSome(eligible, rate, rng)) chars[i] = LEET_DIGITS[chars[i].toLowerCase()];
      return chars.join('');
    },
  });
}

/** Random upper / lower case per letter (`iGnOrE`) (models case-sensitivity evasion). */
export function caseNoise(): Converter {
  return defineConverter({
    id: 'case-noise',
    description: 'Each letter randomly upper- or lower-cased ("IgNOrE aLl"), defeating case-sensitive matching.',
    apply: (text, rng) => {
      const chars = Array.from(text);
      const cased: number[] = [];
      chars.forEach((c, i) => {
        const upper = c.toUpperCase();
        const lower = c.toLowerCase();
        // Only letters whose case pair is one character each way ("ß" → "SS" would not round-trip).
        if (upper !== lower && Array.from(upper).length === 1 && Array.from(lower).length === 1) {
          cased.push(i);
          chars[i] = rng() < 0.5 ? upper : lower;
        }
      });
      if (cased.length > 0 && chars.join('') === text) {
        const i = pick(cased, rng);
        const c = chars[i];
        chars[i] = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
      }
      return chars.join('');
    },
  });
}
