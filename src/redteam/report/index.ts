/**
 * Red-team reports: the run summary (`summarize`), its renderings (`writeReports`: summary.json,
 * report.md, report.html, junit.xml), the CI gate (`evaluateGate`), comparison of two runs
 * (`compareRuns`) and reading a run directory back (`loadRunDir`).
 */
export {
  type ChangeEntry,
  COMPARE_GATE_METRICS,
  COMPARED_METRICS,
  COMPARISON_SCHEMA,
  type ComparedMetric,
  type CompareOptions,
  type Comparison,
  compareRuns,
  comparisonMetricSource,
  evaluateCompareGate,
  type GroupComparison,
  type MetricComparison,
  type RunWithResults,
} from './compare.js';
export { renderComparisonMarkdown } from './compare-markdown.js';
export {
  evaluateGateOn,
  type GateClause,
  type GateClauseAst,
  type GateResult,
  type MetricSource,
  type MetricValue,
  parseGate,
} from './gate.js';
export { checkGate, evaluateGate, GATE_METRICS, GATE_SELECTORS, summaryMetricSource } from './gate-summary.js';
export { REDTEAM_REPORT_CSP, renderHtml } from './html.js';
export { renderJunit, stripIllegalXml, xmlText } from './junit.js';
export { renderMarkdown } from './markdown.js';
export type { ReportOptions } from './options.js';
export {
  ItemResultLineSchema,
  loadRunDir,
  parseResultsJsonl,
  type ReadOptions,
  type RunDir,
  readResultsJsonl,
} from './run-dir.js';
export { type SummarizeOptions, summarize } from './summarize.js';
export {
  type AttackCategoryStats,
  type AttackStats,
  type CategoryStats,
  REPORT_FORMATS,
  type ReportFormat,
  type RunMeta,
  type RunSummary,
  type RunUsage,
  type RunUsagePart,
  SUMMARY_SCHEMA,
} from './types.js';
export { parseFormats, REPORT_FILES, writeReports } from './write.js';
