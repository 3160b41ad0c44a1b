/**
 * Red-team metrics: Wilson intervals, Newcombe differences, McNemar's exact test, Cohen's kappa, and the
 * counting rules that turn `ItemResult`s into attack success, refusal and over-refusal rates.
 */
export {
  categoryOf,
  type GroupStats,
  groupBy,
  groupStats,
  type ItemOutcome,
  isBenign,
  itemOutcome,
  type JudgeAgreement,
  type JudgePairAgreement,
  type JudgeStats,
  judgeAgreement,
  NO_CATEGORY,
  type TurnStats,
  type UsageTotals,
  usageTotals,
} from './compute.js';
export {
  cohenKappa,
  type DifferenceInterval,
  type Interval,
  type LabelAgreement,
  type McNemar,
  mcnemarExact,
  newcombe,
  wilson,
} from './stats.js';
