// Trains a recipe and prints held-out metrics per source.
// Usage: npx tsx scripts/try-recipe.ts <task> [loso | loso=src1,src2] [recipe.yaml]
import type { BinaryMetrics } from '../src/models/classify/metrics.js';
import { loadRecipe } from '../src/models/classify/recipe.js';
import { type SourceMetrics, trainFromRecipe } from '../src/models/classify/trainer.js';

const task = process.argv[2];
const mode = process.argv[3] ?? '';
const r = loadRecipe(process.argv[4] ?? `models/${task}/recipe.yaml`);
const holdOut = mode.startsWith('loso=') ? mode.slice(5).split(',') : undefined;
const t0 = performance.now();
const res = trainFromRecipe(r, process.env.LIFEGUARD_DATA ?? '../shared/data', {
  leaveOneSourceOut: mode.startsWith('loso'),
  holdOut,
  log: (l) => console.error(l),
});
console.error('secs', ((performance.now() - t0) / 1000).toFixed(1));
const m = res.report.test;
const f = (x: BinaryMetrics) =>
  `thr ${x.threshold.toFixed(3)} P ${x.precision.toFixed(3)} R ${x.recall.toFixed(3)} fpr ${x.fpr.toFixed(3)} acc ${x.accuracy.toFixed(3)} auc ${x.rocAuc?.toFixed(4)} tpr@1 ${x.tprAt1Fpr?.toFixed(3)}`;
console.log('counts', JSON.stringify(res.report.counts));
console.log('default', f(m.default));
console.log('fpr1   ', f(m.fpr1));
console.log('fpr5   ', f(m.fpr5));
const row = (tag: string, s: SourceMetrics) => {
  const tp = (s.tpr ?? 0) * s.positives;
  const tn = (1 - (s.fpr ?? 0)) * s.negatives;
  const acc = (tp + tn) / s.n;
  console.log(
    tag,
    s.source.padEnd(24),
    String(s.n).padStart(5),
    'tpr',
    s.tpr?.toFixed(3) ?? '  -  ',
    'fpr',
    s.fpr?.toFixed(3) ?? '  -  ',
    'acc',
    acc.toFixed(3),
  );
};
for (const s of res.report.perSource) row('test', s);
for (const s of res.report.leaveOneSourceOut ?? []) row('LOSO', s);
if (res.report.categories) {
  for (const [c, v] of Object.entries(res.report.categories))
    console.log('cat', c.padEnd(8), v.positives, 'P', v.precision.toFixed(2), 'R', v.recall.toFixed(2));
}
