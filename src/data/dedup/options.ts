import { LifeguardError } from '../../core/errors.js';
import { fmix32, murmurStep } from './hash.js';

/** Settings shared by the sketcher (worker side) and the index (main thread). */
export interface DedupOptions {
  /** Words per shingle (word n-gram size), 1–64. Default 2. */
  shingle?: number;
  /** LSH bands, 1–512. Default 20. */
  bands?: number;
  /** MinHash rows per band, 1–64 (`bands * rows` ≤ 4096 permutations). Default 5. */
  rows?: number;
  /** Estimated Jaccard similarity at or above which a candidate is a near duplicate, in (0, 1]. Default 0.7. */
  threshold?: number;
  /** Seed of the permutation family, an unsigned 32-bit integer. Default 1. */
  seed?: number;
  /**
   * Distinct words of the prompt part of multi-part records (prompt + response, chat, preference) kept
   * in the sketch, 0–255: the words with the smallest hashes (a bottom-k sketch; the whole word set of
   * a shorter prompt). 0 leaves prompts out. Default 24.
   */
  promptWords?: number;
  /**
   * Two multi-part records are near duplicates only when their prompt parts' word sets differ in at
   * most max(3, `promptDiff` × their mean size) words, in [0, 1]. Default 0.2. Index-side only, like
   * `threshold`.
   */
  promptDiff?: number;
}

/** Options with every default filled in. */
export type ResolvedDedupOptions = Readonly<Required<DedupOptions>>;

/**
 * The defaults, tuned on `scripts/eval-dedup.ts` (copies with 1–5 % of their words edited must be found,
 * texts sharing half their words must not):
 *
 * - `shingle: 2` — word bigrams. A copy with 5 % of its words edited keeps a bigram Jaccard near 0.8;
 *   with 5-word shingles it would fall near 0.6, and two such copies of one original near 0.45.
 * - `bands: 20, rows: 5` — 100 permutations. The LSH curve `1 − (1 − J⁵)²⁰` finds 97.5 % of pairs at
 *   J = 0.7 and 99.6 % at J = 0.75 (16 × 8 finds only 81 % at 0.75, which cost 3 points of recall on
 *   copy-vs-copy pairs), with a smaller signature (100 bytes per representative instead of 128).
 * - `threshold: 0.7` — between edited copies (≥ 0.75 for 5 % edits, ≈ 0.67 for two 5 %-edited copies of
 *   one original) and texts sharing a long template paragraph (≈ 0.35; the first false positive in the
 *   evaluation appears at 0.5).
 */
export const DEDUP_DEFAULTS: ResolvedDedupOptions = Object.freeze({
  shingle: 2,
  bands: 20,
  rows: 5,
  threshold: 0.7,
  seed: 1,
  promptWords: 24,
  promptDiff: 0.2,
});

/**
 * The accepted ranges, shared with the data-scan settings schema and flags so that a value is refused
 * there, up front, exactly when the index would refuse it.
 */
export const DEDUP_LIMITS = Object.freeze({
  shingle: [1, 64],
  bands: [1, 512],
  rows: [1, 64],
  /** `bands * rows` at most (MinHash permutations). */
  permutations: 4096,
  seed: [0, 0xffff_ffff],
  promptWords: [0, 255],
} as const);

// The last two are `DedupIndexOptions`; accepted here so one options object can serve both sides.
const KNOWN = new Set([
  'shingle',
  'bands',
  'rows',
  'threshold',
  'seed',
  'promptWords',
  'promptDiff',
  'expectedRepresentatives',
  'near',
]);

function invalid(message: string): LifeguardError {
  return new LifeguardError('LG_ERR_INPUT_INVALID', `dedup: ${message}`);
}

function integerIn(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`option "${name}" must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** Fill in defaults and validate; throws `LG_ERR_INPUT_INVALID` with the offending option named. */
export function resolveDedupOptions(options: DedupOptions = {}): ResolvedDedupOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) {
      throw invalid(
        `unknown option "${key}" (expected shingle, bands, rows, threshold, seed, promptWords or promptDiff)`,
      );
    }
  }
  const L = DEDUP_LIMITS;
  const shingle = integerIn('shingle', options.shingle ?? DEDUP_DEFAULTS.shingle, ...L.shingle);
  const bands = integerIn('bands', options.bands ?? DEDUP_DEFAULTS.bands, ...L.bands);
  const rows = integerIn('rows', options.rows ?? DEDUP_DEFAULTS.rows, ...L.rows);
  if (bands * rows > L.permutations) {
    throw invalid(`bands * rows must be at most ${L.permutations}, got ${bands * rows}`);
  }
  const threshold = options.threshold ?? DEDUP_DEFAULTS.threshold;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0 || threshold > 1) {
    throw invalid(`option "threshold" must be a number in (0, 1], got ${String(threshold)}`);
  }
  const seed = integerIn('seed', options.seed ?? DEDUP_DEFAULTS.seed, ...L.seed);
  const promptWords = integerIn('promptWords', options.promptWords ?? DEDUP_DEFAULTS.promptWords, ...L.promptWords);
  const promptDiff = options.promptDiff ?? DEDUP_DEFAULTS.promptDiff;
  if (typeof promptDiff !== 'number' || !Number.isFinite(promptDiff) || promptDiff < 0 || promptDiff > 1) {
    throw invalid(`option "promptDiff" must be a number in [0, 1], got ${String(promptDiff)}`);
  }
  return Object.freeze({ shingle, bands, rows, threshold, seed, promptWords, promptDiff });
}

/**
 * Sketch format version (byte 0 of every sketch). 2: with the prompt part's signature. 3: each character of
 * a script written without spaces (CJK, Thai, …) is a word of its own (exact hashes and shingles of such
 * texts changed). 4: each emoji is a word of its own too, and a multi-part record's exact hash includes where its
 * prompt part ends (exact hashes and shingles of such texts changed).
 */
export const SKETCH_VERSION = 4;

/**
 * 32-bit fingerprint of everything that shapes a sketch (format version, shingle, bands, rows, seed,
 * prompt words kept; not the thresholds). Stored in each sketch so an index refuses sketches made with other settings.
 */
export function optionsFingerprint(o: ResolvedDedupOptions): number {
  let h = murmurStep(0x6c67_6464, SKETCH_VERSION);
  h = murmurStep(h, o.shingle);
  h = murmurStep(h, o.bands);
  h = murmurStep(h, o.rows);
  h = murmurStep(h, o.seed | 0);
  h = murmurStep(h, o.promptWords);
  return fmix32(h ^ 24) >>> 0;
}
