// Pooled leave-one-source-out curve: each listed source is scored by a model trained without it; prints recall
// on the held-out positives at the threshold that gives 5% and 10% false positives on the held-out negatives.
// Usage: npx tsx scripts/loso-curve.ts <recipe.yaml> <source,source,...> [--dump FILE]
// `--dump FILE` writes every held-out score as JSONL ({source, label, score, text}) for error analysis; the texts
// include attacks and harmful prompts, so keep the file out of logs and the repository.
import { writeFileSync } from 'node:fs';
import { loadRecipe } from '../src/models/classify/recipe.js';
import { trainFromRecipe } from '../src/models/classify/trainer.js';

const r = loadRecipe(process.argv[2]);
const holdOut = process.argv[3].split(',');
const pos: Record<string, number[]> = {};
const neg: number[] = [];
const dumpAt = process.argv.indexOf('--dump');
const dumped: string[] = [];
const t0 = performance.now();
trainFromRecipe(r, process.env.LIFEGUARD_DATA ?? '../shared/data', {
  leaveOneSourceOut: true,
  holdOut,
  onHeldOutScore: (item, score) => {
    if (dumpAt > 0) dumped.push(JSON.stringify({ source: item.source, label: item.label, score, text: item.text }));
    if (!item.label) neg.push(score);
    else if (pos[item.source]) pos[item.source].push(score);
    else pos[item.source] = [score];
  },
});
neg.sort((a, b) => b - a);
const allPos = Object.values(pos).flat();
let auc = 0;
for (const p of allPos) for (const n of neg) auc += p > n ? 1 : p === n ? 0.5 : 0;
auc /= allPos.length * neg.length;
const out: string[] = [
  `${process.argv[2]} secs ${((performance.now() - t0) / 1000).toFixed(0)} auc ${auc.toFixed(4)} negs ${neg.length}`,
];
for (const f of [0.05, 0.1]) {
  const thr = neg[Math.floor(f * neg.length)];
  const parts = Object.entries(pos).map(
    ([s, v]) => `${s} ${((100 * v.filter((x) => x > thr).length) / v.length).toFixed(1)}`,
  );
  out.push(
    `@${f * 100}%FPR: all ${((100 * allPos.filter((x) => x > thr).length) / allPos.length).toFixed(1)} | ${parts.join(' | ')}`,
  );
}
console.log(out.join('\n'));
if (dumpAt > 0) writeFileSync(process.argv[dumpAt + 1], `${dumped.join('\n')}\n`);
