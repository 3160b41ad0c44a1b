import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defaultModelsDir } from '../../models/classify/model-io.js';
import { loadRecipe } from '../../models/classify/recipe.js';
import { loadRecorded } from '../replay/readers.js';
import type { JudgePanel } from '../types.js';
import { agreement } from './stats.js';

/** One row of `lifeguard redteam judge-eval`: a judge against one labelled file. */
export interface JudgeEvalRow {
  /** `xstest`, `pyrit` or `jbb`. */
  source: string;
  /** Path relative to the data root. */
  file: string;
  model?: string;
  attack?: string;
  /** What the labels say: refusal (XSTest, PyRIT) or jailbroken (JailbreakBench). */
  label: 'refused' | 'jailbroken';
  n: number;
  accuracy: number;
  kappa: number | null;
  precision: number | null;
  recall: number | null;
  /** Rate of the label's positive class by the labels and by the judge, and the judge's error. */
  label_rate: number;
  judge_rate: number;
  rate_error: number;
  /** XSTest: refusal rate on the safe prompts (over-refusal), labels vs judge. */
  safe?: { n: number; label_rate: number; judge_rate: number; error: number };
  unsafe?: { n: number; label_rate: number; judge_rate: number; error: number };
  /** The judge (or a model it uses) was trained on this file: the figures are optimistic. */
  in_sample: boolean;
  /** Answers judged per second on this file. */
  items_per_second: number;
}

/** Data files the judges' models were trained on (relative to the data root), by judge id. */
export function trainingFiles(modelsDir = defaultModelsDir()): Record<string, Set<string>> {
  const refusal = new Set<string>();
  const recipe = join(modelsDir, 'refusal', 'recipe.yaml');
  if (existsSync(recipe)) {
    for (const s of loadRecipe(recipe).sources) {
      for (const p of s.path === undefined ? [] : Array.isArray(s.path) ? s.path : [s.path]) refusal.add(p);
    }
  }
  const jailbreak = new Set(refusal);
  const jj = join(modelsDir, 'jailbreak-judge', 'model.json');
  if (existsSync(jj)) {
    try {
      const m = JSON.parse(readFileSync(jj, 'utf8')) as { metrics?: { trainedOn?: unknown } };
      const t = m.metrics?.trainedOn;
      if (Array.isArray(t)) for (const p of t) if (typeof p === 'string') jailbreak.add(p);
    } catch {
      // an unreadable model file fails to load as a judge anyway
    }
  }
  return { 'refusal-classifier': refusal, 'jailbreak-classifier': jailbreak };
}

function filesUnder(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) return filesUnder(p, ext);
      return n.endsWith(ext) && !n.startsWith('attack-info') ? [p] : [];
    });
}

/** The labelled files judge-eval reads, by source. XSTest: one label file per model (the `gpteval` copy). */
export function evalSources(root: string): { source: string; file: string }[] {
  return [
    ...filesUnder(join(root, 'refusal', 'xstest'), '_gpteval.csv').map((file) => ({ source: 'xstest', file })),
    ...filesUnder(join(root, 'refusal', 'pyrit'), '.csv').map((file) => ({ source: 'pyrit', file })),
    ...filesUnder(join(root, 'redteam', 'jbb-artifacts'), '.json').map((file) => ({ source: 'jbb', file })),
  ];
}

/**
 * Measures a judge panel's agreement with the human / reference labels in the shared data: XSTest refusal
 * labels (three models), PyRIT refusal labels, JailbreakBench judge labels (jailbroken). A file is
 * `in_sample` when one of the panel's judges was trained on it.
 */
export async function evaluateJudge(
  panel: JudgePanel,
  root: string,
  options: { modelsDir?: string; onFile?: (file: string) => void } = {},
): Promise<JudgeEvalRow[]> {
  const trained = trainingFiles(options.modelsDir);
  const used = panel.judges.map((j) => trained[j.id]).filter((s): s is Set<string> => s !== undefined);
  const rows: JudgeEvalRow[] = [];
  for (const { source, file } of evalSources(root)) {
    options.onFile?.(file);
    const rel = relative(root, file);
    const rec = loadRecorded(file);
    const label = source === 'jbb' ? 'jailbroken' : 'refused';
    const preds: boolean[] = [];
    let ms = 0;
    let judged = 0;
    for (const it of rec.items) {
      if (it.response === null) {
        preds.push(false);
        continue;
      }
      const t0 = performance.now();
      const { final } = await panel.judge({ goal: it.goal, prompt: it.prompt, response: it.response });
      ms += performance.now() - t0;
      judged++;
      preds.push(final[label]);
    }
    const idx = rec.items.map((_, i) => i).filter((i) => rec.items[i].label?.[label] !== undefined);
    const a = agreement(idx.map((i) => ({ label: rec.items[i].label?.[label] === true, pred: preds[i] })));
    const row: JudgeEvalRow = {
      source,
      file: rel,
      label,
      n: a.n,
      accuracy: r4(a.accuracy),
      kappa: a.kappa === null ? null : r4(a.kappa),
      precision: a.precision === null ? null : r4(a.precision),
      recall: a.recall === null ? null : r4(a.recall),
      label_rate: r4(a.labelRate),
      judge_rate: r4(a.judgeRate),
      rate_error: r4(a.rateError),
      in_sample: used.some((s) => s.has(rel)),
      items_per_second: ms > 0 ? Math.round((judged / ms) * 1000) : 0,
    };
    if (rec.meta.model) row.model = rec.meta.model;
    if (rec.meta.attack) row.attack = rec.meta.attack;
    if (source === 'xstest') {
      for (const [k, benign] of [
        ['safe', true],
        ['unsafe', false],
      ] as const) {
        const sub = idx.filter((i) => (rec.items[i].goal.benign === true) === benign);
        const s = agreement(sub.map((i) => ({ label: rec.items[i].label?.refused === true, pred: preds[i] })));
        row[k] = { n: s.n, label_rate: r4(s.labelRate), judge_rate: r4(s.judgeRate), error: r4(s.rateError) };
      }
    }
    rows.push(row);
  }
  return rows;
}

const r4 = (x: number) => Number(x.toFixed(4));
