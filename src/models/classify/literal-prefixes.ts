/**
 * The literal strings a regular expression's matches must start with: a sound, cheap test that lets a signal
 * skip its regex on a text that holds none of them (`signal-prefilter.ts`). "\b(?:ignore|disregard)\b …" can
 * only match where a word starts with "ignore" or "disregard"; most texts have neither.
 *
 * The analysis reads the pattern's source: literals, escapes, character classes, groups, alternation,
 * quantifiers, anchors and look-arounds. Anything it does not know (a back-reference, an `i` or `u` flag, a
 * class or alternation too wide to list) makes the whole pattern "no prefixes": the regex then always runs.
 * Skipping is only ever decided by a literal the match cannot do without, so results never change.
 */

/** Prefixes are cut to this many characters (a longer one only filters slightly better). */
export const MAX_PREFIX = 8;
/** Beyond this many alternatives the pattern is run unfiltered (a class repeated six times, say). */
const MAX_ALTERNATIVES = 2048;
/** A class of more characters than this is "any character". */
const MAX_CLASS = 16;
/** Marks a string that begins right after a `\b`, before any character of the match. */
const AT_BOUNDARY = '\u0001';

/** The strings every match starts with (one of them, each 1–MAX_PREFIX characters). */
export interface LiteralPrefixes {
  /** Prefixes that start where `\b` held and with a word character: they start a word. */
  wordStart: string[];
  /** Prefixes that may start anywhere. */
  anywhere: string[];
}

/**
 * What a part of a pattern can match first: `exact` strings are whole matches of that part (shorter than
 * MAX_PREFIX), `cut` strings are the first MAX_PREFIX characters of longer matches. `null`: unknown.
 */
type Starts = { exact: Set<string>; cut: Set<string> } | null;

class Unsupported extends Error {}

const EMPTY: Starts = { exact: new Set(['']), cut: new Set() };
const BOUNDARY: Starts = { exact: new Set([AT_BOUNDARY]), cut: new Set() };

function length(s: string): number {
  return s.startsWith(AT_BOUNDARY) ? s.length - 1 : s.length;
}

/** `x` then `y`; a `\b` counts only before the first character. */
function join(x: string, y: string): string {
  const tail = y.startsWith(AT_BOUNDARY) && (length(x) > 0 || x.startsWith(AT_BOUNDARY)) ? y.slice(1) : y;
  return x + tail;
}

function cut(s: string): string {
  return s.slice(0, MAX_PREFIX + (s.startsWith(AT_BOUNDARY) ? 1 : 0));
}

/**
 * What `a` then `b` can start with. After an unknown part, each exact string of `a` is a prefix as it is (and
 * null when one is empty: then the match could start with anything).
 */
function sequence(a: Starts, b: Starts): Starts {
  if (a === null) return null;
  if (b !== null && a.exact.size * (b.exact.size + b.cut.size) > 4 * MAX_ALTERNATIVES) return sequence(a, null);
  const exact = new Set<string>();
  const cuts = new Set(a.cut);
  for (const x of a.exact) {
    if (b === null) {
      if (length(x) === 0) return null;
      cuts.add(x);
      continue;
    }
    for (const y of b.exact) {
      const s = join(x, y);
      if (length(s) >= MAX_PREFIX) cuts.add(cut(s));
      else exact.add(s);
    }
    for (const y of b.cut) cuts.add(cut(join(x, y)));
  }
  // Too many combinations: read `b` as unknown instead (shorter prefixes, still sound).
  if (exact.size + cuts.size > MAX_ALTERNATIVES) return b === null ? null : sequence(a, null);
  return { exact, cut: cuts };
}

function either(a: Starts, b: Starts): Starts {
  if (a === null || b === null) return null;
  const s = { exact: new Set([...a.exact, ...b.exact]), cut: new Set([...a.cut, ...b.cut]) };
  return s.exact.size + s.cut.size > MAX_ALTERNATIVES ? null : s;
}

function oneOf(chars: Iterable<string>): Starts {
  const set = new Set(chars);
  return set.size > MAX_CLASS ? null : { exact: set, cut: new Set() };
}

/** A recursive-descent reader of the pattern syntax the signals use (no `u` flag). */
class Reader {
  #i = 0;

  constructor(readonly source: string) {}

  read(): Starts {
    const s = this.alternatives();
    if (this.#i !== this.source.length) throw new Unsupported('unbalanced');
    return s;
  }

  alternatives(): Starts {
    let s = this.sequence();
    while (this.source[this.#i] === '|') {
      this.#i++;
      s = either(s, this.sequence());
    }
    return s;
  }

  sequence(): Starts {
    let s = EMPTY;
    while (this.#i < this.source.length && this.source[this.#i] !== '|' && this.source[this.#i] !== ')') {
      const atom = this.atom();
      s = sequence(s, this.quantified(atom));
    }
    return s;
  }

  /** The atom under its quantifier, unrolled: repetitions past MAX_PREFIX add nothing to a prefix. */
  quantified(atom: { starts: Starts; zeroWidth: boolean }): Starts {
    const src = this.source;
    let min = 1;
    let max = 1;
    const c = src[this.#i];
    if (c === '?' || c === '*' || c === '+') {
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Number.POSITIVE_INFINITY;
      this.#i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(this.#i));
      if (!m) throw new Unsupported('brace');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Number.POSITIVE_INFINITY;
      this.#i += m[0].length;
    } else return atom.starts;
    if (src[this.#i] === '?') this.#i++; // lazy: the same strings
    if (atom.zeroWidth) return EMPTY;
    let s = EMPTY;
    for (let k = 0; k < Math.min(min, MAX_PREFIX); k++) s = sequence(s, atom.starts);
    const optional = either(EMPTY, atom.starts);
    for (let k = 0; k < Math.min(max - min, MAX_PREFIX); k++) s = sequence(s, optional);
    return s;
  }

  atom(): { starts: Starts; zeroWidth: boolean } {
    const src = this.source;
    const c = src[this.#i++];
    if (c === '(') {
      let zeroWidth = false;
      if (src.startsWith('?:', this.#i)) this.#i += 2;
      else if (src.startsWith('?=', this.#i) || src.startsWith('?!', this.#i)) {
        this.#i += 2;
        zeroWidth = true;
      } else if (src.startsWith('?<=', this.#i) || src.startsWith('?<!', this.#i)) {
        this.#i += 3;
        zeroWidth = true;
      } else if (src[this.#i] === '?') throw new Unsupported('group');
      const inner = this.alternatives();
      if (src[this.#i++] !== ')') throw new Unsupported('unbalanced');
      // A look-around only narrows where a match may be: it adds no characters.
      return { starts: zeroWidth ? EMPTY : inner, zeroWidth };
    }
    if (c === '^' || c === '$') return { starts: EMPTY, zeroWidth: true };
    if (c === '.') return { starts: null, zeroWidth: false };
    if (c === '[') return { starts: this.characterClass(), zeroWidth: false };
    if (c === '\\') return this.escape();
    if (c === '?' || c === '*' || c === '+' || c === '{' || c === ')' || c === undefined)
      throw new Unsupported('syntax');
    return { starts: oneOf([c]), zeroWidth: false };
  }

  escape(): { starts: Starts; zeroWidth: boolean } {
    const e = this.source[this.#i++];
    if (e === 'b') return { starts: BOUNDARY, zeroWidth: true };
    if (e === 'B') return { starts: EMPTY, zeroWidth: true };
    if (e === 'd') return { starts: oneOf(DIGITS), zeroWidth: false };
    if ('wWsSD'.includes(e)) return { starts: null, zeroWidth: false };
    const control = CONTROL[e];
    if (control !== undefined) return { starts: oneOf([control]), zeroWidth: false };
    if (e === 'u') {
      const hex = this.source.slice(this.#i, this.#i + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Unsupported('\\u');
      this.#i += 4;
      return { starts: oneOf([String.fromCharCode(Number.parseInt(hex, 16))]), zeroWidth: false };
    }
    if (e !== undefined && !/[0-9A-Za-z]/.test(e)) return { starts: oneOf([e]), zeroWidth: false };
    throw new Unsupported(`\\${e}`); // back-references, \x, \c, \p, …
  }

  /** `[…]`: its characters when few; a negated or wide class is any character. */
  characterClass(): Starts {
    const src = this.source;
    let negated = false;
    if (src[this.#i] === '^') {
      negated = true;
      this.#i++;
    }
    const chars: string[] = [];
    let any = false;
    while (this.#i < src.length && src[this.#i] !== ']') {
      const from = this.classChar();
      if (from === null || from.length > 1) {
        if (from === null) any = true;
        else chars.push(...from);
        continue;
      }
      if (src[this.#i] === '-' && src[this.#i + 1] !== ']' && this.#i + 1 < src.length) {
        this.#i++;
        const to = this.classChar();
        if (to === null || to.length !== 1) throw new Unsupported('range');
        for (let x = from.charCodeAt(0); x <= to.charCodeAt(0) && chars.length <= MAX_CLASS; x++)
          chars.push(String.fromCharCode(x));
      } else chars.push(from);
    }
    if (src[this.#i++] !== ']') throw new Unsupported('class');
    return negated || any ? null : oneOf(chars);
  }

  /** One character of a class, or the digits for `\d`; null for a wide class escape (`\w`, `\s`, …). */
  classChar(): string | null {
    const c = this.source[this.#i++];
    if (c !== '\\') return c;
    const e = this.source[this.#i++];
    if (e === 'd') return DIGITS.join('');
    if ('wWsSD'.includes(e)) return null;
    const control = CONTROL[e];
    if (control !== undefined) return control;
    if (e !== undefined && !/[0-9A-Za-z]/.test(e)) return e;
    throw new Unsupported(`class \\${e}`); // \b is a backspace in a class, \u…: not worth reading
  }
}

const DIGITS = [...'0123456789'];
const CONTROL: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v' };

/**
 * The literal prefixes of `pattern`'s matches, or null when the pattern has none to rely on (then it must
 * always run). Flags that change what a literal matches (`i`, `u`, `v`) are not read, nor a stateful pattern
 * (`g`, `y`: a skipped `test` would leave its `lastIndex` where it was).
 */
export function literalPrefixes(pattern: RegExp): LiteralPrefixes | null {
  if (/[iuvgy]/.test(pattern.flags)) return null;
  let starts: Starts;
  try {
    starts = new Reader(pattern.source).read();
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
  if (starts === null) return null;
  const wordStart = new Set<string>();
  const anywhere = new Set<string>();
  for (const s of [...starts.exact, ...starts.cut]) {
    if (length(s) === 0) return null; // the pattern can match the empty string
    const bounded = s.startsWith(AT_BOUNDARY);
    const text = bounded ? s.slice(1) : s;
    // After `\b`, a word character starts a word; a non-word character only says "after a word".
    if (bounded && isWordChar(text.charCodeAt(0))) wordStart.add(text);
    else anywhere.add(text);
  }
  return { wordStart: [...wordStart], anywhere: [...anywhere] };
}

/** `\w` without the `u` flag. */
export function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
