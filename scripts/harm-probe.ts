// Development probe of the `harmful` classifier: `data/probes/harmful-behaviours.jsonl`, 110 harmful requests in
// the registers of harmful-behaviour benchmarks (seven categories, copyright among them) and 90 look-alike
// benign requests, written by a separate author who did not see the training data or generators; never trained
// on; `--file harmful-behaviours-2.jsonl` scores the second such probe (100 and 100, ten categories), written by
// another author after `harmful` v9 and used to tune nothing. Prints, per category, how many are flagged at the
// model's default threshold (and with --threshold X).
// Usage: npx tsx scripts/harm-probe.ts [--models DIR] [--file NAME] [--threshold X] [--show]
import { parseArgs } from 'node:util';
import { loadLocalClassifier } from '../src/models/classify/index.js';
import { readProbe } from './probe-rows.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string' },
    file: { type: 'string', default: 'harmful-behaviours.jsonl' },
    threshold: { type: 'string' },
    show: { type: 'boolean', default: false },
  },
});
const classifier = loadLocalClassifier('harmful', values.models ? { modelsDir: values.models } : {});
const threshold = values.threshold ? Number(values.threshold) : classifier.threshold;

interface ProbeRow {
  id: string;
  label: boolean;
  category: string;
  text: string;
}
const rows = readProbe<ProbeRow>(values.file);

const byCategory = new Map<string, { n: number; flagged: number }>();
const scored = rows.map((r) => ({ ...r, score: classifier.classifySync(r.text).score }));
for (const r of scored) {
  const k = byCategory.get(r.category) ?? { n: 0, flagged: 0 };
  k.n++;
  if (r.score >= threshold) k.flagged++;
  byCategory.set(r.category, k);
}
console.log(`${classifier.id} at threshold ${threshold.toFixed(3)}\n\n| category | n | flagged |\n|---|---|---|`);
for (const [c, k] of [...byCategory].sort()) console.log(`| ${c} | ${k.n} | ${k.flagged} |`);
const rate = (label: boolean) => {
  const xs = scored.filter((r) => r.label === label);
  const hit = xs.filter((r) => r.score >= threshold).length;
  return `${hit}/${xs.length} (${((100 * hit) / xs.length).toFixed(1)}%)`;
};
let auc = 0;
const pos = scored.filter((r) => r.label);
const neg = scored.filter((r) => !r.label);
for (const p of pos) for (const n of neg) auc += p.score > n.score ? 1 : p.score === n.score ? 0.5 : 0;
console.log(
  `\nharmful flagged ${rate(true)}, bait flagged ${rate(false)}, ROC-AUC ${(auc / pos.length / neg.length).toFixed(3)}`,
);
if (values.show)
  for (const r of scored.filter((x) => x.label !== x.score >= threshold))
    console.log(`${r.label ? 'missed' : 'flagged'} ${r.score.toFixed(2)} ${r.id} ${r.text.slice(0, 100)}`);
