import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { jsonErrorMessage, LifeguardError } from '../../core/errors.js';
import { getPath } from '../../data/io/shapes.js';
import { evaluate, ROBUSTNESS_CONVERTERS, type RobustnessRow, robustness } from '../../models/classify/evaluate.js';
import { vectorsOf } from '../../models/classify/features.js';
import { loadLocalClassifier } from '../../models/classify/local.js';
import type { BinaryMetrics } from '../../models/classify/metrics.js';
import { renderModelCard } from '../../models/classify/model-card.js';
import { defaultModelsDir, type ModelMeta, readModelMeta, writeModel } from '../../models/classify/model-io.js';
import { loadRecipe } from '../../models/classify/recipe.js';
import { type LabelledText, resolveDataRoot } from '../../models/classify/sources.js';
import { loadDataset, type TrainReport, trainFromRecipe } from '../../models/classify/trainer.js';
import { CLASSIFIER_TASKS } from '../../models/classify/types.js';
import { compose } from '../../redteam/converters/index.js';
import { checkExistingDir, checkOutputDir, checkOutputFile, checkReadableFile, fieldFlag } from '../flags.js';
import { formatTable } from '../table.js';
import { parseTask } from './classify.js';

const f3 = (x: number | null) => (x === null ? '–' : x.toFixed(3));

function recipePath(task: string, explicit?: string): string {
  return explicit ?? join(defaultModelsDir(), task, 'recipe.yaml');
}

export function registerModels(program: Command): void {
  const models = program.command('models').description('train, evaluate and list our own classifiers');

  models
    .command('list')
    .description('the trained classifiers, their versions, sizes and operating points')
    .option('--models <dir>', 'folder of trained models')
    .option('--json', 'print JSON')
    .action((flags: { models?: string; json?: boolean }) => {
      if (flags.models !== undefined) checkExistingDir('--models', flags.models);
      const dir = flags.models ?? defaultModelsDir();
      const rows = CLASSIFIER_TASKS.filter((t) => existsSync(join(dir, t, 'model.json'))).map((t) => {
        // Read as `classify` reads it: a damaged model.json or a missing weights.bin is one LG_ERR_MODEL
        // line naming the file (it was a SyntaxError stack trace, or a TypeError on missing fields).
        const meta = readModelMeta(join(dir, t, 'model.json'));
        const weights = join(dir, t, 'weights.bin');
        if (!existsSync(weights) || !Array.isArray(meta.heads) || typeof meta.thresholds?.default !== 'number') {
          throw new LifeguardError(
            'LG_ERR_MODEL',
            `${join(dir, t)}: not a complete trained model (model.json with heads and thresholds, and weights.bin)`,
          );
        }
        return {
          task: t,
          version: meta.version,
          heads: meta.heads,
          bytes: statSync(weights).size,
          /** Pooled word vectors it reads (`models/word-vectors`, shared; not in `bytes`). */
          wordVectors: vectorsOf(meta.features) !== undefined,
          threshold: meta.thresholds.default,
          operatingPoint: meta.operatingPoint,
        };
      });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `${formatTable(
          ['task', 'version', 'heads', 'size', 'threshold'],
          rows.map((r) => [
            r.task,
            String(r.version),
            String(r.heads.length),
            `${(r.bytes / 1024).toFixed(0)} KB${r.wordVectors ? ' + word vectors' : ''}`,
            `${r.threshold.toFixed(3)} (${typeof r.operatingPoint === 'number' ? 'fixed' : r.operatingPoint})`,
          ]),
        )}\n`,
      );
    });

  models
    .command('train')
    .description(
      'train a classifier from its recipe (YAML) over the shared data; writes model.json, weights.bin, MODEL_CARD.md',
    )
    .argument('<task>', CLASSIFIER_TASKS.join(' | '))
    .option('--recipe <file>', 'recipe YAML (default: models/<task>/recipe.yaml)')
    .option('--data <dir>', 'data root the recipe paths are relative to (default: $LIFEGUARD_DATA or ../shared/data)')
    .option('--out <dir>', 'where to write the model (default: models/<task>)')
    .option('--no-loso', 'skip the leave-one-source-out generalisation runs')
    .action((taskArg: string, flags: { recipe?: string; data?: string; out?: string; loso: boolean }) => {
      const task = parseTask(taskArg);
      const file = recipePath(task, flags.recipe);
      checkReadableFile(file);
      const recipe = loadRecipe(file);
      if (recipe.task !== task) {
        throw new LifeguardError('LG_ERR_CONFIG_INVALID', `recipe is for task ${recipe.task}, not ${task}`);
      }
      const out = flags.out ?? join(defaultModelsDir(), task);
      checkModelOut(out, task, flags);
      const root = resolveDataRoot(flags.data);
      const t0 = performance.now();
      const result = trainFromRecipe(recipe, root, {
        leaveOneSourceOut: flags.loso,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      checkTrainingData(result.report);
      result.meta.metrics = result.report;
      writeModel(out, result.meta, result.weights);
      writeFileSync(
        join(out, 'MODEL_CARD.md'),
        renderModelCard(recipe, result.meta, result.report, result.weights.length),
      );
      const m = result.report.test.default;
      process.stderr.write(
        `trained ${task} v${recipe.version} in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${out}\n` +
          `test split: precision ${f3(m.precision)}, recall ${f3(m.recall)}, FPR ${f3(m.fpr)}, ROC-AUC ${f3(m.rocAuc)}\n`,
      );
    });

  models
    .command('eval')
    .description(
      'measure a trained classifier: precision, recall, F1, ROC-AUC, TPR at 1% FPR, per source; --robustness adds obfuscations',
    )
    .argument('<task>', CLASSIFIER_TASKS.join(' | '))
    .option('--input <file>', 'labelled JSONL to evaluate on instead of the recipe test split')
    .option('--text-field <name>', 'text field of --input', fieldFlag('--text-field'), 'text')
    .option('--label-field <name>', 'label field of --input (true/false or 1/0)', fieldFlag('--label-field'), 'label')
    .option(
      '--source-field <name>',
      'field of --input that names the source, for per-source rows',
      fieldFlag('--source-field'),
      'source',
    )
    .option('--recipe <file>', 'recipe whose test split to use (default: models/<task>/recipe.yaml)')
    .option('--data <dir>', 'data root for the recipe')
    .option('--models <dir>', 'folder of trained models')
    .option(
      '--robustness',
      `also apply obfuscations to positives (${ROBUSTNESS_CONVERTERS.join(', ')}) and report the drop`,
    )
    .option(
      '--converters <ids>',
      'with --robustness: these obfuscations instead, comma-separated red-team converter ids or chains (morse,rot13,leetspeak+base64)',
    )
    .option('--out <file>', 'write the full result as JSON')
    .option('--json', 'print JSON instead of tables')
    .action(async (taskArg: string, flags: EvalFlags) => {
      const task = parseTask(taskArg);
      if (flags.input !== undefined) checkReadableFile(flags.input);
      if (flags.out !== undefined) checkOutputFile('--out', flags.out);
      if (flags.converters !== undefined) {
        if (!flags.robustness) throw new LifeguardError('LG_ERR_INPUT_INVALID', '--converters needs --robustness');
        for (const id of robustnessConverters(flags)) compose(id); // unknown ids and garbling chains fail here
      }
      const classifier = loadLocalClassifier(task, { modelsDir: flags.models });
      const items = flags.input ? readLabelled(flags) : recipeTestSplit(task, flags);
      // Metrics over nothing print as 0.000 with status 0: a CI gate on them would pass on no data.
      if (items.length === 0) {
        throw new LifeguardError(
          'LG_ERR_INPUT_INVALID',
          flags.input ? `${flags.input} holds no labelled records` : `the recipe's test split is empty`,
        );
      }
      const run = await evaluate(classifier, items);
      const rob = flags.robustness ? await robustness(classifier, items, robustnessConverters(flags)) : undefined;
      const notes = evalNotes(run.overall, rob);
      const result = {
        task,
        model: classifier.id,
        threshold: classifier.threshold,
        n: items.length,
        ...run,
        robustness: rob,
        ...(notes.length > 0 ? { notes } : {}),
      };
      // Its folder is created, as for every other --out: a missing one failed only here, after the whole
      // evaluation, with a bare "no such file or folder".
      if (flags.out) {
        mkdirSync(dirname(resolve(flags.out)), { recursive: true });
        writeFileSync(flags.out, `${JSON.stringify(result, null, 2)}\n`);
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      // A rate over nothing is shown as '–', not 0.000 (no positives: recall and F1 are undefined; nothing
      // flagged: precision is), as FPR already was without negatives.
      const row = (name: string, m: BinaryMetrics) => [
        name,
        String(m.n),
        m.tp + m.fp ? f3(m.precision) : '–',
        m.positives ? f3(m.recall) : '–',
        m.positives ? f3(m.f1) : '–',
        m.negatives ? f3(m.fpr) : '–',
        f3(m.rocAuc),
        f3(m.tprAt1Fpr),
      ];
      process.stdout.write(
        `${formatTable(
          ['source', 'n', 'precision', 'recall', 'F1', 'FPR', 'ROC-AUC', 'TPR@1%FPR'],
          [row('overall', run.overall), ...run.perSource.map((s) => row(s.source, s.metrics))],
        )}\n`,
      );
      process.stdout.write(
        `latency per text: p50 ${run.latencyMs.p50.toFixed(3)} ms, p99 ${run.latencyMs.p99.toFixed(3)} ms\n`,
      );
      if (rob && rob.length > 0) {
        process.stdout.write('\n');
        process.stdout.write(
          `${formatTable(
            ['obfuscation', 'clean rate', 'obfuscated rate', 'retained'],
            rob.map((r) => [
              r.converter,
              f3(r.cleanRate),
              f3(r.obfuscatedRate),
              r.retained === null ? '–' : `${(r.retained * 100).toFixed(1)}%`,
            ]),
          )}\n`,
        );
      }
      for (const note of notes) process.stdout.write(`note: ${note}\n`);
    });
}

/** What the figures of a one-class or unflagged evaluation cannot say (JSON `notes`, and under the tables). */
function evalNotes(m: BinaryMetrics, rob: RobustnessRow[] | undefined): string[] {
  const notes: string[] = [];
  if (m.positives === 0)
    notes.push('no positive texts: recall, F1, ROC-AUC and TPR@1%FPR are undefined (recall and F1 read 0 in JSON)');
  if (m.negatives === 0)
    notes.push('no negative texts: FPR, ROC-AUC and TPR@1%FPR are undefined (FPR reads 0 in JSON)');
  if (rob !== undefined && m.positives === 0) notes.push('robustness: no positive texts to obfuscate, so no rows');
  else if (rob?.some((r) => r.retained === null))
    notes.push('robustness: no positive was flagged before obfuscation, so `retained` is undefined (null)');
  return notes;
}

interface EvalFlags {
  input?: string;
  textField: string;
  labelField: string;
  sourceField: string;
  recipe?: string;
  data?: string;
  models?: string;
  robustness?: boolean;
  converters?: string;
  out?: string;
  json?: boolean;
}

/** The obfuscations `--robustness` applies: `--converters`, else the suite's own. */
function robustnessConverters(flags: EvalFlags): readonly string[] {
  if (flags.converters === undefined) return ROBUSTNESS_CONVERTERS;
  const ids = flags.converters.split(',').map((id) => id.trim());
  if (ids.some((id) => id === '')) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `--converters: an empty id in "${flags.converters}"`);
  }
  return ids;
}

function recipeTestSplit(task: string, flags: EvalFlags): LabelledText[] {
  const file = recipePath(task, flags.recipe);
  checkReadableFile(file);
  const recipe = loadRecipe(file);
  const data = loadDataset(recipe, resolveDataRoot(flags.data));
  return data.items.filter((_, i) => data.split[i] === 'test');
}

const MODEL_FILES = ['model.json', 'weights.bin', 'MODEL_CARD.md'];
const CLASSIFIER_FORMATS = ['lifeguard-linear/1', 'lifeguard-embedding-bag/1', 'lifeguard-wide-deep/1'];

/**
 * Where `models train` may write. Refused: a file; a folder holding another model's files (`--out
 * models/pii-tagger` replaced the shipped PII tagger, `--out models/harmful` while training refusal the
 * harmful model); and `--recipe` without `--out`, which replaced the shipped `models/<task>` with the
 * weights of some other recipe. Retraining a task's own folder (the default) or naming it is allowed.
 */
function checkModelOut(out: string, task: string, flags: { recipe?: string; out?: string }): void {
  checkOutputDir('--out', out);
  const otherRecipe = flags.recipe !== undefined && resolve(flags.recipe) !== resolve(recipePath(task));
  if (otherRecipe && flags.out === undefined) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `--recipe without --out would replace the shipped model in ${out}; pass --out DIR (--out ${out} to replace it on purpose)`,
    );
  }
  const present = MODEL_FILES.filter((f) => existsSync(join(out, f)));
  if (present.length === 0) return;
  let meta: Partial<ModelMeta> | undefined;
  try {
    meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as Partial<ModelMeta>;
  } catch {
    meta = undefined;
  }
  if (meta && meta.task === task && CLASSIFIER_FORMATS.includes(String(meta.format))) return;
  const what = meta ? `a ${meta.task ?? String(meta.format)} model` : present.join(', ');
  throw new LifeguardError(
    'LG_ERR_CONFIG_INVALID',
    `--out ${out} already holds ${what}, not a ${task} classifier; choose another folder`,
  );
}

/**
 * A test split with one class only (tiny data) gives no metrics to trust: nothing is written. Empty sources and
 * one-class data are refused earlier, when the data is loaded (`loadDataset`).
 */
function checkTrainingData(report: TrainReport): void {
  const m = report.test.default;
  if (m.positives === 0 || m.negatives === 0) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `the test split has ${m.positives} positive and ${m.negatives} negative texts: a model needs both classes; check the sources' labels (nothing was written)`,
    );
  }
}

/** Labelled JSONL: every line must carry the text and a boolean-ish label; anything else is an error. */
function readLabelled(flags: EvalFlags): LabelledText[] {
  const file = flags.input as string;
  const items: LabelledText[] = [];
  readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (e) {
        throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}:${i + 1}: invalid JSON: ${jsonErrorMessage(e)}`);
      }
      // A `null` line was read as a record and crashed with a TypeError and a stack trace.
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}:${i + 1}: line is not a JSON object`);
      }
      const rec = parsed as Record<string, unknown>;
      // Dotted paths (`meta.label`) as `classify --text-field` and the data stage read them.
      const text = getPath(rec, flags.textField);
      const raw = getPath(rec, flags.labelField);
      if (typeof text !== 'string') {
        throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file}:${i + 1}: no string "${flags.textField}" field`);
      }
      const label = raw === true || raw === 1 || raw === '1' || raw === 'true';
      if (!label && !(raw === false || raw === 0 || raw === '0' || raw === 'false')) {
        throw new LifeguardError(
          'LG_ERR_INPUT_INVALID',
          `${file}:${i + 1}: "${flags.labelField}" must be true/false or 1/0`,
        );
      }
      const named = getPath(rec, flags.sourceField);
      const source = typeof named === 'string' ? named : 'input';
      items.push({ text, label, source, weight: 1, split: 'test' });
    });
  return items;
}
