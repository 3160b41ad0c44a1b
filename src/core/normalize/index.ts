import { canonicalize, deleet } from './canonical.js';
import { type DecodedSegment, decodeSegments } from './decode.js';
import { despace } from './despace.js';
import { MappedText } from './mapped-text.js';

export { canonicalize, deleet, foldHomoglyphs } from './canonical.js';
export { type DecodedSegment, type DecodeOptions, decodeSegments, type EncodingKind } from './decode.js';
export { despace } from './despace.js';
export { MappedText, MappedTextBuilder } from './mapped-text.js';
export { findMorseRuns, isMorseUnit, MORSE, type MorseRun, toMorse } from './morse.js';
export { findRot13, rot13 } from './rot13.js';
export { isInvisible } from './unicode.js';

/** Every view of one input that detectors read. Each maps back to the original text. */
export interface TextViews {
  original: MappedText;
  /** NFKC, invisibles removed, homoglyphs folded. */
  canonical: MappedText;
  /** Spaced-out runs collapsed (null when there are none). */
  despaced: MappedText | null;
  /** Readable base64 / hex / percent-encoded / tag-smuggled segments (hex and base64 also separated), decoded. */
  decoded: DecodedSegment[];
}

export interface NormalizeOptions {
  /** Look for and decode encoded segments (default true). */
  decode?: boolean;
  /** How many times to decode nested encodings (default 2). */
  decodeDepth?: number;
}

export function buildViews(text: string, options: NormalizeOptions = {}): TextViews {
  const original = MappedText.original(text);
  const canonical = canonicalize(original);
  return {
    original,
    canonical,
    despaced: despace(canonical),
    decoded:
      options.decode === false
        ? []
        : decodeSegments(canonical, options.decodeDepth ?? 2, { numeric: true, separated: true }),
  };
}

/**
 * One string for keyword and classifier features: canonical, de-spaced where spaced out, leetspeak
 * folded and lower-cased. Offsets are not kept; use `buildViews` when spans matter.
 */
export function normalizeForMatching(text: string): string {
  const canonical = canonicalize(MappedText.original(text));
  return deleet(despace(canonical, Number.POSITIVE_INFINITY) ?? canonical)
    .text.toLowerCase()
    .replace(/\s+/g, ' ');
}
