/**
 * The corpus stage (`lifeguard/data`): streaming readers and writers, the `data scan` pipeline and its
 * parts (dedup, quality rules, poisoning analysis), integrity manifests and canaries.
 */
export { type CanaryOptions, type CanaryRecord, insertCanaries } from './canary.js';
export {
  createSketcher,
  type DedupDecision,
  DedupIndex,
  type DedupIndexOptions,
  type DedupOptions,
  estimateSimilarity,
  type Sketcher,
} from './dedup/index.js';
export * from './integrity/index.js';
export * from './io/index.js';
export {
  type AnalyzeOptions,
  type AnalyzeResult,
  analyzePoisoning,
  insertedPhrase,
  type PoisonView,
  poisonView,
  SUSPECTED_TRIGGER_SCORE,
} from './poison/index.js';
export {
  type CompiledQualityOptions,
  checkQuality,
  compileQualityOptions,
  QUALITY_PRESETS,
  QUALITY_RULE_IDS,
  type QualityOptions,
  type QualityPreset,
  type QualityResult,
} from './quality.js';
export {
  DEFAULT_KEEP_TYPES,
  type FindingAction,
  resolveScanConfig,
  type ScanConfig,
  type ScanConfigInput,
  ScanConfigSchema,
  scanConfigJsonSchema,
} from './scan/config.js';
export { type ScanCorpusOptions, type ScanProgress, STATE_DIR, scanCorpus } from './scan/pipeline.js';
export type * from './scan/report-types.js';
