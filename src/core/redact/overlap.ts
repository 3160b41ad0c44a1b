import { LifeguardError } from '../errors.js';
import type { Finding } from '../finding.js';

/** A span to redact after overlap resolution. */
export interface ResolvedSpan {
  start: number;
  end: number;
  /** Type of the group's winning finding. */
  type: string;
  /** The winning finding (its own offsets may be narrower than the span). */
  finding: Finding;
  /** How many findings were merged into this span (1 when it overlapped nothing). */
  merged: number;
}

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Checks every finding's offsets against the text and widens any that cut a surrogate pair in half, so
 * that a redaction never leaves half an emoji behind. Empty findings (start === end) are dropped.
 * Errors name the finding's index and offsets, never the text.
 */
export function checkFindings(text: string, findings: readonly Finding[]): Finding[] {
  if (!Array.isArray(findings)) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', 'redact expects an array of findings');
  }
  const out: Finding[] = [];
  findings.forEach((finding, index) => {
    if (typeof finding !== 'object' || finding === null || typeof finding.type !== 'string') {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `finding #${index} is not a finding (needs type, start, end)`);
    }
    const { start, end } = finding;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `finding #${index} (${finding.type}) has offsets [${String(start)}, ${String(end)}) outside the text ` +
          `(length ${text.length}); offsets are UTF-16 indices with 0 <= start <= end <= length`,
      );
    }
    if (start === end) return;
    let s = start;
    let e = end;
    if (s > 0 && isLow(text.charCodeAt(s)) && isHigh(text.charCodeAt(s - 1))) s -= 1;
    if (e < text.length && isLow(text.charCodeAt(e)) && isHigh(text.charCodeAt(e - 1))) e += 1;
    out.push(s === start && e === end ? finding : { ...finding, start: s, end: e });
  });
  return out;
}

/** Code-unit order: `localeCompare` depended on the process's locale and called distinct strings equal. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function score(f: Finding): number {
  return Number.isFinite(f.score) ? f.score : 0;
}

/** Whether `a` beats `b`: longer, then higher score, then earlier, then type and detector names. */
function beats(a: Finding, b: Finding): boolean {
  return (
    (a.end - a.start - (b.end - b.start) ||
      score(a) - score(b) ||
      b.start - a.start ||
      // Not `localeCompare`: it orders by the process's locale (a type order, and so the output, could change
      // with LANG) and calls distinct names equal (`X\u200B` and `X`, `A\u0301` and `\u00C1`), so which of
      // two such findings on one span won depended on the order the detectors reported them.
      compareNames(b.type, a.type) ||
      compareNames(String(b.detector ?? ''), String(a.detector ?? ''))) > 0
  );
}

/**
 * Resolves overlapping findings. Findings that share at least one character are grouped (transitively);
 * each group becomes one span covering the union of its members, typed after its best member: the
 * longest, then the highest score, then the earliest, then by type name. So a finding nested in another
 * disappears into the outer one, and partially overlapping findings merge: no character that any finding
 * flagged is left in clear. Touching findings (`a.end === b.start`) do not overlap.
 * Input offsets must already be valid (see `checkFindings`); the result is sorted by start.
 */
export function resolveOverlaps(findings: readonly Finding[]): ResolvedSpan[] {
  const sorted = findings.filter((f) => f.end > f.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const spans: ResolvedSpan[] = [];
  let current: ResolvedSpan | undefined;
  for (const f of sorted) {
    if (current !== undefined && f.start < current.end) {
      current.end = Math.max(current.end, f.end);
      current.merged += 1;
      if (beats(f, current.finding)) {
        current.finding = f;
        current.type = f.type;
      }
      continue;
    }
    current = { start: f.start, end: f.end, type: f.type, finding: f, merged: 1 };
    spans.push(current);
  }
  return spans;
}
