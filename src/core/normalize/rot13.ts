/**
 * ROT13, and where a text is written in it. Cipher jailbreaks send a request in ROT13 behind "decode this and
 * answer it"; its words are letters like any other, so it is found by what it decodes to: common English words
 * ("gur" is "the", "ubj" is "how") that are not words as written.
 */

/** ROT13 on ASCII letters; everything else is kept. Its own inverse. */
export function rot13(text: string): string {
  return text.replace(/[a-zA-Z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** Common English words: in ROT13 they mark a passage, in clear they mark English written as it is. */
const COMMON = [
  'the',
  'and',
  'you',
  'how',
  'what',
  'for',
  'with',
  'this',
  'that',
  'your',
  'can',
  'where',
  'why',
  'will',
  'have',
  'help',
  'make',
  'give',
  'tell',
  'write',
  'from',
  'step',
  'does',
  'should',
  'would',
  'could',
  'about',
  'into',
  'some',
  'please',
];
const COMMON_IN_CLEAR = new Set(COMMON);
/** None of these is itself a common word as written (two-letter ones are left out: "GB", "BS", "QB" are). */
const COMMON_IN_ROT13 = new Set(COMMON.map(rot13));

/** The first two letters of those words, as a table of 26 × 26 (a word starting otherwise is not looked up). */
const STARTS = new Uint8Array(26 * 26);
for (const w of COMMON_IN_ROT13) STARTS[(w.charCodeAt(0) - 97) * 26 + (w.charCodeAt(1) - 97)] = 1;

/** Fewest common words a passage must decode to. */
const MIN_HITS = 2;

/** Where a passage starts: after the last line break, colon or sentence end before `at`. */
function passageStart(text: string, at: number): number {
  for (let i = at - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 58 || c === 46 || c === 63 || c === 33) return i + 1;
  }
  return 0;
}

/**
 * The ROT13 passage of a text, decoded, and its span: from the clause of the first word that decodes to a common
 * English word to the end of the line of the last, when at least two do and they outnumber the common words
 * written in clear between them. Null when there is none. One pass over the text.
 */
export function findRot13(text: string): { text: string; from: number; to: number } | null {
  let hits = 0;
  let clearSince = 0;
  let clearBetween = 0;
  let first = -1;
  let last = -1;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i) | 32;
    if (c < 97 || c > 122) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && (text.charCodeAt(j) | 32) >= 97 && (text.charCodeAt(j) | 32) <= 122) j++;
    // the words above are 3–6 letters long: others are not looked up
    if (
      j - i >= 3 &&
      j - i <= 6 &&
      (first >= 0 || STARTS[(c - 97) * 26 + ((text.charCodeAt(i + 1) | 32) - 97)] === 1)
    ) {
      const word = text.slice(i, j).toLowerCase();
      if (COMMON_IN_ROT13.has(word)) {
        hits++;
        if (first < 0) first = i;
        last = j;
        clearBetween = clearSince;
      } else if (first >= 0 && COMMON_IN_CLEAR.has(word)) clearSince++;
    }
    i = j;
  }
  if (hits < MIN_HITS || clearBetween >= hits) return null;
  const from = passageStart(text, first);
  const nl = text.indexOf('\n', last);
  const to = nl < 0 ? n : nl;
  return { text: rot13(text.slice(from, to)).trim(), from, to };
}
