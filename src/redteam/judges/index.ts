/**
 * Judges: decide whether an answer refused, and whether it complied with a harmful goal. One class per
 * judge, all implementing `Judge` (types.ts); `buildJudgePanel` builds the configured set and combines
 * their verdicts. To add a judge: implement `Judge`, add its id to `JUDGE_IDS` and a spec to
 * `JudgeSpecSchema`, and a case to `buildJudgePanel`.
 */
export { JailbreakClassifierJudge, type JailbreakJudgeOptions } from './jailbreak/index.js';
export { KeywordsJudge, refusalPhrase } from './keywords.js';
export {
  LlmJudge,
  type LlmJudgeOptions,
  type LlmJudgeStyle,
  type ParsedRubric,
  parseRubric,
  parseSafeUnsafe,
  rubricScore,
} from './llm.js';
export {
  applyOverrides,
  buildJudgePanel,
  COMBINE_MODES,
  type CombineMode,
  JUDGE_IDS,
  type JudgeConfig,
  type JudgeConfigInput,
  JudgeConfigSchema,
  type JudgeDeps,
  type JudgeId,
  type JudgeSpec,
  JudgeSpecSchema,
  Panel,
} from './panel.js';
export { RefusalClassifierJudge, type RefusalJudgeOptions } from './refusal.js';
