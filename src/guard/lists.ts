import { type Detector, defineDetector } from '../core/detector.js';
import type { Match } from '../core/finding.js';
import { canonicalize, despace, MappedText } from '../core/normalize/index.js';

/**
 * A deny list or custom category as a detector: whole-word, case-insensitive matches of its terms on the
 * canonical view (so homoglyphs and zero-width tricks do not hide a term). Plain `indexOf` scanning:
 * linear in the text for each term, no regular expressions built from user input.
 */
export function listDetector(id: string, terms: readonly string[], description = `terms of list ${id}`): Detector {
  const folded = compileTerms(terms);
  const type = `LIST_${id.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
  return defineDetector({
    id: `list.${id.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`,
    description,
    entityTypes: [type],
    risk: 'security.unsafe-output',
    views: ['canonical', 'despaced'],
    detect(text): Match[] {
      // Accents folded (`bómb`, `b\u0301omb` → `bomb`): a deny list is not bypassed by a diacritic. Offsets are
      // mapped back to `text` through `at`, so the lower case must keep them: `toLowerCase` made each `İ` two
      // units, and every finding after one was reported that many units too far to the right.
      const { text: hay, at: origin } = foldAccents(lowerCase(text));
      const back = (i: number) => (origin === undefined ? i : i < origin.length ? (origin[i] as number) : text.length);
      const out: Match[] = [];
      forEachTerm(hay, folded, (at, end) => {
        out.push({ type, start: back(at), end: back(end), score: 1, rule: `list.${id}` });
      });
      return out;
    },
  });
}

/**
 * Terms as the list matchers compare them: canonical (NFKC, invisibles dropped, homoglyphs folded), lower case,
 * accents folded, trimmed, and split into words at white space and hyphens. Duplicates and empty terms dropped.
 */
function compileTerms(terms: readonly string[]): string[][] {
  return [...new Set(terms.map((t) => foldAccents(lowerCase(canonicalize(MappedText.original(t)).text)).text.trim()))]
    .filter(Boolean)
    .map((t) => t.split(GAPS).filter(Boolean))
    .filter((w) => w.length > 0);
}

/**
 * Calls `visit(start, end)` for each whole-word occurrence in `hay` (lower case, accents folded) of a compiled
 * term, in order of start for each term. `indexOf` per term and each gap walked once: linear in `hay` per term.
 */
function forEachTerm(hay: string, terms: readonly string[][], visit: (start: number, end: number) => void): void {
  for (const words of terms) {
    let from = 0;
    for (;;) {
      const at = hay.indexOf(words[0] as string, from);
      if (at < 0) break;
      const end = endOfTerm(hay, at, words);
      if (end >= 0 && isBoundary(hay, at - 1) && isBoundary(hay, end)) visit(at, end);
      from = at + 1;
    }
  }
}

/**
 * Where a term's `words` end when they occur at `at`, each after a run of white space or hyphens, or -1. A term
 * of several words matched only with single spaces between them, so a doubled space, a line break
 * (`Project\nFalcon`) or a hyphen (`Project-Falcon`) hid it. Each gap is walked by the one occurrence before it:
 * linear in the text.
 */
function endOfTerm(hay: string, at: number, words: readonly string[]): number {
  let i = at + (words[0] as string).length;
  for (const word of words.slice(1)) {
    const gap = i;
    while (i < hay.length && GAP.test(hay[i] as string)) i++;
    if (i === gap || !hay.startsWith(word, i)) return -1;
    i += word.length;
  }
  return i;
}

/** What may stand between the words of a term: white space, hyphens and dashes (one character; a run). */
const GAP = /[\s\-\u2010-\u2015]/;
const GAPS = new RegExp(`${GAP.source}+`);

const COMBINING_MARK = /\p{M}/u;
const baseOf = new Map<number, string>();

/**
 * `s` with combining marks dropped and accented letters replaced by their base letter (NFD's first unit, when
 * it is a letter: `é` → `e`, `ø` stays), and for each unit of the result the index in `s` it came from (`at`;
 * undefined for ASCII text, whose offsets do not move). One
 * pass; each distinct non-ASCII unit is decomposed once.
 */
export function foldAccents(s: string): { text: string; at: number[] | undefined } {
  // ASCII: nothing to fold, and the offsets are the identity (`at` undefined).
  if (!/[^\x00-\x7f]/.test(s)) return { text: s, at: undefined };
  const out: string[] = [];
  const at: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      out.push(s[i] as string);
      at.push(i);
      continue;
    }
    let base = baseOf.get(c);
    if (base === undefined) {
      const ch = String.fromCharCode(c);
      if (COMBINING_MARK.test(ch)) base = '';
      else {
        const d = ch.normalize('NFD');
        base =
          d.length > 1 && /^\p{L}$/u.test(d[0] as string) && COMBINING_MARK.test(d.slice(1)) ? (d[0] as string) : ch;
      }
      if (baseOf.size < 4096) baseOf.set(c, base);
    }
    if (base === '') continue;
    out.push(base);
    at.push(i);
  }
  return { text: out.join(''), at };
}

function isBoundary(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return true;
  const c = s.charCodeAt(i);
  return !((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c > 127);
}

/**
 * Whether a finding lies within an occurrence of an allow-listed term (`Lifeguard` inside `Lifeguard Bot`): the
 * finding is then dropped. Only an occurrence that covers the finding counts. A finding that merely contained a
 * term was dropped too, so an allow term `Acme` un-reported a token `ghp_…Acme…`, and a short term (`e`) turned
 * the secrets and PII checks off.
 *
 * Terms are matched as deny-list terms are (`listDetector`): whole words on the canonical and de-spaced views,
 * case ignored, accents folded, any white space or hyphens between words, and offsets mapped back to the text
 * as written. Compared by lower-casing the raw text, an allow term `Café Lifeguard` missed `cafe lifeguard`, and
 * a fullwidth letter, zero-width character or non-breaking space in the text hid a term the deny lists and
 * detectors still read through, so the finding inside it stayed reported.
 *
 * The occurrences in a text are found once (a linear pass per term) and kept for the findings of the same text
 * that follow; each finding is then answered by a binary search.
 */
export function allowFilter(allow: readonly string[]): (text: string, start: number, end: number) => boolean {
  const terms = compileTerms(allow);
  if (terms.length === 0) return () => false;
  let last: string | undefined;
  let spans: AllowSpans = NO_SPANS;
  return (text, start, end) => {
    if (text !== last) {
      spans = allowSpans(text, terms);
      last = text;
    }
    return covered(spans, start, end);
  };
}

/** Occurrences in the original text, sorted by start; `reach[i]` is the furthest end among the first i + 1. */
interface AllowSpans {
  starts: number[];
  reach: number[];
}
const NO_SPANS: AllowSpans = { starts: [], reach: [] };

function allowSpans(text: string, terms: readonly string[][]): AllowSpans {
  const canonical = canonicalize(MappedText.original(text));
  const found: Array<[number, number]> = [];
  for (const view of [canonical, despace(canonical)]) {
    if (!view) continue;
    const { text: hay, at: origin } = foldAccents(lowerCase(view.text));
    // A folded end maps to where the next kept unit came from, so the combining marks after a term are its own.
    const back = (i: number) =>
      origin === undefined ? i : i < origin.length ? (origin[i] as number) : view.text.length;
    forEachTerm(hay, terms, (at, end) => {
      found.push(view.toOriginal(back(at), back(end)));
    });
  }
  if (found.length === 0) return NO_SPANS;
  found.sort((a, b) => a[0] - b[0]);
  const starts: number[] = [];
  const reach: number[] = [];
  let far = -1;
  for (const [s, e] of found) {
    far = Math.max(far, e);
    starts.push(s);
    reach.push(far);
  }
  return { starts, reach };
}

/** Whether an occurrence starting at or before `start` ends at or after `end`. */
function covered({ starts, reach }: AllowSpans, start: number, end: number): boolean {
  let lo = 0;
  let hi = starts.length; // first index whose start is after `start`
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((starts[mid] as number) <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && (reach[lo - 1] as number) >= end;
}

/**
 * `s` in lower case, unit for unit, so offsets in the result are offsets in `s` (the deny and allow matchers map
 * their spans back through offsets of the text before lower-casing). `İ` (U+0130) is the one character whose lower
 * case is longer (`i` + U+0307, a mark `foldAccents` drops anyway): it is lower-cased as `I`, so it becomes `i` as
 * before, and the rest of the text is lower-cased as a whole, as `toLowerCase` does (a final `Σ` still `ς`, as in
 * the compiled terms). Should any other character's lower case be longer, it becomes its lower case without the
 * combining marks, or stays as it is.
 */
export function lowerCase(s: string): string {
  const lower = s.toLowerCase();
  if (lower.length === s.length) return lower;
  const dotted = s.replace(/\u0130/g, 'I');
  const folded = dotted.toLowerCase();
  if (folded.length === s.length) return folded;
  let out = '';
  for (const ch of dotted) {
    const l = ch.toLowerCase();
    if (l.length === ch.length) out += l;
    else {
      const base = l.replace(/\p{M}+$/u, '');
      out += base.length === ch.length ? base : ch;
    }
  }
  return out;
}
