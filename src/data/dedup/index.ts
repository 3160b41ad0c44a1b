/**
 * Exact and near-duplicate detection for `lifeguard data scan`.
 *
 * Worker threads turn each record's text into a fixed-length sketch (`createSketcher(options).sketch`,
 * a plain transferable `Uint8Array` that can also be appended to a file); the main thread feeds the
 * sketches, in input order, to one `DedupIndex`, which answers unique / exact / near with the
 * representative's ordinal. Both sides must use the same `DedupOptions` (the index checks a fingerprint).
 *
 * ```ts
 * const sketcher = createSketcher();          // in each worker
 * const sketch = sketcher.sketch(record.text);
 * const index = new DedupIndex();             // on the main thread
 * const decision = index.add(recordOrdinal, sketch); // { kind: 'near', rep: 17, similarity: 0.86 }
 * ```
 */
export { BUCKET_CAP, type DedupDecision, DedupIndex, type DedupIndexOptions } from './dedup-index.js';
export { bandKey } from './hash.js';
export {
  DEDUP_DEFAULTS,
  DEDUP_LIMITS,
  type DedupOptions,
  optionsFingerprint,
  type ResolvedDedupOptions,
  resolveDedupOptions,
  SKETCH_VERSION,
} from './options.js';
export { promptsAlike, promptWordDifference, writePromptWords } from './prompt.js';
export {
  createSketcher,
  encodeSketch,
  estimateSimilarity,
  jaccardFromMatches,
  normalizeForDedup,
  readSketch,
  SKETCH_FLAG_EMPTY,
  SKETCH_FLAG_PROMPT,
  SKETCH_HEADER_BYTES,
  type Sketcher,
  type SketchView,
  sketchLength,
} from './sketch.js';
export { MAX_SLOTS } from './table.js';
