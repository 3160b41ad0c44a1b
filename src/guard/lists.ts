import { type Detector, defineDetector } from '../core/detector.js';
import type { Match } from '../core/finding.js';
import { canonicalize, MappedText } from '../core/normalize/index.js';

/**
 * A deny list or custom category as a detector: whole-word, case-insensitive matches of its terms on the
 * canonical view (so homoglyphs and zero-width tricks do not hide a term). Plain `indexOf` scanning:
 * linear in the text for each term, no regular expressions built from user input.
 */
export function listDetector(id: string, terms: readonly string[], description = `terms of list ${id}`): Detector {
  const folded = [
    ...new Set(terms.map((t) => foldAccents(canonicalize(MappedText.original(t)).text.toLowerCase()).text.trim())),
  ]
    .filter(Boolean)
    .map((t) => t.split(GAPS).filter(Boolean))
    .filter((w) => w.length > 0);
  const type = `LIST_${id.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
  return defineDetector({
    id: `list.${id.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`,
    description,
    entityTypes: [type],
    risk: 'security.unsafe-output',
    views: ['canonical', 'despaced'],
    detect(text): Match[] {
      // Accents folded (`bómb`, `b\u0301omb` → `bomb`): a deny list is not bypassed by a diacritic. Offsets are
      // mapped back to `text` through `at`.
      const { text: hay, at: origin } = foldAccents(text.toLowerCase());
      const back = (i: number) => (origin === undefined ? i : i < origin.length ? (origin[i] as number) : text.length);
      const out: Match[] = [];
      for (const words of folded) {
        let from = 0;
        for (;;) {
          const at = hay.indexOf(words[0] as string, from);
          if (at < 0) break;
          const end = endOfTerm(hay, at, words);
          if (end >= 0 && isBoundary(hay, at - 1) && isBoundary(hay, end)) {
            out.push({ type, start: back(at), end: back(end), score: 1, rule: `list.${id}` });
          }
          from = at + 1;
        }
      }
      return out;
    },
  });
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
 * Whether a finding lies within an occurrence of an allow-listed term (`Lifeguard` inside `Lifeguard Bot`), case
 * ignored: the finding is then dropped. Only a term that covers the finding counts. A finding that merely
 * contained a term was dropped too, so an allow term `Acme` un-reported a token `ghp_…Acme…`, and a short term
 * (`e`) turned the secrets and PII checks off.
 */
export function allowFilter(allow: readonly string[]): (text: string, start: number, end: number) => boolean {
  const terms = allow.map((a) => a.toLowerCase()).filter(Boolean);
  if (terms.length === 0) return () => false;
  return (text, start, end) => terms.some((t) => coveredBy(text, start, end, t));
}

/**
 * Whether `term` (lower case) occurs in `text` over all of `[start, end)`. Such an occurrence starts no earlier
 * than `end - term.length` and ends no later than `start + term.length`, so only that stretch is searched.
 */
function coveredBy(text: string, start: number, end: number, term: string): boolean {
  if (end - start > term.length) return false;
  const stretch = text.slice(Math.max(0, end - term.length), start + term.length).toLowerCase();
  return stretch.includes(term);
}
