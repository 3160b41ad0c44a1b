/**
 * Pattern-and-validator PII recognisers: regular formats checked by checksums and context words. This is
 * all that `--fast` mode runs; the sequence tagger adds names, organisations, addresses and locations.
 *
 * Every recogniser works in linear time: it finds a distinctive anchor (a digit, '@', '://', ':') with a
 * one-character search and parses a bounded number of characters around it by hand or with a sticky,
 * bounded regex. Overlapping candidates are resolved greedily by score.
 */
import type { DetectOptions } from '../../../core/detector.js';
import type { Match } from '../../../core/finding.js';
import { ageRecognizer } from './age.js';
import { bankingRecognizer } from './banking.js';
import { cardRecognizer } from './cards.js';
import { cryptoRecognizer } from './crypto.js';
import { dateTimeRecognizer } from './datetime.js';
import { emailRecognizer } from './email.js';
import { nationalIdRecognizer } from './national-ids.js';
import { networkRecognizer } from './network.js';
import { phoneRecognizer } from './phone.js';
import { createScanContext } from './scan.js';
import type { Candidate, Recognizer } from './types.js';
import { usIdRecognizer } from './us-ids.js';

export type { Candidate, Recognizer, ScanContext } from './types.js';

/** Recognisers that need a digit somewhere in the text. */
const NEEDS_DIGIT: ReadonlySet<Recognizer> = new Set([
  cardRecognizer,
  phoneRecognizer,
  bankingRecognizer,
  usIdRecognizer,
  nationalIdRecognizer,
  cryptoRecognizer,
  ageRecognizer,
]);

export const PATTERN_RECOGNIZERS: readonly Recognizer[] = [
  emailRecognizer,
  networkRecognizer,
  cardRecognizer,
  bankingRecognizer,
  usIdRecognizer,
  nationalIdRecognizer,
  cryptoRecognizer,
  phoneRecognizer,
  dateTimeRecognizer,
  ageRecognizer,
];

/** Every entity type the pattern recognisers can emit. */
export const PATTERN_ENTITY_TYPES: readonly string[] = [...new Set(PATTERN_RECOGNIZERS.flatMap((r) => r.entityTypes))];

function wants(recognizer: Recognizer, entities: ReadonlySet<string> | undefined): boolean {
  return !entities || recognizer.entityTypes.some((t) => entities.has(t));
}

/**
 * Greedy overlap resolution: best score first (then priority, then longer); a taken character is never
 * reused. Linear in the text length plus the candidates' total length.
 */
export function resolveOverlaps(candidates: Candidate[], length: number): Match[] {
  if (candidates.length === 0) return [];
  candidates.sort(
    (a, b) =>
      b.score - a.score ||
      (b.priority ?? 0) - (a.priority ?? 0) ||
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start,
  );
  const kept: Match[] = [];
  // few candidates: compare spans pairwise; many: mark taken characters (linear in the text)
  const taken = candidates.length > 32 ? new Uint8Array(length) : null;
  for (const c of candidates) {
    let free = true;
    if (taken) {
      for (let i = c.start; i < c.end; i++) {
        if (taken[i] !== 0) {
          free = false;
          break;
        }
      }
    } else {
      for (const k of kept) if (k.start < c.end && c.start < k.end) free = false;
    }
    if (!free) continue;
    taken?.fill(1, c.start, c.end);
    const m: Match = { type: c.type, start: c.start, end: c.end, score: c.score };
    if (c.rule) m.rule = c.rule;
    kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * Finds PII with patterns and validators only. Offsets are UTF-16 indices into `text`; scores are in [0, 1]
 * (checksum-validated with context ≈ 0.95, format only ≈ 0.4-0.6). `options.entities` restricts the types.
 */
export function detectPiiPatterns(text: string, options: DetectOptions = {}): Match[] {
  if (text.length === 0) return [];
  const entities = options.entities;
  const ctx = createScanContext(text);
  const hasDigit = /\d/.test(text);
  const candidates: Candidate[] = [];
  for (const r of PATTERN_RECOGNIZERS) {
    if (!wants(r, entities)) continue;
    if (NEEDS_DIGIT.has(r) && !hasDigit) continue;
    // without digits, dates can only be weekdays
    if (r === dateTimeRecognizer && !hasDigit && !/day/i.test(text)) continue;
    if (r.precheck && !r.precheck(text)) continue;
    r.find(ctx, candidates);
  }
  const filtered = entities ? candidates.filter((c) => entities.has(c.type)) : candidates;
  return resolveOverlaps(filtered, text.length);
}
