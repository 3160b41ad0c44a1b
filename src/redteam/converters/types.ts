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
