/** A source of uniform numbers in [0, 1), such as `mulberry32(seed)` from core/random. */
export type Rng = () => number;

/**
 * A strategy that rewrites a prompt the way an attacker would obfuscate or wrap it. Deterministic: the
 * same text and the same random sequence give the same output, so a robustness run can be replayed.
 */
export interface Converter {
  /** Registry id, kebab-case (`base64`, `zero-width`); a composition is the ids joined by `+`. */
  readonly id: string;
  /** One line: what real-world attack this models. */
  readonly description: string;
  apply(text: string, rng: Rng): string;
}

/** Builds a converter; the one place converters are made, so every one has an id and a description. */
export function defineConverter(spec: Converter): Converter {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(spec.id)) {
    throw new Error(`Converter id "${spec.id}" must be kebab-case (lower-case letters, digits and dashes).`);
  }
  return Object.freeze({ id: spec.id, description: spec.description, apply: spec.apply });
}

/** A uniformly chosen element of a non-empty list. */
export function pick<T>(items: readonly T[], rng: Rng): T {
  return items[Math.min(items.length - 1, Math.floor(rng() * items.length))];
}

/**
 * Joins onto the character before it: combining marks, zero-width joiner, variation selectors, emoji skin tones,
 * tag characters (subdivision flags).
 */
const EXTEND = /^(?:\p{M}|\u200d|[\ufe00-\ufe0f]|[\u{1f3fb}-\u{1f3ff}]|[\u{e0020}-\u{e007f}]|[\u{e0100}-\u{e01ef}])$/u;
const REGIONAL_INDICATOR = /^[\u{1f1e6}-\u{1f1ff}]$/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

/**
 * The text as the characters a reader sees: a letter with its combining accents ("e" + U+0301), an emoji with
 * its skin tone, variation selector or ZWJ-joined parts ("👨‍👩‍👧"), a flag's two regional indicators, and
 * "\r\n" each stay one piece, so a converter that spaces or cuts the text never strands a mark or splits an
 * emoji. Never splits a surrogate pair. Linear, one pass (`Intl.Segmenter` took 17 s on 100,000 characters).
 */
export function visibleChars(text: string): string[] {
  const out: string[] = [];
  let joinNext = false; // after a ZWJ that follows an emoji, the next character is part of the same emoji
  let openFlag = false; // a regional indicator waiting for its pair
  for (const ch of text) {
    const last = out.length - 1;
    if (
      last >= 0 &&
      (joinNext || EXTEND.test(ch) || (ch === '\n' && out[last] === '\r') || (openFlag && REGIONAL_INDICATOR.test(ch)))
    ) {
      out[last] += ch;
      joinNext = ch === '\u200d' && PICTOGRAPHIC.test(out[last]);
      openFlag = false;
      continue;
    }
    out.push(ch);
    joinNext = false;
    openFlag = REGIONAL_INDICATOR.test(ch);
  }
  return out;
}
