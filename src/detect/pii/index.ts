import { defineDetector } from '../../core/detector.js';
import type { Match } from '../../core/finding.js';
import { TAGGER_ENTITY_TYPES, tagPii } from '../../models/tagger/index.js';
import { dropCovered } from './merge.js';
import { detectPiiPatterns, PATTERN_ENTITY_TYPES } from './patterns/index.js';
import { proseOnly } from './prose.js';

export { detectPiiPatterns, PATTERN_ENTITY_TYPES } from './patterns/index.js';

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
    const tagged = tagPii(proseOnly(text));
    return [...patterns, ...dropCovered(tagged, patterns)];
  },
});
