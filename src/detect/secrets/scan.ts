/**
 * The matching loop: find keyword occurrences with the anchor index, offer each to the rules that
 * declared the keyword, then resolve overlapping hits. Every step is linear in the input: the anchor
 * regexes are single native passes, rules only look at bounded windows around an anchor, and a rule's
 * anchors that fall inside a region it has already examined are skipped.
 */
import type { Match } from '../../core/finding.js';
import type { AnchorIndex } from './anchors.js';
import * as A from './anchors.js';
import type { RawHit, ScanContext, SecretRule } from './types.js';

// Bound once: module namespaces may be getter-backed (test runners), and these run per character.
const { buildAnchorIndex, lowerCode, pairKey } = A;

export interface CompiledRules {
  readonly rules: readonly SecretRule[];
  readonly anchors: AnchorIndex;
  /** Per-rule scratch state of `collectHits`. */
  readonly scratch: { lastStart: Int32Array; next: Int32Array };
}

export function compileRules(rules: readonly SecretRule[]): CompiledRules {
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.id)) throw new Error(`secrets: duplicate rule id ${rule.id}`);
    ids.add(rule.id);
  }
  return {
    rules,
    anchors: buildAnchorIndex(rules),
    scratch: { lastStart: new Int32Array(rules.length), next: new Int32Array(rules.length) },
  };
}

/** Lower-cases without changing length (U+0130 is the one code point whose lower case is longer). */
function lowerSameLength(text: string): string {
  const lower = text.toLowerCase();
  return lower.length === text.length ? lower : text.replace(/\u0130/g, '\u0131').toLowerCase();
}

const identity = (c: number): number => c;

/** Whether `text` has `keyword` at `pos` (ignoring ASCII case for lower-case keywords when asked). */
function hasKeyword(text: string, pos: number, keyword: string, caseInsensitive: boolean): boolean {
  if (!caseInsensitive) return text.startsWith(keyword, pos);
  if (pos + keyword.length > text.length) return false;
  for (let i = 0; i < keyword.length; i++) {
    if (lowerCode(text.charCodeAt(pos + i)) !== keyword.charCodeAt(i)) return false;
  }
  return true;
}

/** Runs every rule over `text` and returns the raw hits, overlaps not yet resolved. */
export function collectHits(text: string, compiled: CompiledRules): RawHit[] {
  const { rules, anchors } = compiled;
  const hits: RawHit[] = [];
  let lowerCache: string | undefined;
  const ctx: ScanContext = {
    text,
    lower: () => {
      lowerCache ??= lowerSameLength(text);
      return lowerCache;
    },
    emit: (rule, start, end, score) => {
      if (end > start) hits.push({ rule, start, end, score });
    },
  };
  // Per rule: where its last attempt started and how far it looked. Reused between calls (a fresh
  // typed array per call cost more than the regex passes on short texts); a call never re-enters.
  let { lastStart, next } = compiled.scratch;
  if (lastStart.length !== rules.length) {
    lastStart = compiled.scratch.lastStart = new Int32Array(rules.length);
    next = compiled.scratch.next = new Int32Array(rules.length);
  }
  lastStart.fill(-1);
  next.fill(-1);

  const offer = (ruleIndex: number, start: number, keyword: string): void => {
    if (start < next[ruleIndex] && start >= lastStart[ruleIndex]) return;
    lastStart[ruleIndex] = start;
    const reached = rules[ruleIndex].find(ctx, start, keyword);
    if (reached > next[ruleIndex]) next[ruleIndex] = reached;
  };

  const n = text.length;
  for (const set of anchors.sets) {
    const { regex, behind, ahead, caseInsensitive } = set;
    const fold = caseInsensitive ? lowerCode : identity;
    regex.lastIndex = 0;
    // Every match is one character (the pivot), so test() suffices and allocates nothing.
    while (regex.test(text)) {
      const pos = regex.lastIndex - 1;
      const pivot = fold(text.charCodeAt(pos));
      if (pos > 0) {
        const bucket = behind[pairKey(pivot, fold(text.charCodeAt(pos - 1)))];
        if (bucket) {
          for (const entry of bucket) {
            const start = pos - entry.pivot;
            if (start >= 0 && hasKeyword(text, start, entry.keyword, caseInsensitive)) {
              for (const r of entry.rules) offer(r, start, entry.keyword);
            }
          }
        }
      }
      if (pos + 1 < n) {
        const bucket = ahead[pairKey(pivot, fold(text.charCodeAt(pos + 1)))];
        if (bucket) {
          for (const entry of bucket) {
            if (hasKeyword(text, pos, entry.keyword, caseInsensitive)) {
              for (const r of entry.rules) offer(r, pos, entry.keyword);
            }
          }
        }
      }
    }
  }
  return hits;
}

function better(a: RawHit, b: RawHit): boolean {
  if (a.rule.priority !== b.rule.priority) return a.rule.priority > b.rule.priority;
  if (a.score !== b.score) return a.score > b.score;
  return a.end - a.start > b.end - b.start;
}

/**
 * Keeps one hit per overlapping cluster member: sweeping by start, a hit that overlaps the current one
 * replaces it only when it is better (priority, then score, then length). O(n log n).
 */
export function resolveOverlaps(hits: RawHit[]): RawHit[] {
  if (hits.length < 2) return hits;
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: RawHit[] = [];
  let current = hits[0];
  for (let i = 1; i < hits.length; i++) {
    const h = hits[i];
    if (h.start >= current.end) {
      out.push(current);
      current = h;
    } else if (better(h, current)) {
      current = h;
    }
  }
  out.push(current);
  return out;
}

export function scanSecrets(text: string, compiled: CompiledRules): Match[] {
  if (text.length === 0) return [];
  return resolveOverlaps(collectHits(text, compiled)).map((h) => ({
    type: h.rule.type,
    start: h.start,
    end: h.end,
    score: Math.round(h.score * 1000) / 1000,
    rule: h.rule.id,
  }));
}
