import { type Detector, defineDetector } from '../core/detector.js';
import type { Match } from '../core/finding.js';
import { canonicalize, MappedText } from '../core/normalize/index.js';

/**
 * A deny list or custom category as a detector: whole-word, case-insensitive matches of its terms on the
 * canonical view (so homoglyphs and zero-width tricks do not hide a term). Plain `indexOf` scanning:
 * linear in the text for each term, no regular expressions built from user input.
 */
export function listDetector(id: string, terms: readonly string[], description = `terms of list ${id}`): Detector {
  const folded = [...new Set(terms.map((t) => canonicalize(MappedText.original(t)).text.toLowerCase().trim()))].filter(
    Boolean,
  );
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
      for (const term of folded) {
        let from = 0;
        for (;;) {
          const at = hay.indexOf(term, from);
          if (at < 0) break;
          const end = at + term.length;
          if (isBoundary(hay, at - 1) && isBoundary(hay, end)) {
            out.push({ type, start: at, end, score: 1, rule: `list.${id}` });
          }
          from = at + 1;
        }
      }
      return out;
    },
  });
}

function isBoundary(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return true;
  const c = s.charCodeAt(i);
  return !((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c > 127);
}

/** Whether `text` contains an allow-listed term where a finding sits: the finding is then dropped. */
export function allowFilter(allow: readonly string[]): (text: string, start: number, end: number) => boolean {
  const terms = allow.map((a) => a.toLowerCase());
  if (terms.length === 0) return () => false;
  return (text, start, end) => {
    const v = text.slice(start, end).toLowerCase();
    return terms.some((t) => v === t || v.includes(t));
  };
}
