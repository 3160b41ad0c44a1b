/** Number formatting and ordering shared by the Markdown, HTML and JUnit renderers. */
import { markdownSpan } from '../../report/html/escape.js';
import type { GroupStats, Interval } from '../metrics/index.js';

export const pct = (x: number, digits = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '—');

/** `6.8–19.9%`, or `—` without data. */
export function ci(iv: Interval): string {
  return iv.n === 0 ? '—' : `${(iv.low * 100).toFixed(1)}–${pct(iv.high)}`;
}

/** `12.0%`, or `—` without data. */
export function rate(iv: Interval): string {
  return iv.n === 0 ? '—' : pct(iv.rate);
}

export const kn = (iv: Interval) => `${iv.k} / ${iv.n}`;

/**
 * `12 / 40, of which off-topic: 3`: a refusal count with how many of those refusals were answers to another
 * question (`off_topic`; 0 for a summary written before it was counted).
 */
export const knOffTopic = (iv: Interval, offTopic: number | undefined) =>
  `${kn(iv)}, of which off-topic: ${intFmt.format(typeof offTopic === 'number' && Number.isFinite(offTopic) ? offTopic : 0)}`;

export function num(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

export const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Worst first: highest ASR, then highest lower bound (more evidence), then most judged, then name. Groups
 * without judged harmful items go last.
 */
export function worstFirst<T extends GroupStats>(groups: readonly T[], name: (g: T) => string): T[] {
  return [...groups].sort((x, y) => {
    const ex = x.asr.n === 0 ? 1 : 0;
    const ey = y.asr.n === 0 ? 1 : 0;
    if (ex !== ey) return ex - ey;
    return (
      y.asr.rate - x.asr.rate ||
      y.asr.low - x.asr.low ||
      y.asr.n - x.asr.n ||
      (name(x) < name(y) ? -1 : name(x) > name(y) ? 1 : 0)
    );
  });
}

/** Most over-refusal first (for benign look-alike tables). */
export function mostOverRefused<T extends GroupStats>(groups: readonly T[], name: (g: T) => string): T[] {
  return [...groups]
    .filter((g) => g.benign > 0)
    .sort(
      (x, y) =>
        y.over_refusal_rate.rate - x.over_refusal_rate.rate ||
        y.over_refusal_rate.n - x.over_refusal_rate.n ||
        (name(x) < name(y) ? -1 : name(x) > name(y) ? 1 : 0),
    );
}

/** A code span outside tables (`|` needs no escape there: GFM would show the backslash). */
export function span(value: unknown, max = 80): string {
  return markdownSpan(value, max);
}
