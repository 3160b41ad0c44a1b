/** Characters that render as nothing (or only steer layout) and are used to split or hide text. */
export function isInvisible(cp: number): boolean {
  if (cp < 0x00ad) return false;
  return (
    cp === 0x00ad || // soft hyphen
    cp === 0x034f || // combining grapheme joiner
    cp === 0x061c || // arabic letter mark
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    (cp >= 0x180b && cp <= 0x180f) ||
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space/joiners, LRM/RLM
    (cp >= 0x202a && cp <= 0x202e) || // bidi embeddings and overrides
    (cp >= 0x2060 && cp <= 0x2064) || // word joiner, invisible operators
    (cp >= 0x2066 && cp <= 0x206f) || // bidi isolates, deprecated format chars
    cp === 0x3164 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    cp === 0xfeff ||
    cp === 0xffa0 ||
    (cp >= 0x1bca0 && cp <= 0x1bca3) ||
    (cp >= 0x1d173 && cp <= 0x1d17a) ||
    (cp >= 0xe0000 && cp <= 0xe007f) || // Unicode tag characters (ASCII smuggling)
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

/** Unicode tag characters U+E0020–E007E mirror printable ASCII; attackers hide instructions in them. */
export function tagCharToAscii(cp: number): number {
  return cp >= 0xe0020 && cp <= 0xe007e ? cp - 0xe0000 : -1;
}

const COMBINING = /^\p{M}$/u;
export function isCombining(cp: number): boolean {
  if (cp < 0x0300) return false;
  if (cp <= 0x036f) return true;
  return COMBINING.test(String.fromCodePoint(cp));
}

/**
 * Letters from other scripts that look like Latin letters (a subset of Unicode's confusables.txt that
 * NFKC does not already fold). Each maps one UTF-16 unit to one ASCII letter, so folding keeps offsets.
 */
const CONFUSABLE_PAIRS =
  // Cyrillic
  'аaбbвBеeкkмMнHоoрpсcтTуyхxѕsіiјjԁdԛqԝwһhӏlɡgАAВBЕEКKМMНHОOРPСCТTХXУYЅSІIЈJԌGҮYӀIԜWԚQ' +
  // Greek
  'αaοoνvρpιiκkτtυuχxβBΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧXϲcϳj' +
  // Latin extensions, Armenian, Cherokee, misc
  'ɑaıiȷjօoսuհhոnԸcᎪAᏴBᏟCᎠDᎬEᎻHᏆIᏦKᏞLᎷMᏢPᏚSᎢTᏙVᏔWᏃZ';

export const CONFUSABLES: ReadonlyMap<number, number> = (() => {
  const m = new Map<number, number>();
  for (let i = 0; i < CONFUSABLE_PAIRS.length; i += 2) {
    m.set(CONFUSABLE_PAIRS.charCodeAt(i), CONFUSABLE_PAIRS.charCodeAt(i + 1));
  }
  return m;
})();

const LETTER = /^\p{L}$/u;
export function isLetter(code: number): boolean {
  if (code < 0x80) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return LETTER.test(String.fromCharCode(code));
}

/** Leetspeak digits and symbols and the letters they stand for (one unit each, offsets kept). */
export const LEET: ReadonlyMap<number, number> = new Map(
  [
    ['0', 'o'],
    ['1', 'i'],
    ['3', 'e'],
    ['4', 'a'],
    ['5', 's'],
    ['7', 't'],
    ['8', 'b'],
    ['9', 'g'],
    ['@', 'a'],
    ['$', 's'],
    ['!', 'i'],
    ['|', 'l'],
    ['+', 't'],
  ].map(([a, b]) => [a.charCodeAt(0), b.charCodeAt(0)]),
);

/** An ASCII letter or digit (`[A-Za-z0-9]`) as a char-code test. */
export function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** JavaScript's `\s` set (ASCII and Unicode spaces, line and paragraph separators, BOM) as a char-code test. */
export function isWhitespaceCode(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
