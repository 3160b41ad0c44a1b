import { isSpace } from '../../core/normalize/canonical.js';
import { isHexCode } from './patterns/types.js';

/** Longest whitespace-delimited chunk the tagger reads; longer ones are URLs, blobs or attacks. */
const MAX_CHUNK = 64;
/** Longest run of one-character chunks the tagger reads. */
const MAX_SINGLES = 8;

/**
 * Blanks (with spaces, so offsets stay the same) every whitespace-delimited chunk that cannot hold a
 * name, place or organisation: chunks over 64 characters, and chunks of four or more characters that
 * are mostly punctuation or hold a run of four repeated punctuation characters (`-----BEGIN`), and runs of eight or more one-character chunks. The tagger then spends its time on prose only, and hostile inputs such as
 * `1-1-1-…` or `a@a@…` cost one linear pass instead of a million tokens. A `%XX` escape counts as three
 * punctuation characters: URL-encoded chunks such as `x%41%41%41` are read after decoding, by the patterns, and
 * the tagger split each into seven tokens (`%`, `41`, …), three times prose's tokens per character. Chunks with a
 * few escapes between words (`John%20Smith`) stay. Returns the text itself when nothing needs blanking.
 */
export function proseOnly(text: string): string {
  const n = text.length;
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  // runs of one-character chunks ("a a a a …") are spaced-out text for the de-spaced view, not prose
  let singlesFrom = -1;
  let singlesTo = -1;
  let singles = 0;
  const blank = (from: number, to: number) => {
    parts.push(text.slice(copied, from), ' '.repeat(to - from));
    copied = to;
  };
  const endSingles = () => {
    if (singles >= MAX_SINGLES) blank(singlesFrom, singlesTo);
    singles = 0;
  };
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    const start = i;
    let alnum = 0;
    let repeat = 0; // longest run of one repeated punctuation character ("-----", "====")
    let run = 0;
    let prev = -1;
    while (i < n && !isSpace(text.charCodeAt(i))) {
      const c = text.charCodeAt(i);
      // a %XX escape is punctuation, hex digits included: "x%41%41%41" is one letter in ten, not seven
      if (c === 37 && isHexCode(text.charCodeAt(i + 1)) && isHexCode(text.charCodeAt(i + 2))) {
        run = 0;
        prev = -1;
        i += 3;
        continue;
      }
      if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0) {
        alnum++;
        run = 0;
      } else {
        run = c === prev ? run + 1 : 1;
        if (run > repeat) repeat = run;
      }
      prev = c;
      i++;
    }
    const len = i - start;
    if (len === 1) {
      if (singles++ === 0) singlesFrom = start;
      singlesTo = i;
      continue;
    }
    endSingles();
    if (len > MAX_CHUNK || (len >= 4 && (alnum * 2 < len || repeat >= 4))) blank(start, i);
  }
  endSingles();
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}
