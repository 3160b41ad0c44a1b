/**
 * Trains the PII tagger (seeded, reproducible) and reports held-out metrics.
 *
 *   npx tsx scripts/gen-tagger-data.ts        # once: writes .tmp/pii-tagger/generated.jsonl
 *   npx tsx scripts/train-tagger.ts           # evaluate on held-out templates, then train on all and save
 *   npx tsx scripts/train-tagger.ts --eval-only
 *
 * Data: the generator output plus the shared presidio-research style set. For evaluation, 25% of the
 * shared set's template ids (seeded choice) are held out: their sentences and their template re-fills are
 * excluded from training; metrics are per type with the rule "same type and the predicted span covers at
 * least 50% of the gold span's characters" (plus a stricter IoU >= 0.5 variant). The softmax temperature
 * of the span scores is fitted on the held-out predictions. The final model is then trained on everything
 * and written to models/pii-tagger/{weights.bin,model.json}.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FEATURE_VERSION } from '../src/models/tagger/features.js';
import { loadGazetteer } from '../src/models/tagger/gazetteer.js';
import { calibrate, TAGGER_ENTITY_TYPES, Tagger } from '../src/models/tagger/index.js';
import {
  ENTITY_TYPES,
  labelNames,
  mulberry32,
  type PerceptronModel,
  type TrainExample,
  trainPerceptron,
} from '../src/models/tagger/perceptron.js';
import { decodeWeights, encodeWeights, type ModelHeader, saveModel, sha256 } from '../src/models/tagger/weights.js';
import { generate, SHARED_SET, SHARED_TYPE_MAP } from './gen-tagger-data.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface SharedSample {
  full_text: string;
  spans: { entity_type: string; start_position: number; end_position: number }[];
  template_id: number;
}
interface GenLine {
  text: string;
  spans: { type: string; start: number; end: number }[];
  source: string;
  template_id?: number;
}

const args = process.argv.slice(2);
const arg = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : def;
};
const SEED = Number(arg('seed', '1234'));
const EPOCHS = Number(arg('epochs', '10'));
const BITS = Number(arg('bits', '18'));
const DROPOUT = Number(arg('dropout', '0.2'));
const HOLDOUT = Number(arg('holdout', '0.25'));
const DATA = arg('data', join(ROOT, '.tmp', 'pii-tagger', 'generated.jsonl'));
const OUT = arg('out', join(ROOT, 'models', 'pii-tagger'));
const GEN_SEED = 20240611;
const EVAL_ONLY = args.includes('--eval-only');

function loadGenerated(): GenLine[] {
  if (!existsSync(DATA)) {
    console.log(`${DATA} not found; generating it in memory (seed ${GEN_SEED})`);
    return generate(24000, GEN_SEED, 30);
  }
  return readFileSync(DATA, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as GenLine);
}

function sharedToExample(s: SharedSample): TrainExample {
  const spans = [];
  for (const sp of s.spans) {
    const type = SHARED_TYPE_MAP[sp.entity_type] ?? 'MISC';
    spans.push({ type, start: sp.start_position, end: sp.end_position });
  }
  return { text: s.full_text, spans };
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
type Metrics = Record<string, { precision: number; recall: number; f1: number; support: number }>;

function overlap(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

type SpanLike = { type: string; start: number; end: number };

function score(
  pred: readonly (readonly SpanLike[])[],
  gold: readonly (readonly SpanLike[])[],
  strict: boolean,
): Metrics {
  const counts: Record<string, Counts> = {};
  const c = (t: string): Counts => {
    counts[t] ??= { tp: 0, fp: 0, fn: 0 };
    return counts[t];
  };
  const match = (p: { start: number; end: number }, g: { start: number; end: number }): boolean => {
    const o = overlap(p, g);
    if (strict) return o / (Math.max(p.end, g.end) - Math.min(p.start, g.start)) >= 0.5;
    return o * 2 >= g.end - g.start;
  };
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i];
    const p = pred[i];
    for (const gs of g) {
      const ok = p.some((ps) => ps.type === gs.type && match(ps, gs));
      if (ok) c(gs.type).tp++;
      else c(gs.type).fn++;
    }
    for (const ps of p) {
      const ok = g.some((gs) => gs.type === ps.type && match(ps, gs));
      if (!ok) c(ps.type).fp++;
    }
  }
  const out: Metrics = {};
  const all: Counts = { tp: 0, fp: 0, fn: 0 };
  for (const t of [...TAGGER_ENTITY_TYPES]) {
    const k = counts[t] ?? { tp: 0, fp: 0, fn: 0 };
    all.tp += k.tp;
    all.fp += k.fp;
    all.fn += k.fn;
    out[t] = prf(k);
  }
  out.ALL = prf(all);
  return out;
}

function prf(k: Counts): { precision: number; recall: number; f1: number; support: number } {
  const p = k.tp + k.fp ? k.tp / (k.tp + k.fp) : 0;
  const r = k.tp + k.fn ? k.tp / (k.tp + k.fn) : 0;
  const f = p + r ? (2 * p * r) / (p + r) : 0;
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return { precision: round(p), recall: round(r), f1: round(f), support: k.tp + k.fn };
}

function printMetrics(title: string, m: Metrics): void {
  console.log(`\n${title}`);
  console.log(`${'type'.padEnd(14)} ${'P'.padStart(6)} ${'R'.padStart(6)} ${'F1'.padStart(6)} ${'n'.padStart(5)}`);
  for (const [t, v] of Object.entries(m)) {
    if (v.support === 0 && v.precision === 0) continue;
    console.log(
      `${t.padEnd(14)} ${v.precision.toFixed(3).padStart(6)} ${v.recall.toFixed(3).padStart(6)} ${v.f1
        .toFixed(3)
        .padStart(6)} ${String(v.support).padStart(5)}`,
    );
  }
}

function header(model: PerceptronModel, extra: Partial<ModelHeader>): ModelHeader {
  return {
    format: 'lifeguard-pii-tagger',
    version: 1,
    labels: labelNames(ENTITY_TYPES),
    types: [...ENTITY_TYPES],
    feature: { version: FEATURE_VERSION, bucketBits: model.bucketBits },
    quantisation: 'int8-row-scale',
    temperature: 1,
    training: { seed: SEED, epochs: EPOCHS, dataHash: '', sentences: 0, tokens: 0, gazetteerDropout: DROPOUT },
    weightsSha256: '',
    ...extra,
  };
}

function dataHash(examples: readonly TrainExample[]): string {
  const parts: string[] = [];
  for (const e of examples) parts.push(e.text, JSON.stringify(e.spans.map((s) => [s.type, s.start, s.end])));
  return sha256(parts.join('\u0000'));
}

function evaluate(
  tagger: Tagger,
  samples: SharedSample[],
  opts: { noSkip?: boolean } = {},
): { pred: { type: string; start: number; end: number; score: number }[][]; gold: TrainExample['spans'][] } {
  const pred = samples.map((s) => tagger.tag(s.full_text, opts));
  const gold = samples.map((s) => sharedToExample(s).spans.filter((x) => x.type !== 'MISC'));
  return { pred, gold };
}

interface Calibration {
  temperature: number;
  a: number;
  b: number;
}

/** Correctness labels of predicted spans (same rule as the metrics). */
function spanOutcomes(
  pred: { type: string; start: number; end: number; score: number }[][],
  gold: TrainExample['spans'][],
) {
  const out: { score: number; ok: boolean }[] = [];
  for (let i = 0; i < pred.length; i++) {
    for (const p of pred[i]) {
      out.push({ score: p.score, ok: gold[i].some((g) => g.type === p.type && overlap(p, g) * 2 >= g.end - g.start) });
    }
  }
  return out;
}

function logLoss(items: { score: number; ok: boolean }[], f: (s: number) => number): number {
  let loss = 0;
  for (const it of items) {
    const q = Math.min(1 - 1e-4, Math.max(1e-4, f(it.score)));
    loss -= it.ok ? Math.log(q) : Math.log(1 - q);
  }
  return loss / Math.max(1, items.length);
}

/**
 * Fits the span-score calibration on held-out predictions: first the softmax temperature (grid search),
 * then Platt scaling `sigmoid(a * logit(s) + b)` of the resulting scores, both by log loss of "this
 * predicted span is correct".
 */
function fitCalibration(model: PerceptronModel, base: ModelHeader, samples: SharedSample[]): Calibration {
  const gaz = loadGazetteer();
  let best = { temperature: 1, loss: Infinity, items: [] as { score: number; ok: boolean }[] };
  for (const T of [0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 30, 40]) {
    const tagger = new Tagger(model, { ...base, temperature: T }, gaz);
    const { pred, gold } = evaluate(tagger, samples);
    const items = spanOutcomes(pred, gold);
    const loss = logLoss(items, (s) => s);
    if (loss < best.loss) best = { temperature: T, loss, items };
  }
  let a = 1;
  let b = 0;
  let bestLoss = best.loss;
  for (let ai = 1; ai <= 60; ai++) {
    for (let bi = -60; bi <= 60; bi++) {
      const ca = ai * 0.05;
      const cb = bi * 0.05;
      const loss = logLoss(best.items, (s) => calibrate(s, ca, cb));
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        a = ca;
        b = cb;
      }
    }
  }
  a = Math.round(a * 100) / 100;
  b = Math.round(b * 100) / 100;
  console.log(
    `fitted temperature ${best.temperature} (log loss ${best.loss.toFixed(4)}), Platt a=${a} b=${b} (log loss ${bestLoss.toFixed(4)})`,
  );
  return { temperature: best.temperature, a, b };
}

/** Reliability table: mean score vs. accuracy of predicted spans in score bins. */
function calibrationTable(
  pred: { type: string; start: number; end: number; score: number }[][],
  gold: TrainExample['spans'][],
): string {
  const bins = [0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.01];
  const rows: string[] = [];
  for (let b = 0; b < bins.length - 1; b++) {
    let n = 0;
    let ok = 0;
    let s = 0;
    for (let i = 0; i < pred.length; i++) {
      for (const p of pred[i]) {
        if (p.score < bins[b] || p.score >= bins[b + 1]) continue;
        n++;
        s += p.score;
        if (gold[i].some((g) => g.type === p.type && overlap(p, g) * 2 >= g.end - g.start)) ok++;
      }
    }
    if (n)
      rows.push(
        `  [${bins[b].toFixed(2)}, ${Math.min(1, bins[b + 1]).toFixed(2)}): n=${n} mean score ${(s / n).toFixed(3)} accuracy ${(ok / n).toFixed(3)}`,
      );
  }
  return rows.join('\n');
}

/** Lists false positives and misses on the held-out sentences (for error analysis). */
function printErrors(
  samples: SharedSample[],
  pred: { type: string; start: number; end: number }[][],
  gold: TrainExample['spans'][],
): void {
  for (let i = 0; i < samples.length; i++) {
    const text = samples[i].full_text;
    const fp = pred[i].filter((p) => !gold[i].some((g) => g.type === p.type && overlap(p, g) * 2 >= g.end - g.start));
    const fn = gold[i].filter((g) => !pred[i].some((p) => g.type === p.type && overlap(p, g) * 2 >= g.end - g.start));
    if (!fp.length && !fn.length) continue;
    const show = (x: { type: string; start: number; end: number }): string =>
      `${x.type}:${JSON.stringify(text.slice(x.start, x.end))}`;
    console.log(`\n#${samples[i].template_id} ${JSON.stringify(text.slice(0, 160))}`);
    if (fp.length) console.log(`  FP ${fp.map(show).join(' | ')}`);
    if (fn.length) console.log(`  FN ${fn.map(show).join(' | ')}`);
  }
}

// ---------------------------------------------------------------------------------------------------

/** k-fold cross-validation by template id (development aid): pooled counts over all folds. */
function crossValidate(
  k: number,
  shared: SharedSample[],
  generated: GenLine[],
  trainOpts: Parameters<typeof trainPerceptron>[1],
): void {
  const ids = [...new Set(shared.map((s) => s.template_id))].sort((a, b) => a - b);
  const rand = mulberry32(SEED ^ 0xcafe);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const allPred: { type: string; start: number; end: number; score: number }[][] = [];
  const allGold: TrainExample['spans'][] = [];
  for (let f = 0; f < k; f++) {
    const held = new Set(ids.filter((_, i) => i % k === f));
    const train: TrainExample[] = [
      ...generated
        .filter((g) => g.template_id === undefined || !held.has(g.template_id))
        .map((g) => ({ text: g.text, spans: g.spans })),
      ...shared.filter((s) => !held.has(s.template_id)).map(sharedToExample),
    ];
    const model = decodeWeights(encodeWeights(trainPerceptron(train, { ...trainOpts, log: undefined }).model));
    const tagger = new Tagger(model, header(model, {}), trainOpts.gazetteer);
    const ev = evaluate(
      tagger,
      shared.filter((s) => held.has(s.template_id)),
    );
    allPred.push(...ev.pred);
    allGold.push(...ev.gold);
    if (args.includes('--errors'))
      printErrors(
        shared.filter((s) => held.has(s.template_id)),
        ev.pred,
        ev.gold,
      );
    console.log(`  fold ${f + 1}/${k}: micro F1 ${score(ev.pred, ev.gold, false).ALL.f1.toFixed(3)}`);
  }
  printMetrics(`${k}-fold cross-validation by template (pooled)`, score(allPred, allGold, false));
}

function main(): void {
  const t0 = Date.now();
  const gazetteer = loadGazetteer();
  const shared = JSON.parse(readFileSync(SHARED_SET, 'utf8')) as SharedSample[];
  const generated = loadGenerated();
  const templateIds = [...new Set(shared.map((s) => s.template_id))].sort((a, b) => a - b);
  const rand = mulberry32(SEED ^ 0x5eed);
  const shuffled = [...templateIds];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const heldOut = new Set(shuffled.slice(0, Math.round(shuffled.length * HOLDOUT)));
  const heldSamples = shared.filter((s) => heldOut.has(s.template_id));
  console.log(
    `shared set: ${shared.length} sentences, ${templateIds.length} templates; held out ${heldOut.size} templates (${heldSamples.length} sentences)`,
  );
  console.log(`generated: ${generated.length} records from ${DATA}`);

  const toEx = (g: GenLine): TrainExample => ({ text: g.text, spans: g.spans });
  const trainOpts = {
    types: ENTITY_TYPES,
    bucketBits: BITS,
    epochs: EPOCHS,
    seed: SEED,
    gazetteerDropout: DROPOUT,
    gazetteer,
    log: (m: string) => console.log(`  ${m}`),
  };

  if (args.includes('--cv')) {
    crossValidate(Number(arg('cv', '4')), shared, generated, trainOpts);
    return;
  }

  // 1) held-out evaluation: nothing from held-out templates (sentences or re-fills) is trained on
  const splitTrain: TrainExample[] = [
    ...generated.filter((g) => g.template_id === undefined || !heldOut.has(g.template_id)).map(toEx),
    ...shared.filter((s) => !heldOut.has(s.template_id)).map(sharedToExample),
  ];
  console.log(`\n[held-out run] training on ${splitTrain.length} sentences`);
  const t1 = Date.now();
  const split = trainPerceptron(splitTrain, trainOpts);
  const splitSecs = (Date.now() - t1) / 1000;
  console.log(`  trained in ${splitSecs.toFixed(1)} s (${split.tokens} tokens, ${split.chunks} chunks)`);
  const splitModel = decodeWeights(encodeWeights(split.model)); // evaluate what ships: quantised weights
  const base = header(splitModel, {});
  const cal = fitCalibration(splitModel, base, heldSamples);
  const temperature = cal.temperature;
  const calibration = { a: cal.a, b: cal.b };
  const tagger = new Tagger(splitModel, { ...base, temperature, calibration }, gazetteer);
  const ev = evaluate(tagger, heldSamples);
  const metrics = score(ev.pred, ev.gold, false);
  const strict = score(ev.pred, ev.gold, true);
  const evNoSkip = evaluate(tagger, heldSamples, { noSkip: true });
  const metricsNoSkip = score(evNoSkip.pred, evNoSkip.gold, false);
  printMetrics('held-out templates, rule: same type, >= 50% of the gold span covered', metrics);
  printMetrics('held-out templates, strict rule: same type, IoU >= 0.5', strict);
  console.log(
    `\nsentence skip: micro F1 ${metrics.ALL.f1.toFixed(3)} with skip vs ${metricsNoSkip.ALL.f1.toFixed(3)} without`,
  );
  console.log(`calibration (held-out predicted spans):\n${calibrationTable(ev.pred, ev.gold)}`);
  if (args.includes('--errors')) printErrors(heldSamples, ev.pred, ev.gold);
  // The held-out model itself, for `npm run eval:pii -- --split heldout` (the whole pipeline on unseen templates).
  const heldOutDir = arg('heldout-out', '');
  if (heldOutDir) {
    saveModel(
      heldOutDir,
      splitModel,
      header(splitModel, {
        temperature,
        calibration,
        training: {
          seed: SEED,
          epochs: EPOCHS,
          dataHash: dataHash(splitTrain),
          sentences: splitTrain.length,
          tokens: split.tokens,
          gazetteerDropout: DROPOUT,
        },
        metrics: { heldOutTemplateIds: [...heldOut].sort((a, b) => a - b), trainedOnHeldOut: false },
      }),
    );
    console.log(`wrote the held-out model to ${heldOutDir}`);
  }
  if (EVAL_ONLY) return;

  // 2) final model on everything
  const all: TrainExample[] = [...generated.map(toEx), ...shared.map(sharedToExample)];
  console.log(`\n[final run] training on ${all.length} sentences`);
  const t2 = Date.now();
  const final = trainPerceptron(all, trainOpts);
  const finalSecs = (Date.now() - t2) / 1000;
  console.log(`  trained in ${finalSecs.toFixed(1)} s`);
  const { header: written, bytes } = saveModel(
    OUT,
    final.model,
    header(final.model, {
      temperature,
      calibration,
      training: {
        seed: SEED,
        epochs: EPOCHS,
        dataHash: dataHash(all),
        sentences: all.length,
        tokens: final.tokens,
        gazetteerDropout: DROPOUT,
      },
      metrics: {
        heldOut: {
          description: `shared synth set, ${heldOut.size} of ${templateIds.length} template ids held out (seed ${SEED}), ${heldSamples.length} sentences; model trained without them`,
          rule: 'same type and >= 50% of the gold span characters covered',
          perType: metrics,
          strictIoU50: strict,
          withoutSentenceSkip: metricsNoSkip.ALL,
        },
        heldOutTemplateIds: [...heldOut].sort((a, b) => a - b),
      },
    }),
  );
  console.log(
    `\nwrote ${OUT}/weights.bin (${(bytes / 1024 / 1024).toFixed(2)} MiB, sha256 ${written.weightsSha256.slice(0, 16)}…)`,
  );
  console.log(`total time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main();
