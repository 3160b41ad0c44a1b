import type { Match } from '../../core/finding.js';

/**
 * Drops the matches in `weaker` that lie mostly (≥ `minFraction` of their length) inside a match of
 * `stronger`. Used so a validated pattern (an email, a card number) beats the tagger's guess over the
 * same characters. Linear after sorting: both lists are swept once.
 */
export function dropCovered(weaker: readonly Match[], stronger: readonly Match[], minFraction = 0.5): Match[] {
  if (stronger.length === 0 || weaker.length === 0) return [...weaker];
  const out: Match[] = [];
  for (const [w, active] of sweep(weaker, stronger)) {
    const len = w.end - w.start;
    let covered = false;
    for (const s of active) {
      const overlap = Math.min(s.end, w.end) - Math.max(s.start, w.start);
      if (overlap > 0 && overlap >= minFraction * len) {
        covered = true;
        break;
      }
    }
    if (!covered) out.push(w);
  }
  return out;
}

/**
 * Each match of `weaker`, in order of start, with the matches of `stronger` that start before it ends and end
 * after it starts (a superset of those that overlap it). Both lists are swept once; the array yielded is
 * reused, so read it before the next step.
 */
function* sweep(weaker: readonly Match[], stronger: readonly Match[]): Generator<[Match, readonly Match[]]> {
  const strong = [...stronger].sort((a, b) => a.start - b.start);
  let j = 0;
  const active: Match[] = [];
  for (const w of [...weaker].sort((a, b) => a.start - b.start)) {
    while (j < strong.length && strong[j].start < w.end) active.push(strong[j++]);
    // forget strong spans that end before this weak span starts (weak spans are sorted by start)
    for (let k = active.length - 1; k >= 0; k--) if (active[k].end <= w.start) active.splice(k, 1);
    yield [w, active];
  }
}

/** Characters a trimmed span may not start or end with. */
function isEdgeJunk(c: number): boolean {
  // whitespace, , ; : ( ) [ ] < > " ' ` | / \ and the no-break space
  return (
    c <= 32 ||
    c === 0xa0 ||
    c === 44 ||
    c === 59 ||
    c === 58 ||
    c === 40 ||
    c === 41 ||
    c === 91 ||
    c === 93 ||
    c === 60 ||
    c === 62 ||
    c === 34 ||
    c === 39 ||
    c === 96 ||
    c === 124 ||
    c === 47 ||
    c === 92
  );
}

function hasAlnum(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0) return true;
  }
  return false;
}

/**
 * Cuts every match in `weaker` that overlaps a match in `hard` (an e-mail address, a URL) back to its
 * longest part outside them, trimmed of spaces and punctuation; drops it when nothing with a letter or a
 * digit is left. So a name never runs into the address next to it ("John Smith john@example.com").
 * Linear after sorting: both lists are swept once.
 */
export function trimOverlapping(text: string, weaker: readonly Match[], hard: readonly Match[]): Match[] {
  if (hard.length === 0 || weaker.length === 0) return [...weaker];
  const out: Match[] = [];
  for (const [w, active] of sweep(weaker, hard)) {
    const cuts = active.filter((s) => s.start < w.end && w.start < s.end).sort((a, b) => a.start - b.start);
    if (cuts.length === 0) {
      out.push(w);
      continue;
    }
    // the pieces of w between the hard spans: keep the longest one that holds a letter or digit
    let best: [number, number] | null = null;
    let from = w.start;
    for (let k = 0; k <= cuts.length; k++) {
      let a = from;
      let b = k < cuts.length ? Math.min(w.end, cuts[k].start) : w.end;
      if (k < cuts.length) from = Math.max(from, cuts[k].end);
      while (a < b && isEdgeJunk(text.charCodeAt(a))) a++;
      while (b > a && isEdgeJunk(text.charCodeAt(b - 1))) b--;
      if (b > a && hasAlnum(text, a, b) && (!best || b - a > best[1] - best[0])) best = [a, b];
    }
    if (best) out.push({ ...w, start: best[0], end: best[1] });
  }
  return out.sort((a, b) => a.start - b.start);
}
