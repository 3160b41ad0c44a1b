import { join } from 'node:path';
import { defineDetector } from '../../core/detector.js';
import type { Match } from '../../core/finding.js';
import { gazetteerDir, readGazetteerFile } from '../../models/tagger/gazetteer.js';
import { TAGGER_ENTITY_TYPES, tagPii } from '../../models/tagger/index.js';
import { dropCovered, trimOverlapping } from './merge.js';
import { detectPiiPatterns, PATTERN_ENTITY_TYPES } from './patterns/index.js';
import { proseOnly } from './prose.js';

export { detectPiiPatterns, PATTERN_ENTITY_TYPES } from './patterns/index.js';

/** A date or time names a number or a calendar word; an age or a ZIP code has digits. */
const DATE_WORD =
  /\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|today|tomorrow|yesterday|tonight|noon|midnight|morning|afternoon|evening|night|week|month|year|day|hour|minute|decade|century|spring|summer|autumn|fall|winter|christmas|easter)/i;
const DIGIT = /\d/;
/** An age is a number of years, with at most a unit: "34", "34 years old", "34-year-old", "34 y/o". */
const AGE_FORM = /^\d{1,3}(?:[- ]?(?:years?|yrs?|yo|y\/o|y\.o\.)(?:[- ](?:old|of age))?)?$/i;
/** A title that makes a lone initial or short all-caps token a name: "Mr. B", "Agent K". */
const TITLE_BEFORE =
  /(?:^|[^A-Za-z])(?:mr|mrs|ms|mx|miss|dr|prof|sir|madam|lady|lord|agent|officer|detective)\.?\s{1,3}$/i;
/** Longest ZIP or postal code the tagger may report ("99999-9999", "SW1A 1AA"). */
const MAX_ZIP = 10;

/** Letters, digits, `_` and letters beyond ASCII: what a span must not be glued to. */
function isWordChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 95 ||
    (c >= 0xc0 && c !== 0xd7 && c !== 0xf7)
  );
}

function bounded(text: string, m: Match): boolean {
  return (m.start === 0 || !isWordChar(text.charCodeAt(m.start - 1))) && !isWordChar(text.charCodeAt(m.end));
}

const LETTER = /\p{L}/u;

/**
 * A person's name has at least two letters, and a lone token of at most three capitals ("OK", "NO") is an
 * answer or an abbreviation; either may still be a name right after a title ("Mr. B"). Caseless scripts
 * (李明) have no capitals, so only the letter count applies to them.
 */
function plausiblePerson(text: string, m: Match): boolean {
  const span = text.slice(m.start, m.end);
  let letters = 0;
  let upper = false;
  let lower = false;
  let space = false;
  for (const ch of span) {
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\u00a0') space = true;
    else if (LETTER.test(ch)) {
      letters++;
      if (ch !== ch.toUpperCase()) lower = true;
      else if (ch !== ch.toLowerCase()) upper = true;
    }
  }
  const shortCaps = !space && letters <= 3 && upper && !lower;
  if (letters >= 2 && !shortCaps) return true;
  return letters >= 1 && TITLE_BEFORE.test(text.slice(Math.max(0, m.start - 14), m.start));
}

/** Drops tagger spans whose text cannot be of their type (the tagger once called `os.` in code a date). */
function plausible(text: string, m: Match): boolean {
  if (m.type === 'DATE_TIME') return DATE_WORD.test(text.slice(m.start, m.end));
  // the tagger reads a token, not its characters: "kV0xGD680u9R" alone looked like an age to it
  if (m.type === 'AGE') return m.end - m.start <= 24 && bounded(text, m) && AGE_FORM.test(text.slice(m.start, m.end));
  if (m.type === 'ZIP_CODE')
    return m.end - m.start <= MAX_ZIP && bounded(text, m) && DIGIT.test(text.slice(m.start, m.end));
  if (m.type === 'PERSON') return plausiblePerson(text, m);
  return true;
}

let places: ReadonlySet<string> | undefined;
/** Words that put a place after them: "in", "to", "from", "visited", "capital … is". */
const PLACE_BEFORE =
  /\b(?:in|to|from|at|near|via|across|around|visit(?:ed|ing)?|capital(?: of \p{Lu}\p{L}+)? is|flights? to|moved to|lives? in|born in|based in)\s+$/iu;

/**
 * A lone word the tagger calls a PERSON that is a city or a country, after words that point to a place ("The
 * capital of France is Paris", "flights to Austin"), is a LOCATION: calling it a person made the default output
 * policy redact the capital of France. "Call Jordan tomorrow" and "Paris Hilton" stay people.
 */
function placeNamedAsPerson(text: string, m: Match): Match {
  if (m.type !== 'PERSON') return m;
  const word = text.slice(m.start, m.end);
  if (!/^\p{Lu}[\p{L}'’-]+$/u.test(word)) return m;
  places ??= new Set(
    ['cities.txt', 'countries.txt'].flatMap((f) =>
      readGazetteerFile(join(gazetteerDir(), f)).map((w) => w.toLowerCase()),
    ),
  );
  // Only where the words before it point to a place: "Call Jordan tomorrow" keeps its person.
  if (!PLACE_BEFORE.test(text.slice(Math.max(0, m.start - 24), m.start))) return m;
  return places.has(word.toLowerCase()) ? { ...m, type: 'LOCATION' } : m;
}

/** Pattern types that are machine addresses: no name, place or organisation runs into them. */
const HARD_TYPES: ReadonlySet<string> = new Set(['EMAIL_ADDRESS', 'URL', 'DOMAIN_NAME', 'IP_ADDRESS']);

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
    const tagged = dropCovered(tagPii(proseOnly(text)), patterns);
    const hard = patterns.filter((m) => HARD_TYPES.has(m.type));
    const trimmed = hard.length === 0 ? tagged : trimOverlapping(text, tagged, hard);
    return [...patterns, ...trimmed.filter((m) => plausible(text, m)).map((m) => placeNamedAsPerson(text, m))];
  },
});
