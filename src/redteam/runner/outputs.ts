import { join } from 'node:path';
import { applyOverrides } from '../judges/index.js';
import {
  evaluateGate,
  type GateResult,
  type ReportOptions,
  type RunMeta,
  type RunSummary,
  summarize,
  writeReports,
} from '../report/index.js';
import { writeAtomic } from '../report/write.js';
import type { HumanOverride, ItemResult } from '../types.js';

/** The report functions the runner calls (the report module's by default; tests may replace them). */
export interface ReportHooks {
  summarize: (results: ItemResult[], meta: RunMeta) => RunSummary;
  writeReports: (
    dir: string,
    summary: RunSummary,
    results: ItemResult[],
    formats: ('json' | 'md' | 'html' | 'junit')[],
    options?: ReportOptions,
  ) => Promise<string[]>;
  evaluateGate: (expr: string, summary: RunSummary) => GateResult;
  applyOverrides: (results: ItemResult[], overrides: HumanOverride[]) => ItemResult[];
}

const DEFAULT_HOOKS: ReportHooks = {
  summarize: (r, m) => summarize(r, m),
  writeReports: (d, s, r, f, o) => writeReports(d, s, r, f, o),
  evaluateGate: (e, s) => evaluateGate(e, s),
  applyOverrides,
};

/**
 * Writes a run's outputs: `results.jsonl` (one ItemResult per line, item order, overrides applied),
 * `meta.json`, and the reports; evaluates the gate when one is given.
 */
export async function writeOutputs(
  dir: string,
  raw: ItemResult[],
  meta: RunMeta,
  opts: {
    formats: ('json' | 'md' | 'html' | 'junit')[];
    failIf?: string;
    overrides?: HumanOverride[];
    hooks?: Partial<ReportHooks>;
  },
): Promise<{
  results: ItemResult[];
  summary: RunSummary;
  gate?: GateResult;
  files: string[];
}> {
  const h = { ...DEFAULT_HOOKS, ...opts.hooks };
  const results = opts.overrides && opts.overrides.length > 0 ? h.applyOverrides(raw, opts.overrides) : raw;
  const lines: string[] = [];
  for (const r of results) lines.push(JSON.stringify(r));
  const resultsPath = join(dir, 'results.jsonl');
  await writeAtomic(resultsPath, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  const metaPath = join(dir, 'meta.json');
  await writeAtomic(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  const summary = h.summarize(results, meta);
  // The gate is evaluated first so the reports show it (report.md's verdict, JUnit's gate suite), as
  // `redteam report --fail-if` does.
  const gate = opts.failIf ? h.evaluateGate(opts.failIf, summary) : undefined;
  const files = [
    join(dir, 'run.sqlite'),
    resultsPath,
    metaPath,
    ...(await h.writeReports(
      dir,
      summary,
      results,
      opts.formats,
      gate && opts.failIf ? { gate: { expr: opts.failIf, ...gate } } : {},
    )),
  ];
  return { results, summary, gate, files };
}
