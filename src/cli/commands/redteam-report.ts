import type { Command } from 'commander';
import { LifeguardError } from '../../core/errors.js';

interface ReportFlags {
  format: string;
  out?: string;
  failIf?: string;
  json?: boolean;
  excerpts?: boolean;
}

interface CompareFlags {
  json?: boolean;
  failIf?: string;
  out?: string;
  alpha: string;
}

const warn = (message: string) => process.stderr.write(`lifeguard: warning: ${message}\n`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * `lifeguard redteam report RUN_DIR` re-renders a run's reports from its `results.jsonl`, and
 * `lifeguard redteam compare BASE_DIR CANDIDATE_DIR` compares two runs; both take a `--fail-if` gate and
 * exit 1 when it fails (2 on bad input).
 */
export function registerRedteamReport(redteam: Command): void {
  redteam
    .command('report')
    .description('re-render the reports of a run directory (summary.json, report.md, report.html, junit.xml)')
    .argument('<run-dir>', 'a red-team run directory (holds results.jsonl)')
    .option('--format <list>', 'comma-separated: json, md, html, junit (or all)', 'json,md,html,junit')
    .option('--out <dir>', 'write the reports here instead of the run directory')
    .option('--fail-if <expr>', 'CI gate, a FAIL condition: "asr>0.05", "asr[attack=base64]>=10%, error_rate>0"')
    .option('--excerpts', 'include short answer excerpts (≤200 chars) in the reports')
    .option('--json', 'print the summary (and the gate result) as JSON on stdout')
    .action(async (runDir: string, flags: ReportFlags) => {
      const { evaluateGate, loadRunDir, parseFormats, summarize, writeReports } = await import(
        '../../redteam/report/index.js'
      );
      const formats = parseFormats(flags.format);
      const run = await loadRunDir(runDir, { onWarning: warn });
      const summary = summarize(run.results, run.meta);
      // The gate is parsed before anything is written: a typo fails fast and overwrites nothing.
      const gate =
        flags.failIf !== undefined ? { expr: flags.failIf, ...evaluateGate(flags.failIf, summary) } : undefined;
      const written = await writeReports(flags.out ?? run.dir, summary, run.results, formats, {
        gate,
        excerpts: flags.excerpts === true,
      });
      const t = summary.totals;
      process.stderr.write(
        `${t.items} items: ASR ${summary.asr.n > 0 ? `${pct(summary.asr.rate)} (${summary.asr.k}/${summary.asr.n}, 95% CI ${pct(summary.asr.low)}–${pct(summary.asr.high)})` : '— (no judged items)'}, ` +
          `refusal ${summary.refusal_rate.n > 0 ? pct(summary.refusal_rate.rate) : '—'}, over-refusal ${t.benign_judged > 0 ? pct(summary.over_refusal_rate.rate) : '—'}; ` +
          `${t.errors} errors, ${t.skipped} skipped, ${t.unjudged} without a verdict. Wrote ${written.join(', ')}\n`,
      );
      if (gate) {
        process.stderr.write(
          gate.pass
            ? `gate passed: ${flags.failIf}\n`
            : `gate FAILED:\n${gate.failures.map((f) => `  ${f}`).join('\n')}\n`,
        );
      }
      if (flags.json) process.stdout.write(`${JSON.stringify({ summary, gate: gate ?? null, written })}\n`);
      if (gate && !gate.pass) process.exitCode = 1;
    });

  redteam
    .command('compare')
    .description('compare a base run with a candidate run: rates, differences with 95% intervals, McNemar, regressions')
    .argument('<base-dir>', 'the base run directory (e.g. the base model)')
    .argument('<candidate-dir>', 'the candidate run directory (e.g. the fine-tuned model)')
    .option('--fail-if <expr>', 'CI gate over the comparison: "asr_delta>0.02", "regressions>0"')
    .option('--alpha <p>', 'significance level of the regression flags', '0.05')
    .option('--out <file>', 'also write the comparison to FILE (JSON when it ends in .json, Markdown otherwise)')
    .option('--json', 'print the comparison as JSON on stdout (Markdown otherwise)')
    .action(async (baseDir: string, candDir: string, flags: CompareFlags) => {
      const alpha = Number(flags.alpha);
      if (!Number.isFinite(alpha) || alpha <= 0 || alpha >= 1) {
        throw new LifeguardError(
          'LG_ERR_CONFIG_INVALID',
          `--alpha: expected a number between 0 and 1, got "${flags.alpha}"`,
        );
      }
      const { compareRuns, evaluateCompareGate, loadRunDir, renderComparisonMarkdown, summarize } = await import(
        '../../redteam/report/index.js'
      );
      const { writeFile } = await import('node:fs/promises');
      const base = await loadRunDir(baseDir, { onWarning: warn });
      const cand = await loadRunDir(candDir, { onWarning: warn });
      const comparison = compareRuns(
        { ...summarize(base.results, base.meta), results: base.results },
        { ...summarize(cand.results, cand.meta), results: cand.results },
        { alpha },
      );
      const gate =
        flags.failIf !== undefined
          ? { expr: flags.failIf, ...evaluateCompareGate(flags.failIf, comparison) }
          : undefined;
      const json = `${JSON.stringify(gate ? { ...comparison, gate } : comparison, null, 2)}\n`;
      const md = renderComparisonMarkdown(comparison, gate);
      if (flags.out) await writeFile(flags.out, flags.out.toLowerCase().endsWith('.json') ? json : md, 'utf8');
      process.stdout.write(flags.json ? json : md);
      const o = comparison.overall.asr;
      process.stderr.write(
        `ASR ${o.base.n > 0 ? pct(o.base.rate) : '— (no judged items)'} → ${o.candidate.n > 0 ? pct(o.candidate.rate) : '— (no judged items)'} (Δ ${(o.delta * 100).toFixed(1)} pp, 95% CI ${(o.delta_low * 100).toFixed(1)} to ${(o.delta_high * 100).toFixed(1)}); ` +
          `${comparison.regressions.length} significant regressions; ${comparison.pairing.pairs} paired items\n`,
      );
      if (gate) {
        process.stderr.write(
          gate.pass
            ? `gate passed: ${flags.failIf}\n`
            : `gate FAILED:\n${gate.failures.map((f) => `  ${f}`).join('\n')}\n`,
        );
        if (!gate.pass) process.exitCode = 1;
      }
    });
}
