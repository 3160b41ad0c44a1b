import { loadRecipe } from '../src/models/classify/recipe.js';
import { trainFromRecipe } from '../src/models/classify/trainer.js';

const task = process.argv[2];
const r = loadRecipe(`models/${task}/recipe.yaml`);
const t0 = performance.now();
const res = trainFromRecipe(r, process.env.LIFEGUARD_DATA ?? '../shared/data', {
  leaveOneSourceOut: process.argv[3] === 'loso',
  log: (l) => console.error(l),
});
console.error('secs', ((performance.now() - t0) / 1000).toFixed(1));
const m = res.report.test;
const f = (x: import('../src/models/classify/metrics.js').BinaryMetrics) => ({
  thr: x.threshold.toFixed(3),
  P: x.precision.toFixed(3),
  R: x.recall.toFixed(3),
  fpr: x.fpr.toFixed(3),
  auc: x.rocAuc?.toFixed(4),
  tpr1: x.tprAt1Fpr?.toFixed(3),
});
console.log(res.report.counts);
console.log('default', f(m.default));
console.log('fpr1', f(m.fpr1));
console.log('fpr5', f(m.fpr5));
for (const s of res.report.perSource)
  console.log('test', s.source.padEnd(20), s.n, s.tpr?.toFixed(3) ?? '-', s.fpr?.toFixed(3) ?? '-');
for (const s of res.report.leaveOneSourceOut ?? [])
  console.log('LOSO', s.source.padEnd(20), s.n, s.tpr?.toFixed(3) ?? '-', s.fpr?.toFixed(3) ?? '-');
if (res.report.categories) console.log(res.report.categories);
