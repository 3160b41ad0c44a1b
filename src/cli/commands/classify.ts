import type { Command } from 'commander';
import { LifeguardError } from '../../core/errors.js';
import { loadLocalClassifier } from '../../models/classify/local.js';
import { CLASSIFIER_TASKS, type ClassifierTask, type ClassifyResult } from '../../models/classify/types.js';
import { scoreFlag } from '../flags.js';
import { addInputOptions, type InputFlags, processInput } from '../options.js';

interface ClassifyFlags extends InputFlags {
  task: string;
  threshold?: number;
  models?: string;
}

/** The `--jsonl` output record (a documented contract): `{"id","score","label","categories"?,"partial"?,"span"?}`. */
export function classifyRecord(id: unknown, r: ClassifyResult): Record<string, unknown> {
  const out: Record<string, unknown> = { id, score: printedScore(r), label: r.label };
  if (r.task === 'harmful' || r.task === 'toxicity') out.categories = r.categories ?? [];
  if (r.task === 'refusal') out.partial = r.partial === true;
  if (r.span) out.span = r.span;
  return out;
}

/**
 * The score to four decimals, on the same side of the threshold as the label: rounded to the nearest, a score
 * just under the threshold could print at or over it beside `label: false` (0.28297 → 0.2830 at 0.283).
 */
function printedScore(r: ClassifyResult): number {
  const near = Math.round(r.score * 10_000) / 10_000;
  if (r.label === near >= r.threshold) return near;
  return (r.label ? Math.ceil(r.score * 10_000) : Math.floor(r.score * 10_000)) / 10_000;
}

export function parseTask(value: string): ClassifierTask {
  if (!(CLASSIFIER_TASKS as readonly string[]).includes(value)) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `unknown task "${value}"; valid tasks: ${CLASSIFIER_TASKS.join(', ')}`,
    );
  }
  return value as ClassifierTask;
}

export function registerClassify(program: Command): void {
  const cmd = program
    .command('classify')
    .description('score text with a trained classifier: injection, harmful, toxicity or refusal')
    .requiredOption('--task <task>', `one of ${CLASSIFIER_TASKS.join(', ')}`)
    .option('--threshold <p>', "override the model's operating point (0..1)", scoreFlag('--threshold'))
    .option('--models <dir>', 'folder of trained models (default: the ones shipped with Lifeguard)');
  addInputOptions(
    cmd,
    'input is JSON Lines ({"id", "text"}); output is {"id","score","label",…} per input line',
  ).action(async (file: string, flags: ClassifyFlags) => {
    const task = parseTask(flags.task);
    const classifier = loadLocalClassifier(task, { modelsDir: flags.models });
    const opts = { threshold: flags.threshold };
    await processInput(
      file,
      flags,
      (text) => {
        const r = classifier.classifySync(text, opts);
        const parts = [
          `${task}: ${r.label ? 'yes' : 'no'} (score ${r.score.toFixed(3)}, threshold ${r.threshold.toFixed(3)})`,
        ];
        if (r.categories?.length) parts.push(`categories: ${r.categories.join(', ')}`);
        if (r.partial) parts.push('partial refusal');
        if (r.span) parts.push(`worst window: ${r.span.start}-${r.span.end}`);
        return `${parts.join('; ')}\n`;
      },
      (rec) => classifyRecord(rec.id, classifier.classifySync(rec.text, opts)),
      // `--text-field msg.text` reads a nested field, as `data scan` does (it was "has no field").
      true,
    );
  });
}
