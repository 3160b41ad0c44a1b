/**
 * Training-data poisoning analysis without a trained model (used by `lifeguard data scan`): triggers
 * (rare phrases tied to one response or label), inserted phrases, repeated responses and preference-pair
 * checks. Worker-side functions are pure; main-side accumulators have bounded memory. See `analyze.ts`
 * for how the passes fit together.
 */
export { type AnalyzeOptions, type AnalyzeResult, analyzePoisoning } from './analyze.js';
export { type GroupRecord, PromptNgramCollector } from './collector.js';
export { defaultCues, isHarmfulHeuristic, isRefusalHeuristic, type PoisonCues } from './cues.js';
export {
  type FinalizeInput,
  type FinalizeOptions,
  finalizePoisoning,
  type PoisoningResult,
  PoisonRecords,
  type PoisonRecordsOptions,
  redactExcerpt,
  SUSPECTED_TRIGGER_SCORE,
  toPoisoningReport,
} from './finalize.js';
export {
  type InsertedPair,
  InsertedPhraseCounter,
  type InsertedTrigger,
  InsertionPairIndex,
  insertedPhrase,
  insertionRange,
} from './inserted.js';
export {
  type CheckTargetSpec,
  type Matcher,
  type MatchPlan,
  type TriggerMatcher,
  type TriggerSpec,
  targetMatcher,
  triggerMatcher,
} from './matcher.js';
export {
  type GroupSummary,
  type MinedTrigger,
  type MineOptions,
  TriggerMiner,
  type TriggerMinerOptions,
} from './miner.js';
export {
  PreferenceAccumulator,
  type PreferenceAccumulatorOptions,
  type PreferenceSignals,
  preferenceSignals,
} from './preference.js';
export { llrZ, scoreTrigger, type TriggerEvidence } from './score.js';
export { DfSketch } from './sketch.js';
export {
  type CandidateOptions,
  TargetCounter,
  type TargetCounterOptions,
  type TargetGroup,
  type TargetGroups,
} from './target-counter.js';
export { normalizeText, type Tokenized, tokenize } from './text.js';
export { type PoisonView, type PoisonViewOptions, poisonView, promptKey, targetKey } from './view.js';
