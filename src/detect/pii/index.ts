import { defineDetector } from '../../core/detector.js';
import type { Match } from '../../core/finding.js';
import { TAGGER_ENTITY_TYPES, tagPii } from '../../models/tagger/index.js';
import { dropCovered } from './merge.js';
import { detectPiiPatterns, PATTERN_ENTITY_TYPES } from './patterns/index.js';
import { proseOnly } from './prose.js';

export { detectPiiPatterns, PATTERN_ENTITY_TYPES } from './patterns/index.js';

/** A date or time names a number or a calendar word; an age or a ZIP code has digits. */
const DATE_WORD =
  /\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|today|tomorrow|yesterday|tonight|noon|midnight|morning|afternoon|evening|night|week|month|year|day|hour|minute|decade|century|spring|summer|autumn|fall|winter|christmas|easter)/i;
const DIGIT = /\d/;

/** Drops tagger spans whose text cannot be of their type (the tagger once called `os.` in code a date). */
function plausible(text: string, m: Match): boolean {
  if (m.type === 'DATE_TIME') return DATE_WORD.test(text.slice(m.start, m.end));
  if (m.type === 'AGE' || m.type === 'ZIP_CODE') return DIGIT.test(text.slice(m.start, m.end));
  return true;
}

/**
 * Personal data: validated patterns (emails, phones, cards, IBANs, national ids, …) plus our trained
 * sequence tagger for names, organisations, addresses, locations, titles and contextual dates/ages/zips.
 * Where both claim the same characters, the validated pattern wins. `fast` skips the tagger.
 */
export const piiDetector = defineDetector({
  id: 'pii',
  description: 'personal data (Presidio entity names): patterns with checksums and context, plus a trained tagger',
  risk: 'privacy.pii',
  entityTypes: [...new Set([...PATTERN_ENTITY_TYPES, ...TAGGER_ENTITY_TYPES])].sort(),
  detect(text, options): Match[] {
    const patterns = detectPiiPatterns(text, options);
    // The tagger needs sentence context; decoded fragments and de-spaced runs are left to the patterns.
    if (options.fast || (options.view && options.view !== 'canonical')) return patterns;
    const tagged = tagPii(proseOnly(text)).filter((m) => plausible(text, m));
    return [...patterns, ...dropCovered(tagged, patterns)];
  },
});
