/** What every training-data generator shares: a seeded random source, its rows, and a pick from a list. */

/** A seeded random number generator in [0, 1) (`mulberry32` in synth.ts): the same seed, the same rows. */
export type Rand = () => number;
/** A generated row: `__value` (the text), `__label`, optional `__categories`. */
export type Row = Record<string, unknown>;

/** One element of `xs`, uniformly. */
export const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

/** True with probability `p`. */
export const chance = (rand: Rand, p: number): boolean => rand() < p;
