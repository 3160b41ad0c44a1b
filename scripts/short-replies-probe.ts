// Development probe: `data/probes/short-replies.jsonl`, 240 benign short user turns ("no", "next", "why?",
// "option B"; 40 in other languages), written by a separate author. Every row is benign, so every flag is a
// false positive. Prints, per task, how many rows each classifier flags by kind (borderline rows such as
// "ignore that" apart) and, with --show, which.
// Usage: npx tsx scripts/short-replies-probe.ts [--models DIR] [--tasks injection,toxicity,harmful] [--show]
import { parseArgs } from 'node:util';
import { loadLocalClassifier } from '../src/models/classify/index.js';
import type { ClassifierTask } from '../src/models/classify/types.js';
import { readProbe } from './probe-rows.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string' },
    tasks: { type: 'string', default: 'injection,toxicity,harmful' },
    show: { type: 'boolean', default: false },
  },
});
const rows = readProbe<{ id: string; text: string; kind: string; lang: string }>('short-replies.jsonl');
const kinds = [...new Set(rows.map((r) => r.kind))];

console.log(`| task | ${kinds.join(' | ')} | all but borderline |`);
console.log(`|---|${kinds.map(() => '---|').join('')}---|`);
for (const task of values.tasks.split(',') as ClassifierTask[]) {
  const c = loadLocalClassifier(task, values.models ? { modelsDir: values.models } : {});
  const flagged = rows.filter((r) => c.classifySync(r.text).label);
  const cell = (k: string) =>
    `${flagged.filter((r) => r.kind === k).length}/${rows.filter((r) => r.kind === k).length}`;
  const main = rows.filter((r) => r.kind !== 'borderline');
  const mainFlagged = flagged.filter((r) => r.kind !== 'borderline');
  console.log(`| ${c.id} | ${kinds.map(cell).join(' | ')} | ${mainFlagged.length}/${main.length} |`);
  if (values.show) for (const r of flagged) console.error(`${task}\t${r.kind}\t${r.lang}\t${r.text}`);
}
