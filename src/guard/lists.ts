import { type Detector, defineDetector } from '../core/detector.js';
import type { Match } from '../core/finding.js';
import { canonicalize, MappedText } from '../core/normalize/index.js';

/**
 * A deny list or custom category as a detector: whole-word, case-insensitive matches of its terms on the
 * canonical view (so homoglyphs and zero-width tricks do not hide a term). Plain `indexOf` scanning:
 * linear in the text for each term, no regular expressions built from user input.
 */
export function listDetector(id: string, terms: readonly string[], description = `terms of list ${id}`): Detector {
  const folded = [...new Set(terms.map((t) => canonicalize(MappedText.original(t)).text.toLowerCase().trim()))]
    .filter(Boolean)
    .map((t) => t.split(/\s+/));
  const type = `LIST_${id.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
  return defineDetector({
    id: `list.${id.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`,
    description,
    entityTypes: [type],
    risk: 'security.unsafe-output',
    views: ['canonical', 'despaced'],
    detect(text): Match[] {
      const hay = text.toLowerCase();
      const out: Match[] = [];
      for (const words of folded) {
        let from = 0;
        for (;;) {
          const at = hay.indexOf(words[0] as string, from);
          if (at < 0) break;
          const end = endOfTerm(hay, at, words);
          if (end >= 0 && isBoundary(hay, at - 1) && isBoundary(hay, end)) {
            out.push({ type, start: at, end, score: 1, rule: `list.${id}` });
          }
          from = at + 1;
        }
      }
      return out;
    },
  });
}

/**
 * Where a term's `words` end when they occur at `at`, each after a run of white space, or -1. A term of several
 * words matched only with single spaces between them, so a doubled space or a line break (`Project\nFalcon`)
 * hid it. Each white-space run is walked by the one occurrence before it: linear in the text.
 */
function endOfTerm(hay: string, at: number, words: readonly string[]): number {
  let i = at + (words[0] as string).length;
  for (const word of words.slice(1)) {
    const gap = i;
    while (i < hay.length && /\s/.test(hay[i] as string)) i++;
    if (i === gap || !hay.startsWith(word, i)) return -1;
    i += word.length;
  }
  return i;
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
