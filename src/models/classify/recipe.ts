import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LifeguardError } from '../../core/errors.js';
import { SIGNALS } from './signals.js';
import { CLASSIFIER_TASKS } from './types.js';

/** One data source of a recipe: a file read by a generic loader, or a built-in generator. */
export const SourceSchema = z
  .object({
    /** Name used in per-source metrics. */
    id: z.string().min(1),
    /** Path(s) relative to the data root. */
    path: z.union([z.string(), z.array(z.string())]).optional(),
    format: z.enum(['jsonl', 'csv', 'json', 'lines']).optional(),
    /** JSON files: dotted path to an array of records (rows with fields) instead of every string leaf. */
    records: z.string().optional(),
    /** Field holding the text; dotted paths (`turns.0.content`) reach into nested values. */
    text: z.string().default('text'),
    /** A fixed label for every record… */
    label: z.boolean().optional(),
    /** …or a field whose value decides it. */
    labelField: z.string().optional(),
    /** Positive when any of these 0/1 columns is set. */
    labelColumns: z.array(z.string()).optional(),
    /** Values of `labelField` that mean positive (compared as strings). */
    positive: z.array(z.union([z.string(), z.number()])).optional(),
    /** Values of `labelField` that mark a partial refusal (refusal task; counts as positive too). */
    partial: z.array(z.union([z.string(), z.number()])).optional(),
    /** Keep only records whose field value (as a string) starts with one of these prefixes. */
    filter: z.object({ field: z.string(), prefixes: z.array(z.string()) }).optional(),
    /** Category labels for every record of this source (e.g. `["S2"]`). */
    categories: z.array(z.string()).optional(),
    /** Field holding the record's own category (string or array) and how its values map to ours. */
    categoryField: z.string().optional(),
    categoryMap: z.record(z.string(), z.array(z.string())).optional(),
    /** Category values read from boolean/0-1 columns: column → our categories when the column is set. */
    categoryColumns: z.record(z.string(), z.array(z.string())).optional(),
    /** Built-in generator instead of a file (see `synth.ts`). */
    generator: z.string().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    weight: z.number().positive().default(1),
    /** `auto` splits by a hash of the text; `train`/`test` puts the whole source there. */
    split: z.enum(['auto', 'train', 'test']).default('auto'),
    /** Keep at most this many records (the first ones after a seeded shuffle). */
    limit: z.number().int().positive().optional(),
    /** Shortest text kept, in characters. */
    minChars: z.number().int().nonnegative().default(3),
    /**
     * `false`: this source's calibration negatives do not set the operating-point thresholds (they still
     * fit the calibration). For generated negatives that are easier than real traffic, which would
     * otherwise pull the `fpr1`/`fpr5` thresholds down.
     */
    thresholds: z.boolean().default(true),
  })
  .strict();
export type SourceSpec = z.infer<typeof SourceSchema>;

export const RecipeSchema = z
  .object({
    task: z.enum(CLASSIFIER_TASKS),
    /** Bumped when the recipe changes what the model means; written into the model. */
    version: z.number().int().positive(),
    seed: z.number().int().default(1),
    description: z.string().optional(),
    /** Category heads trained besides the main label. */
    categories: z.array(z.string()).default([]),
    /** Categories that also make the main label positive (e.g. a hazard code implies harmful). */
    features: z
      .object({
        bits: z.number().int().min(12).max(20).default(18),
        wordNgrams: z.array(z.number().int().min(1).max(3)).default([1, 2]),
        charNgrams: z.tuple([z.number().int().min(1), z.number().int().max(6)]).default([3, 5]),
        charWeight: z.number().positive().default(0.6),
        signalWeight: z.number().nonnegative().default(0.5),
        decode: z.boolean().default(true),
        /** Structural signals to evaluate (ids from signals.ts); absent: all of them. */
        signals: z.array(z.string()).optional(),
        /** Pooled pre-trained word vectors (`models/word-vectors`): dimensions, weight and pooling. */
        vectors: z
          .object({
            dims: z.number().int().positive(),
            weight: z.number().positive(),
            pool: z.enum(['mean', 'mean-max']).default('mean'),
          })
          .strict()
          .optional(),
        /** Word vectors of what overrides aim at (`override-objects.ts`): their width and weight. */
        objects: z
          .object({
            dims: z.number().int().positive(),
            weight: z.number().positive(),
            verbs: z.enum(['override', 'harm']).optional(),
          })
          .strict()
          .optional(),
        /** `mask`: n-grams and word vectors read every social-group word as one (`group-words.ts`). */
        groups: z.literal('mask').optional(),
      })
      .strict()
      .default({ bits: 18, wordNgrams: [1, 2], charNgrams: [3, 5], charWeight: 0.6, signalWeight: 0.5, decode: true }),
    train: z
      .object({
        epochs: z.number().int().positive().default(12),
        learningRate: z.number().positive().default(0.2),
        l2: z.number().nonnegative().default(1e-5),
        balance: z.boolean().default(true),
        /**
         * Train and measure the way inference scores: a text longer than `window` becomes its windows —
         * every window of a negative is a negative (weight shared as 1/√windows), a positive trains on
         * its highest-scoring window — and held-out scores are the worst window's.
         */
        windows: z.boolean().default(false),
      })
      .strict()
      .default({ epochs: 12, learningRate: 0.2, l2: 1e-5, balance: true, windows: false }),
    split: z
      .object({ test: z.number().min(0).max(0.5).default(0.15), calibration: z.number().min(0).max(0.5).default(0.15) })
      .strict()
      .default({ test: 0.15, calibration: 0.15 }),
    /** Obfuscated copies of training positives, so the model sees what normalisation cannot undo. */
    augment: z.array(z.object({ converter: z.string(), rate: z.number().min(0).max(1) }).strict()).default([]),
    /**
     * The model: logistic regression over the features (`linear`, the default), or a fastText-style
     * `embedding-bag` (learned embeddings of the hashed slots, summed, next to the signals, a small ReLU
     * layer, a sigmoid per head), or `wide-deep` (the logistic regression plus a small ReLU layer over the
     * dense block only: signals and pooled word vectors).
     */
    model: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('linear') }).strict(),
        z
          .object({
            kind: z.literal('embedding-bag'),
            dim: z.number().int().min(2).max(64).default(24),
            hidden: z.number().int().min(0).max(256).default(32),
            /** AdaGrad rate of the embeddings (default: `train.learningRate`). */
            embeddingRate: z.number().positive().optional(),
            /** Share of a text's hashed features dropped at random per training step. */
            dropout: z.number().min(0).max(0.9).default(0),
          })
          .strict(),
        z
          .object({
            kind: z.literal('wide-deep'),
            /** ReLU units over the dense block (signals, word vectors). */
            hidden: z.number().int().min(1).max(256).default(32),
            /** AdaGrad rate of the layer (default: `train.learningRate`). */
            layerRate: z.number().positive().optional(),
            /** L2 penalty on the layer's weights (default: `train.l2`). */
            layerL2: z.number().min(0).optional(),
          })
          .strict(),
      ])
      .optional(),
    /**
     * Which operating point `label` uses by default: a named point (`fpr10`: 10% false positives on the
     * threshold-setting negatives) or a fixed calibrated probability, chosen by an analysis the recipe names
     * in a comment (the refusal model's comes from leave-one-source-out agreement with human labels).
     */
    operatingPoint: z.union([z.enum(['fpr1', 'fpr5', 'fpr10', 'p50']), z.number().gt(0).lt(1)]).default('fpr1'),
    /** Long texts are scored by windows of this many characters (stride half of it). */
    window: z.number().int().min(64).default(1024),
    /**
     * Also score each sentence of a text of at most this many characters on its own (`sentenceSegments`),
     * in training and inference: a request wrapped in an instruction about the answer is not diluted by it.
     * 0 (the default): off. Short, because every sentence is one more window to score.
     */
    segments: z.number().int().min(0).default(0),
    /** Score only the first this-many characters of a text (refusals are stated up front); in training too. */
    prefix: z.number().int().min(16).optional(),
    sources: z.array(SourceSchema).min(1),
  })
  .strict();
export type Recipe = z.infer<typeof RecipeSchema>;

export function parseRecipe(text: string, origin = 'recipe'): Recipe {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${origin}: not valid YAML: ${(e as Error).message}`);
  }
  const parsed = RecipeSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${origin}: ${issues}`);
  }
  const unknown = (parsed.data.features.signals ?? []).filter((id) => !SIGNALS.some((s) => s.id === id));
  if (unknown.length > 0) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `${origin}: features.signals: unknown signal(s) ${unknown.join(', ')}`,
    );
  }
  return parsed.data;
}

export function loadRecipe(path: string): Recipe {
  return parseRecipe(readFileSync(path, 'utf8'), path);
}
