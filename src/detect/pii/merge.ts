import type { Match } from '../../core/finding.js';

/**
 * Drops the matches in `weaker` that lie mostly (≥ `minFraction` of their length) inside a match of
 * `stronger`. Used so a validated pattern (an email, a card number) beats the tagger's guess over the
 * same characters. Linear after sorting: both lists are swept once.
 */
export function dropCovered(weaker: readonly Match[], stronger: readonly Match[], minFraction = 0.5): Match[] {
  if (stronger.length === 0 || weaker.length === 0) return [...weaker];
  const strong = [...stronger].sort((a, b) => a.start - b.start);
  const out: Match[] = [];
  // prefix maximum of end positions lets us find every strong span that can reach a weak one
  let j = 0;
  const active: Match[] = [];
  for (const w of [...weaker].sort((a, b) => a.start - b.start)) {
    while (j < strong.length && strong[j].start < w.end) active.push(strong[j++]);
    // forget strong spans that end before this weak span starts (weak spans are sorted by start)
    for (let k = active.length - 1; k >= 0; k--) if (active[k].end <= w.start) active.splice(k, 1);
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
