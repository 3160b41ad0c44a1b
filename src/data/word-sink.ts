/**
 * Word hashes computed during one character pass for another consumer of the same text: the scan's
 * quality check walks every character of a record already, and the dedup sketch needs the same words
 * lower-cased and hashed, so the quality pass fills a sink and the sketch reads it instead of walking
 * the text a second time.
 *
 * Per word (a maximal run of non-whitespace), two FNV-style lanes over its characters with A–Z
 * lower-cased, started from the sink's seeds, and where the word ends. Only ASCII text is hashed this
 * way: `ascii` turns false at the first other character, and the consumer then normalises and hashes
 * the text itself.
 */

/**
 * Characters of scripts written without spaces between words: Thai, Lao, Tibetan, Myanmar, Khmer, CJK (radicals,
 * punctuation, kana, ideographs), compatibility ideographs, full-width forms, and the high surrogates of CJK
 * extensions B–G (U+20000–U+2FFFF). The quality rules do not count them towards `long_word` (a paragraph of
 * Chinese is not one kilobyte-long "word"), and the dedup sketch makes each one a word of its own; one list, so
 * the two read such text alike.
 */
export function isUnspacedScript(c: number): boolean {
  return (
    (c >= 0x0e00 && c <= 0x109f) ||
    (c >= 0x1780 && c <= 0x17ff) ||
    (c >= 0x2e80 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xff00 && c <= 0xffef) ||
    (c >= 0xd840 && c <= 0xd87f)
  );
}

/** Lane multipliers; consumers finalise each lane with their own mixing. */
export const WORD_MUL_A = 0x01000193;
export const WORD_MUL_B = 0x5bd1e995;

export class WordSink {
  /** Raw lane states per word (before finalisation), its length and the index just past it. */
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  lens = new Int32Array(1024);
  ends = new Int32Array(1024);
  n = 0;
  /** False once the text had a character outside ASCII: the words are then incomplete. */
  ascii = true;
  /** The text the words are of (a consumer checks it is handed the same one). */
  text = '';

  constructor(
    readonly seedA: number,
    readonly seedB: number,
  ) {}

  reset(text: string): void {
    this.n = 0;
    this.ascii = true;
    this.text = text;
  }

  push(a: number, b: number, len: number, end: number): void {
    if (this.n === this.a.length) this.grow();
    const i = this.n++;
    this.a[i] = a;
    this.b[i] = b;
    this.lens[i] = len;
    this.ends[i] = end;
  }

  private grow(): void {
    const size = this.a.length * 2;
    const grown = (x: Int32Array) => {
      const y = new Int32Array(size);
      y.set(x);
      return y;
    };
    this.a = grown(this.a);
    this.b = grown(this.b);
    this.lens = grown(this.lens);
    this.ends = grown(this.ends);
  }
}
