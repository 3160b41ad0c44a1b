import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { readYamlFile } from '../../core/config.js';
import { LifeguardError } from '../../core/errors.js';
import { formatTable } from '../table.js';

/**
 * `lifeguard redteam replay FILE…` judges recorded answers offline (JailbreakBench artifacts, XSTest
 * completions, prompt/response CSV or JSONL); `lifeguard redteam judge-eval` measures a judge against the
 * labelled data in ../shared/data.
 */
export function registerRedteamReplay(redteam: Command): void {
  redteam
    .command('replay')
    .description('judge a recorded file (JailbreakBench artifact, XSTest completions CSV, CSV or JSONL) offline')
    .argument('<files...>', 'recorded files, or folders of them')
    .option(
      '--judge <ids>',
      'judge id, or a comma list for an ensemble (default: jailbreak-classifier; XSTest/CSV: refusal-classifier)',
    )
    .option('--combine <mode>', 'how a comma list of judges decides: split, mean, majority, any, all', 'split')
    .option(
      '--judges-config <file>',
      'YAML judge config (the `judges` section of a red-team config), e.g. for an llm judge',
    )
    .option(
      '--json',
      'print JSON: {n, asr, refusal_rate, items: [{index, jailbroken, refused}], …} (an array for several files)',
    )
    .action(async (files: string[], flags: ReplayFlags) => {
      const { loadRecorded } = await import('../../redteam/replay/readers.js');
      const { judgeRecorded } = await import('../../redteam/replay/judge.js');
      const paths = expand(files);
      const out: (Summary | { file: string; error: string; code: string })[] = [];
      const panels = new Map<string, Awaited<ReturnType<typeof makePanel>>>();
      const single = paths.length === 1 && files.length === 1 && !statSync(files[0]).isDirectory();
      for (const path of paths) {
        let rec: ReturnType<typeof loadRecorded>;
        try {
          rec = loadRecorded(path);
        } catch (e) {
          // One damaged file of several: say so, and keep the other files' results.
          if (single || !LifeguardError.isInstance(e)) throw e;
          process.stderr.write(`lifeguard: ${e.message} [${e.code}]\n`);
          out.push({ file: path, error: e.message, code: e.code });
          process.exitCode = 2;
          continue;
        }
        const ids =
          flags.judge ??
          (rec.meta.format === 'xstest' || rec.meta.format === 'csv' ? 'refusal-classifier' : 'jailbreak-classifier');
        const key = flags.judgesConfig ?? `${ids}|${flags.combine}`;
        let made = panels.get(key);
        if (!made) {
          made = await makePanel(ids, flags);
          panels.set(key, made);
          for (const w of made.panel.warnings) process.stderr.write(`lifeguard: warning: ${w}\n`);
        }
        const { summary } = await judgeRecorded(rec, made.panel, made.name);
        out.push(summary);
        if (!flags.json) process.stdout.write(`${renderReplay(summary)}\n`);
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(single ? out[0] : out)}\n`);
      } else if (out.length > 1) {
        const judged = out.filter((o): o is Summary => !('error' in o));
        if (judged.length > 1) process.stdout.write(`${renderSummaryTable(judged)}\n`);
      }
    });

  redteam
    .command('judge-eval')
    .description("measure a judge's agreement with XSTest / PyRIT refusal labels and JailbreakBench judge labels")
    .option('--judge <ids>', 'judge id, or a comma list for an ensemble', 'jailbreak-classifier,refusal-classifier')
    .option('--combine <mode>', 'how a comma list of judges decides: split, mean, majority, any, all', 'split')
    .option('--judges-config <file>', 'YAML judge config (the `judges` section of a red-team config)')
    .option('--data <dir>', 'shared data root (default: $LIFEGUARD_DATA or ../shared/data)')
    .option('--json', 'print JSON rows')
    .action(async (flags: ReplayFlags & { data?: string }) => {
      const { resolveDataRoot } = await import('../../models/classify/sources.js');
      const { evaluateJudge } = await import('../../redteam/judges/eval.js');
      const root = resolveDataRoot(flags.data);
      const { panel, name } = await makePanel(flags.judge ?? 'jailbreak-classifier,refusal-classifier', flags);
      for (const w of panel.warnings) process.stderr.write(`lifeguard: warning: ${w}\n`);
      const rows = await evaluateJudge(panel, root, {
        onFile: (f) => process.stderr.write(`judging ${relative(root, f)}\n`),
      });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ judge: name, data: root, rows })}\n`);
        return;
      }
      const f = (x: number | null) => (x === null ? '–' : x.toFixed(3));
      const s = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);
      process.stdout.write(`judge: ${name}\n`);
      process.stdout.write(
        `${formatTable(
          [
            'source',
            'file',
            'label',
            'n',
            'acc',
            'kappa',
            'prec',
            'recall',
            'rate',
            'judge',
            'err',
            'safe err',
            'in-sample',
          ],
          rows.map((r) => [
            r.source,
            r.file.replace(/^(redteam\/jbb-artifacts|refusal\/xstest|refusal\/pyrit)\//, ''),
            r.label,
            String(r.n),
            f(r.accuracy),
            f(r.kappa),
            f(r.precision),
            f(r.recall),
            r.label_rate.toFixed(3),
            r.judge_rate.toFixed(3),
            s(r.rate_error),
            r.safe ? s(r.safe.error) : '',
            r.in_sample ? 'yes' : 'no',
          ]),
        )}\n`,
      );
    });
}

interface ReplayFlags {
  judge?: string;
  combine: string;
  judgesConfig?: string;
  json?: boolean;
}

/** Files to replay: each argument, or the recorded files under a folder (attack-info.json and others skipped). */
function expand(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (!existsSync(a)) throw new LifeguardError('LG_ERR_INPUT_INVALID', `${a}: no such file or folder`);
    if (statSync(a).isDirectory()) out.push(...walk(a));
    else out.push(a);
  }
  if (out.length === 0)
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `no recorded files (.json, .csv, .jsonl) in ${args.join(', ')}`);
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) return walk(p);
      const l = n.toLowerCase();
      if (l.startsWith('attack-info') || l === 'package.json') return [];
      return l.endsWith('.json') || l.endsWith('.csv') || l.endsWith('.jsonl') ? [p] : [];
    });
}

async function makePanel(ids: string, flags: ReplayFlags) {
  const { buildJudgePanel } = await import('../../redteam/judges/panel.js');
  const config = flags.judgesConfig
    ? judgesSection(readYamlFile(flags.judgesConfig))
    : {
        judges: ids
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        combine: flags.combine,
      };
  const panel = await buildJudgePanel(config as never, { createTarget: await targetFactory(config) });
  const name = panel.judges.length === 1 ? panel.judges[0].id : `ensemble(${panel.judges.map((j) => j.id).join(',')})`;
  return { panel, name };
}

/**
 * The `judges` section of a judge config file: the file may be that section (`judges:` a list) or a whole
 * red-team config (`judges:` an object beside `target` and `goals`), which was refused as unknown keys.
 */
function judgesSection(raw: unknown): unknown {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const judges = (raw as { judges?: unknown }).judges;
    if (judges && typeof judges === 'object' && !Array.isArray(judges)) return judges;
  }
  return raw;
}

type Target = import('../../redteam/types.js').Target;

/** The target factory of `src/redteam/targets`, loaded only when an llm judge is configured. */
async function targetFactory(config: unknown): Promise<(spec: unknown) => Target> {
  const noTargets = (): Target => {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', 'llm judge: the targets module is not available in this build');
  };
  if (!JSON.stringify(config ?? null).includes('"llm"')) return noTargets;
  try {
    const specifier = '../../redteam/targets/index.js';
    const mod = (await import(specifier)) as { createTarget(spec: unknown): Target };
    return (spec) => mod.createTarget(spec);
  } catch {
    return noTargets;
  }
}

type Summary = import('../../redteam/replay/judge.js').ReplaySummary;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function renderReplay(s: Summary): string {
  const lines = [
    `${s.file ?? ''}  [${s.format}${s.model ? ` · ${s.model}` : ''}${s.attack ? ` · ${s.attack}` : ''}]  judge: ${s.judge}`,
  ];
  const rows: string[][] = [
    ['items', String(s.n) + (s.no_response ? ` (${s.no_response} without an answer)` : '')],
    ['attack success rate', `${pct(s.asr)}  (95% CI ${pct(s.asr_ci95[0])}–${pct(s.asr_ci95[1])})`],
  ];
  if (s.published_asr !== undefined) {
    const e = s.asr_error;
    const ours = e === null || e === undefined ? '–' : `${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)} pts`;
    rows.push(['published ASR', `${pct(s.published_asr)}  (ours ${ours})`]);
  }
  rows.push(['refusal rate', pct(s.refusal_rate)]);
  if (s.safe)
    rows.push([
      'refusal on safe prompts',
      `${pct(s.safe.refusal_rate)}${s.safe.label_refusal_rate !== undefined ? `  (labels ${pct(s.safe.label_refusal_rate)})` : ''}  n=${s.safe.n}`,
    ]);
  if (s.unsafe)
    rows.push([
      'refusal on unsafe prompts',
      `${pct(s.unsafe.refusal_rate)}${s.unsafe.label_refusal_rate !== undefined ? `  (labels ${pct(s.unsafe.label_refusal_rate)})` : ''}  n=${s.unsafe.n}`,
    ]);
  if (s.label_agreement) {
    const a = s.label_agreement;
    rows.push([
      `agreement with labels (${a.label})`,
      `${pct(a.accuracy)}  kappa ${a.kappa === null ? '–' : a.kappa.toFixed(3)}  n=${a.n}`,
    ]);
  }
  if (s.fallback_verdicts > 0) rows.push(['fallback verdicts', String(s.fallback_verdicts)]);
  rows.push(['judge speed', `${s.items_per_second} answers/s`]);
  lines.push(formatTable(['metric', 'value'], rows));
  return lines.join('\n');
}

function renderSummaryTable(all: Summary[]): string {
  return formatTable(
    ['file', 'n', 'ASR', 'published', 'refusal', 'safe refusal', 'agreement'],
    all.map((s) => [
      s.file ?? '',
      String(s.n),
      s.asr.toFixed(3),
      s.published_asr === undefined ? '' : s.published_asr.toFixed(3),
      s.refusal_rate.toFixed(3),
      s.safe ? s.safe.refusal_rate.toFixed(3) : '',
      s.label_agreement ? s.label_agreement.accuracy.toFixed(3) : '',
    ]),
  );
}
