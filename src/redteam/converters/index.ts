import { LifeguardError } from '../../core/errors.js';
import { mulberry32 } from '../../core/random.js';
import { caseNoise, charSpacing, homoglyph, leetspeak, zeroWidth } from './characters.js';
import { base64, morseConverter, rot13Converter } from './encoding.js';
import { pastTense, payloadSplit, prefixInjection, refusalSuppression, translationFrame } from './framing.js';
import type { Converter, Rng } from './types.js';

export {
  caseNoise,
  charSpacing,
  HOMOGLYPHS,
  homoglyph,
  LEET_DIGITS,
  leetspeak,
  ZERO_WIDTH,
  zeroWidth,
} from './characters.js';
export {
  BASE64_INSTRUCTIONS,
  base64,
  MORSE_INSTRUCTIONS,
  morseConverter,
  ROT13_INSTRUCTIONS,
  rot13,
  rot13Converter,
} from './encoding.js';
export {
  AFFIRMATIVE_PREFIX,
  PAST_TENSE_TEMPLATES,
  PREFIX_INJECTION_TEMPLATES,
  pastTense,
  payloadSplit,
  prefixInjection,
  REFUSAL_SUPPRESSION_PREFIXES,
  refusalSuppression,
  TRANSLATION_TEMPLATES,
  translationFrame,
} from './framing.js';
export { type Converter, defineConverter, pick, type Rng, visibleChars } from './types.js';

/** Every built-in converter with its default settings, in a stable order. */
export const CONVERTERS: readonly Converter[] = Object.freeze([
  charSpacing(),
  homoglyph(),
  zeroWidth(),
  leetspeak(),
  caseNoise(),
  base64(),
  rot13Converter(),
  morseConverter(),
  translationFrame(),
  payloadSplit(),
  refusalSuppression(),
  prefixInjection(),
  pastTense(),
]);

const BY_ID: ReadonlyMap<string, Converter> = new Map(CONVERTERS.map((c) => [c.id, c]));

/** The ids of the built-in converters. */
export function converterIds(): string[] {
  return CONVERTERS.map((c) => c.id);
}

/** The built-in converter with this id; an unknown id is an error that lists the valid ones. */
export function getConverter(id: string): Converter {
  const found = BY_ID.get(id);
  if (!found) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `Unknown converter "${id}". Valid converters: ${converterIds().join(', ')}; chain them with "+" (e.g. "leetspeak+base64").`,
    );
  }
  return found;
}

/**
 * Converters that, applied after an encoding, rewrite the encoded text so that decoding it no longer gives
 * the prompt: base64 is case-sensitive and has an exact alphabet (leetspeak's digits, random case and
 * Cyrillic look-alikes decode to other bytes, and Morse has no case); ROT13 turns only ASCII letters back
 * (leetspeak's digits and look-alikes stay what they are); Morse groups split by spacing read as other letters.
 */
const CORRUPTS_ENCODING: ReadonlyMap<string, readonly string[]> = new Map([
  // Morse lower-cases the base64 it encodes: "base64+morse" was accepted and sent base64 that decodes to noise
  ['base64', ['leetspeak', 'case-noise', 'homoglyph', 'morse']],
  ['rot13', ['leetspeak', 'homoglyph']],
  // Morse is dots, dashes and spaces: spacing splits its groups. Leetspeak and look-alikes change letters only,
  // so after Morse they reach the instruction and leave the code as it is ("morse+leetspeak" was refused, and
  // "morse+homoglyph" was told to use "homoglyph+morse", which is refused too).
  ['morse', ['char-spacing']],
]);

/**
 * A chain like `base64+leetspeak` sends a prompt that no longer carries the goal (the target decodes
 * garbage, and its answer would be judged as if it had refused the goal): a config error saying what to do.
 */
function checkLossless(ids: readonly string[]): void {
  ids.forEach((encoding, i) => {
    // Morse has codes for Latin letters, digits and punctuation only: look-alike letters before it are dropped
    if (encoding === 'morse' && ids.slice(0, i).includes('homoglyph')) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `converter chain "${ids.join('+')}": morse has no codes for homoglyph's look-alike letters, which would be dropped; put homoglyph after morse ("morse+homoglyph", where it changes only the instruction) or leave it out`,
      );
    }
    // a Map: a custom converter with the kebab-case id "constructor" read Object's constructor from a plain object
    const bad = CORRUPTS_ENCODING.get(encoding);
    if (!bad) return;
    const later = ids.slice(i + 1).find((id) => bad.includes(id));
    if (later === undefined) return;
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `converter chain "${ids.join('+')}": ${later} after ${encoding} rewrites the encoded text, so decoding it no longer gives the prompt; put ${later} before ${encoding} ("${later}+${encoding}")`,
    );
  });
}

/** The converter ids of a `"a+b"` chain, in order, each trimmed (`"leetspeak + base64"` is `leetspeak+base64`). */
export function chainSteps(chain: string): string[] {
  return chain.split('+').map((s) => s.trim());
}

/**
 * One converter that applies several in order, sharing the random sequence: `compose(['leetspeak',
 * 'base64'])` leetspeaks the prompt, then base64-encodes the result. Accepts ids, converters, or a
 * `"a+b"` string; its id is the ids joined by `+`.
 */
export function compose(steps: string | ReadonlyArray<string | Converter>): Converter {
  const list = typeof steps === 'string' ? chainSteps(steps) : steps;
  const converters = list.map((s) => (typeof s === 'string' ? getConverter(s) : s));
  if (converters.length === 0) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `compose() needs at least one converter: ${converterIds().join(', ')}.`,
    );
  }
  if (converters.length === 1) return converters[0];
  checkLossless(converters.map((c) => c.id));
  const id = converters.map((c) => c.id).join('+');
  return Object.freeze({
    id,
    description: converters.map((c) => c.description).join(' Then: '),
    apply: (text: string, rng: Rng) => converters.reduce((t, c) => c.apply(t, rng), text),
  });
}

/** Applies a converter (or a `+` chain of ids) with a fresh seeded generator: same seed, same output. */
export function convert(
  text: string,
  converter: string | Converter | ReadonlyArray<string | Converter>,
  seed = 0,
): string {
  const c = typeof converter === 'object' && !Array.isArray(converter) ? (converter as Converter) : compose(converter);
  return c.apply(text, mulberry32(seed));
}
